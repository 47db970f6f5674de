#include "config/repo_config_source.h"

#include "common/error.h"
#include "common/git.h"
#include "config/config_file.h"

namespace kiln::config {
namespace {

// A config is a few hundred bytes; a huge blob is a mistake, not a config.
constexpr git_object_size_t kMaxRepoConfigSize = 1024 * 1024;

git::Commit lookup_commit(git_repository* repo, const std::string& label, const std::string& sha) {
    git_object* raw = nullptr;
    git::check(git_revparse_single(&raw, repo, (sha + "^{commit}").c_str()),
               "finding commit '" + sha + "' in " + label);
    return git::Commit(reinterpret_cast<git_commit*>(raw));
}

// The blob of `name` at the root of `tree`; nothing when absent. Throws
// ConfigError when `name` is there but is not a regular file.
std::optional<git::Blob> root_blob(git_repository* repo, git_tree* tree, const std::string& name,
                                   const std::string& where) {
    const git_tree_entry* entry = git_tree_entry_byname(tree, name.c_str());
    if (entry == nullptr) {
        return std::nullopt;
    }
    const git_filemode_t mode = git_tree_entry_filemode(entry);
    if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE) {
        throw ConfigError(where + ": expected a regular file, found a " +
                          (mode == GIT_FILEMODE_LINK ? "symbolic link" : mode == GIT_FILEMODE_TREE ? "directory" : "submodule"));
    }
    git_blob* raw = nullptr;
    git::check(git_blob_lookup(&raw, repo, git_tree_entry_id(entry)), "reading " + where);
    return git::Blob(raw);
}

}  // namespace

RepoConfig load_repo_config(git_repository* repo, const std::string& label, const std::string& sha,
                            const RepoConfig& defaults) {
    const git::Commit commit = lookup_commit(repo, label, sha);
    const std::string at = label + "@" + git::to_hex(*git_commit_id(commit.get())).substr(0, 8);
    git_tree* raw_tree = nullptr;
    git::check(git_commit_tree(&raw_tree, commit.get()), "reading the tree of " + at);
    const git::Tree tree(raw_tree);

    const std::string where = at + ":" + kRepoConfigFile;
    const std::optional<git::Blob> blob = root_blob(repo, tree.get(), kRepoConfigFile, where);
    if (!blob) {
        // `.kiln.yaml` is an easy slip; ignoring it would build with defaults in silence.
        if (git_tree_entry_byname(tree.get(), ".kiln.yaml") != nullptr) {
            throw ConfigError(at + ":.kiln.yaml: kiln reads .kiln.yml: rename the file");
        }
        return defaults;
    }
    const git_object_size_t size = git_blob_rawsize(blob->get());
    if (size > kMaxRepoConfigSize) {
        throw ConfigError(where + ": " + std::to_string(size) + " bytes is too big for a config (at most 1MiB)");
    }
    const std::string text(static_cast<const char*>(git_blob_rawcontent(blob->get())), static_cast<std::size_t>(size));
    return parse_repo_config(text, where, defaults);
}

RepoConfig load_repo_config(const std::filesystem::path& repo_path, const std::string& sha,
                            const RepoConfig& defaults) {
    const git::Repository repo = git::open_repository(repo_path.string());
    std::filesystem::path name = repo_path.lexically_normal();
    if (!name.has_filename()) {
        name = name.parent_path();  // `app.git/`
    }
    return load_repo_config(repo.get(), name.filename().string(), sha, defaults);
}

RepoConfig load_repo_config_file(const std::filesystem::path& path, const RepoConfig& defaults) {
    return parse_repo_config(read_config_file(path), path.string(), defaults);
}

}  // namespace kiln::config
