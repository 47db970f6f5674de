#include "config/repo_config_source.h"

#include "common/error.h"
#include "config/config_file.h"

namespace kiln::config {
namespace {

std::string kind_of_mode(const std::string& mode) {
    if (mode == "120000") {
        return "symbolic link";
    }
    if (mode == "40000") {
        return "directory";
    }
    return mode == "160000" ? "submodule" : "file of mode " + mode;
}

}  // namespace

git_objects::CommitRoot read_config_root(const std::filesystem::path& repo_path, const std::string& revision) {
    return git_objects::read_commit_root(repo_path, revision, kRepoConfigFile, kMaxRepoConfigSize);
}

RepoConfig repo_config_at(const git_objects::CommitRoot& root, const std::string& label, const RepoConfig& defaults) {
    const std::string at = label + "@" + root.commit_id.substr(0, 8);
    const std::string where = at + ":" + kRepoConfigFile;
    const auto mode = root.modes.find(kRepoConfigFile);
    if (mode == root.modes.end()) {
        // `.kiln.yaml` is an easy slip; ignoring it would build with defaults in silence.
        if (root.modes.contains(".kiln.yaml")) {
            throw ConfigError(at + ":.kiln.yaml: kiln reads .kiln.yml: rename the file");
        }
        return defaults;
    }
    if (!git_objects::is_regular_file_mode(mode->second) || !root.file) {
        throw ConfigError(where + ": expected a regular file, found a " + kind_of_mode(mode->second));
    }
    if (!root.file->content) {
        throw ConfigError(where + ": " + std::to_string(root.file->size) + " bytes is too big for a config (at most 1MiB)");
    }
    return parse_repo_config(*root.file->content, where, defaults);
}

RepoConfig load_repo_config(const std::filesystem::path& repo_path, const std::string& revision,
                            const RepoConfig& defaults) {
    std::filesystem::path name = repo_path.lexically_normal();
    if (!name.has_filename()) {
        name = name.parent_path();  // `app.git/`
    }
    return repo_config_at(read_config_root(repo_path, revision), name.filename().string(), defaults);
}

RepoConfig load_repo_config_file(const std::filesystem::path& path, const RepoConfig& defaults) {
    return parse_repo_config(read_config_file(path), path.string(), defaults);
}

}  // namespace kiln::config
