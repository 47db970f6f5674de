#include "access/key_store.h"

#include <fcntl.h>
#include <sys/file.h>

#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/file_modes.h"

namespace kiln::access {
namespace {

KeyEntry entry_from_json(const std::string& name, const nlohmann::json& value) {
    KeyEntry entry;
    entry.name = name;
    const std::optional<Role> role = parse_role(value.at("role").get<std::string>());
    if (!role) {
        throw std::invalid_argument("key '" + name + "' has an unknown role");
    }
    entry.role = *role;
    entry.repos = value.at("repos").get<std::vector<std::string>>();
    entry.key = PublicKey{value.at("type").get<std::string>(), value.at("key").get<std::string>()};
    entry.added = value.at("added").get<std::int64_t>();
    return entry;
}

}  // namespace

std::filesystem::path keys_file(const std::filesystem::path& state_dir) { return state_dir / "keys.json"; }

KeyMap read_keys(const std::filesystem::path& file) {
    std::error_code error;
    if (!std::filesystem::exists(file, error)) {
        return {};
    }
    const std::string text = read_file(file);
    KeyMap keys;
    try {
        const nlohmann::json document = nlohmann::json::parse(text);
        for (const auto& [name, value] : document.items()) {
            keys.emplace(name, entry_from_json(name, value));
        }
    } catch (const std::exception& e) {
        throw StateError(describe("reading '" + file.string() + "'", std::string(e.what()) +
                                                                        "; fix or remove the file (kiln key ls reads it)"));
    }
    return keys;
}

std::string keys_json(const KeyMap& keys) {
    nlohmann::json document = nlohmann::json::object();
    for (const auto& [name, entry] : keys) {
        document[name] = {{"name", entry.name},       {"role", to_string(entry.role)}, {"repos", entry.repos},
                          {"type", entry.key.type},   {"key", entry.key.base64},       {"added", entry.added}};
    }
    return document.dump(2) + "\n";
}

void write_keys(const std::filesystem::path& file, const KeyMap& keys) {
    write_file_atomic(file, keys_json(keys), kPrivateFileMode);
}

KeysLock::KeysLock(const std::filesystem::path& state_dir) {
    const std::filesystem::path path = state_dir / "keys.lock";
    const std::string doing = "locking '" + path.string() + "'";
    std::error_code error;
    std::filesystem::create_directories(state_dir, error);
    if (error) {
        throw StateError(describe("creating the state dir '" + state_dir.string() + "'", error.message()));
    }
    fd_ = UniqueFd(check_errno(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, kPrivateFileMode), doing));
    check_errno(::flock(fd_.get(), LOCK_EX), doing);
}

}  // namespace kiln::access
