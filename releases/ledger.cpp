#include "releases/ledger.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "common/error.h"
#include "common/file_modes.h"
#include "common/posix.h"
#include "queue/build_record.h"

namespace kiln::releases {
namespace {

constexpr const char* kLedgerSuffix = ".jsonl";

std::optional<EventKind> parse_kind(const std::string& text) {
    for (EventKind kind : {EventKind::release, EventKind::rollback, EventKind::deploy}) {
        if (to_string(kind) == text) {
            return kind;
        }
    }
    return std::nullopt;
}

// Throws nlohmann::json::exception or std::invalid_argument for a line that
// is not an event.
LedgerEvent event_from_json(const nlohmann::json& json) {
    LedgerEvent event;
    const std::optional<EventKind> kind = parse_kind(json.at("kind").get<std::string>());
    if (!kind) {
        throw std::invalid_argument("unknown kind '" + json.at("kind").get<std::string>() + "'");
    }
    event.kind = *kind;
    const std::optional<std::int64_t> at = queue::parse_iso8601(json.at("at").get<std::string>());
    if (!at) {
        throw std::invalid_argument("bad time '" + json.at("at").get<std::string>() + "'");
    }
    event.at = *at;
    event.by = json.value("by", "");
    event.digest = json.at("digest").get<std::string>();
    if (event.kind == EventKind::deploy) {
        event.host = json.at("host").get<std::string>();
        const std::optional<DeployStatus> status = parse_deploy_status(json.at("status").get<std::string>());
        if (!status) {
            throw std::invalid_argument("unknown status '" + json.at("status").get<std::string>() + "'");
        }
        event.status = *status;
        if (json.contains("exit") && json["exit"].is_number_integer()) {
            event.exit_code = json["exit"].get<int>();
        }
        return event;
    }
    event.number = json.at("number").get<int>();
    event.sha = json.value("sha", "");
    event.image = json.value("image", "");
    event.tags = json.value("tags", std::vector<std::string>{});
    event.from_number = json.value("from_number", 0);
    event.from_digest = json.value("from_digest", "");
    return event;
}

}  // namespace

std::string to_string(EventKind kind) {
    switch (kind) {
    case EventKind::release:
        return "release";
    case EventKind::rollback:
        return "rollback";
    case EventKind::deploy:
        return "deploy";
    }
    return "";
}

std::string to_string(DeployStatus status) {
    switch (status) {
    case DeployStatus::deployed:
        return "deployed";
    case DeployStatus::failed:
        return "failed";
    case DeployStatus::unhealthy:
        return "unhealthy";
    case DeployStatus::reverted:
        return "reverted";
    }
    return "";
}

std::optional<DeployStatus> parse_deploy_status(const std::string& text) {
    for (DeployStatus status : {DeployStatus::deployed, DeployStatus::failed, DeployStatus::unhealthy,
                                DeployStatus::reverted}) {
        if (to_string(status) == text) {
            return status;
        }
    }
    return std::nullopt;
}

bool runs_reported_digest(DeployStatus status) {
    return status == DeployStatus::deployed || status == DeployStatus::reverted;
}

nlohmann::json to_json(const LedgerEvent& event) {
    nlohmann::json json{{"kind", to_string(event.kind)}, {"at", queue::format_iso8601(event.at)}, {"by", event.by}};
    switch (event.kind) {
    case EventKind::release:
        json.update({{"number", event.number},
                     {"sha", event.sha},
                     {"image", event.image},
                     {"digest", event.digest},
                     {"tags", event.tags}});
        break;
    case EventKind::rollback:
        json.update({{"number", event.number},
                     {"sha", event.sha},
                     {"image", event.image},
                     {"digest", event.digest},
                     {"tags", event.tags},
                     {"from_number", event.from_number},
                     {"from_digest", event.from_digest}});
        break;
    case EventKind::deploy:
        json.update({{"host", event.host},
                     {"digest", event.digest},
                     {"status", to_string(event.status)},
                     {"exit", event.exit_code ? nlohmann::json(*event.exit_code) : nlohmann::json(nullptr)}});
        break;
    }
    return json;
}

std::filesystem::path ledger_file(const queue::StateLayout& layout, const std::string& repo) {
    return layout.releases_dir() / (repo + kLedgerSuffix);
}

void append_event(const queue::StateLayout& layout, const std::string& repo, const LedgerEvent& event) {
    const std::filesystem::path file = ledger_file(layout, repo);
    const std::string doing = "writing to the release ledger '" + file.string() + "'";
    create_private_dirs(file.parent_path());
    UniqueFd fd(check_errno(::open(file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, kPrivateFileMode), doing));
    check_errno(::flock(fd.get(), LOCK_EX), doing);
    const std::string line = to_json(event).dump() + "\n";
    // O_APPEND puts the whole line at the end; a short write (a full disk)
    // would leave a torn line that read_ledger skips, so it is cut off again.
    const off_t before = ::lseek(fd.get(), 0, SEEK_END);
    const ssize_t written = ::write(fd.get(), line.data(), line.size());
    if (written != static_cast<ssize_t>(line.size())) {
        const int error = written < 0 ? errno : ENOSPC;
        if (before >= 0 && ::ftruncate(fd.get(), before) != 0) {
            spdlog::warn("ledger={} problem=\"cannot cut off a torn line\"", file.string());
        }
        throw StateError(describe(doing, std::strerror(error)));
    }
    check_errno(::fsync(fd.get()), doing);
}

std::vector<LedgerEvent> read_ledger(const queue::StateLayout& layout, const std::string& repo) {
    const std::filesystem::path file = ledger_file(layout, repo);
    std::vector<LedgerEvent> events;
    std::ifstream in(file);
    if (!in) {
        if (std::filesystem::exists(file)) {
            throw StateError(describe("reading the release ledger '" + file.string() + "'", std::strerror(errno)));
        }
        return events;
    }
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (line.empty()) {
            continue;
        }
        try {
            events.push_back(event_from_json(nlohmann::json::parse(line)));
        } catch (const std::exception& error) {
            spdlog::warn("ledger={} line={} problem=\"skipped: {}\"", file.string(), number, error.what());
        }
    }
    return events;
}

std::vector<std::string> ledger_repos(const queue::StateLayout& layout) {
    std::vector<std::string> repos;
    std::error_code ec;
    const std::filesystem::path root = layout.releases_dir();
    for (std::filesystem::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
        const std::filesystem::path& path = it->path();
        if (it->is_regular_file() && path.extension() == kLedgerSuffix) {
            std::filesystem::path relative = path.lexically_relative(root);
            relative.replace_extension();
            repos.push_back(relative.generic_string());
        }
    }
    std::sort(repos.begin(), repos.end());
    return repos;
}

}  // namespace kiln::releases
