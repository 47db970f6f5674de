#include "image-archive/blob_cache.h"

#include <algorithm>
#include <cstdlib>
#include <system_error>

#include <fcntl.h>
#include <sys/file.h>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/posix.h"

namespace kiln::registry {
namespace {
constexpr const char* kFileName = "blobs.json";
// Enough places to mount from; older ones are likely gone anyway.
constexpr std::size_t kRepositoriesPerBlob = 8;
constexpr int kFormatVersion = 1;
}  // namespace

std::filesystem::path default_cache_dir() {
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && xdg[0] == '/') {
        return std::filesystem::path(xdg) / "kiln";
    }
    if (const char* home = std::getenv("HOME"); home != nullptr && home[0] == '/') {
        return std::filesystem::path(home) / ".cache" / "kiln";
    }
    return {};
}

BlobCache::BlobCache(std::filesystem::path dir) : dir_(std::move(dir)) {
    if (!dir_.empty()) {
        data_ = load(dir_ / kFileName);
    }
}

BlobCache::Data BlobCache::load(const std::filesystem::path& file) {
    Data data;
    std::error_code error;
    if (!std::filesystem::exists(file, error)) {
        return data;
    }
    try {
        const nlohmann::json document = nlohmann::json::parse(read_file(file));
        if (document.value("version", 0) != kFormatVersion) {
            return data;
        }
        for (const auto& [digest, entry] : document.at("compressed").items()) {
            data.compressed[digest] = CachedBlob{entry.at("digest").get<std::string>(), entry.at("size").get<std::uint64_t>()};
        }
        for (const auto& [digest, repos] : document.at("repositories").items()) {
            data.repositories[digest] = repos.get<std::vector<std::string>>();
        }
    } catch (const std::exception& problem) {
        spdlog::warn("ignoring the blob cache {}: {}", file.string(), problem.what());
        return Data{};
    }
    return data;
}

void BlobCache::merge(Data& into, const Data& from) {
    for (const auto& [digest, blob] : from.compressed) {
        into.compressed[digest] = blob;
    }
    for (const auto& [digest, repos] : from.repositories) {
        std::vector<std::string>& list = into.repositories[digest];
        for (auto repo = repos.rbegin(); repo != repos.rend(); ++repo) {
            std::erase(list, *repo);
            list.insert(list.begin(), *repo);
        }
        if (list.size() > kRepositoriesPerBlob) {
            list.resize(kRepositoriesPerBlob);
        }
    }
}

std::optional<CachedBlob> BlobCache::compressed(const std::string& uncompressed) const {
    const std::lock_guard lock(mutex_);
    const auto found = data_.compressed.find(uncompressed);
    if (found == data_.compressed.end()) {
        return std::nullopt;
    }
    return found->second;
}

std::vector<std::string> BlobCache::repositories(const std::string& host, const std::string& digest) const {
    const std::lock_guard lock(mutex_);
    std::vector<std::string> result;
    const auto found = data_.repositories.find(digest);
    if (found == data_.repositories.end()) {
        return result;
    }
    const std::string prefix = host + "/";
    for (const std::string& location : found->second) {
        if (location.starts_with(prefix)) {
            result.push_back(location.substr(prefix.size()));
        }
    }
    return result;
}

void BlobCache::record_compressed(const std::string& uncompressed, const CachedBlob& compressed) {
    const std::lock_guard lock(mutex_);
    Data update;
    update.compressed[uncompressed] = compressed;
    merge(data_, update);
    merge(recorded_, update);
}

void BlobCache::record_repository(const std::string& host, const std::string& repo, const std::string& digest) {
    const std::lock_guard lock(mutex_);
    Data update;
    update.repositories[digest] = {host + "/" + repo};
    merge(data_, update);
    merge(recorded_, update);
}

void BlobCache::save() {
    const std::lock_guard lock(mutex_);
    if (dir_.empty() || (recorded_.compressed.empty() && recorded_.repositories.empty())) {
        return;
    }
    try {
        std::filesystem::create_directories(dir_);
        const std::filesystem::path lock_path = dir_ / (std::string(kFileName) + ".lock");
        const UniqueFd lock_fd(check_errno(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644),
                                           "opening '" + lock_path.string() + "'"));
        check_errno(::flock(lock_fd.get(), LOCK_EX), "locking '" + lock_path.string() + "'");
        Data current = load(dir_ / kFileName);
        merge(current, recorded_);
        nlohmann::json document{{"version", kFormatVersion},
                                {"compressed", nlohmann::json::object()},
                                {"repositories", nlohmann::json::object()}};
        for (const auto& [digest, blob] : current.compressed) {
            document["compressed"][digest] = {{"digest", blob.digest}, {"size", blob.size}};
        }
        for (const auto& [digest, repos] : current.repositories) {
            document["repositories"][digest] = repos;
        }
        write_file_atomic(dir_ / kFileName, document.dump(1) + "\n");
        data_ = std::move(current);
        recorded_ = Data{};
    } catch (const std::exception& problem) {
        spdlog::warn("could not update the blob cache in {}: {}", dir_.string(), problem.what());
    }
}

}  // namespace kiln::registry
