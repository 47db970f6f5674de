#include "repos/repositories.h"

#include <algorithm>
#include <system_error>

#include <sys/stat.h>
#include <unistd.h>

#include "common/accounts.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "common/names.h"
#include "libgit2/git.h"
#include "common/posix.h"

namespace kiln::repos {
namespace fs = std::filesystem;
namespace {

constexpr unsigned kHookMode = 0755;

void install_hook(const fs::path& repo_path, const HookTarget& hook) {
    const fs::path hooks_dir = repo_path / "hooks";
    std::error_code error;
    fs::create_directories(hooks_dir, error);
    if (error) {
        throw StateError(describe("creating '" + hooks_dir.string() + "'", error.message()));
    }
    write_file_atomic(hooks_dir / "post-receive", post_receive_stub(hook), kHookMode);
}

void create_bare(const fs::path& repo_path) {
    git_repository_init_options options;
    git::check(git_repository_init_options_init(&options, GIT_REPOSITORY_INIT_OPTIONS_VERSION),
               "preparing to create '" + repo_path.string() + "'");
    options.flags = GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_NO_REINIT;
    options.initial_head = "main";
    git_repository* raw = nullptr;
    git::check(git_repository_init_ext(&raw, repo_path.c_str(), &options),
               "creating repository '" + repo_path.string() + "'");
    const git::Repository repo(raw);

    git_config* raw_config = nullptr;
    git::check(git_repository_config(&raw_config, repo.get()), "opening the config of '" + repo_path.string() + "'");
    const git::Config config(raw_config);
    // Without it `git push -o ci.skip` is refused by the server.
    git::check(git_config_set_bool(config.get(), "receive.advertisePushOptions", 1),
               "enabling push options in '" + repo_path.string() + "'");
}

// Gives every file below `top` (and `top` itself) to `owner`.
void chown_tree(const fs::path& top, uid_t uid, gid_t gid) {
    check_errno(::lchown(top.c_str(), uid, gid), "handing '" + top.string() + "' to the git_root owner");
    for (const fs::directory_entry& entry : fs::recursive_directory_iterator(top)) {
        check_errno(::lchown(entry.path().c_str(), uid, gid),
                    "handing '" + entry.path().string() + "' to the git_root owner");
    }
}

// A repository made by root under a git_root that belongs to the git user must
// belong to that user too, or git refuses it as "dubious ownership".
void adopt_git_root_owner(const fs::path& git_root, const fs::path& created_top) {
    if (::geteuid() != 0) {
        return;
    }
    struct stat root_stat {};
    check_errno(::stat(git_root.c_str(), &root_stat), "reading the owner of '" + git_root.string() + "'");
    if (root_stat.st_uid != 0) {
        chown_tree(created_top, root_stat.st_uid, root_stat.st_gid);
    }
}

// git refuses a repository that belongs to another user ("dubious
// ownership"), and libgit2 says only that `safe.directory` is not set: name
// the user who must run kiln init instead. Root may: it hands what it creates
// to git_root's owner.
void require_git_root_owner(const fs::path& git_root, const std::string& name) {
    struct stat root_stat {};
    if (::geteuid() == 0 || ::stat(git_root.c_str(), &root_stat) != 0 || root_stat.st_uid == ::geteuid()) {
        return;
    }
    const std::string owner = user_name(root_stat.st_uid);
    throw UsageError(describe("initialising repository '" + name + "'",
                              "git_root '" + git_root.string() + "' belongs to " + owner + ", not to " +
                                  user_name(::geteuid()) + "; run it as " + owner + ": sudo -u " + owner +
                                  " kiln init " + name));
}

std::uint64_t directory_size(const fs::path& top) {
    std::uint64_t total = 0;
    std::error_code error;
    for (fs::recursive_directory_iterator it(top, error), end; !error && it != end; it.increment(error)) {
        if (it->is_regular_file(error) && !error) {
            total += it->file_size(error);
        }
    }
    return total;
}

void fill_newest_commit(RepositorySummary& summary) {
    const git::Repository repo = git::open_repository(summary.path.string());
    git_reference_iterator* raw_iterator = nullptr;
    git::check(git_reference_iterator_glob_new(&raw_iterator, repo.get(), "refs/heads/*"),
               "listing branches of '" + summary.path.string() + "'");
    const std::unique_ptr<git_reference_iterator, git::Deleter<git_reference_iterator_free>> iterator(raw_iterator);

    git_reference* raw_ref = nullptr;
    while (git_reference_next(&raw_ref, iterator.get()) == 0) {
        const git::Reference ref(raw_ref);
        git_object* raw_object = nullptr;
        if (git_reference_peel(&raw_object, ref.get(), GIT_OBJECT_COMMIT) < 0) {
            continue;  // a branch pointing at a non-commit is not "the newest commit"
        }
        const git::Commit commit(reinterpret_cast<git_commit*>(raw_object));
        const std::int64_t time = git_commit_time(commit.get());
        if (!summary.newest_time || time > *summary.newest_time) {
            summary.newest_time = time;
            summary.newest_sha = git::to_hex(*git_commit_id(commit.get()));
            const char* subject = git_commit_summary(commit.get());
            summary.newest_subject = subject != nullptr ? subject : "";
            summary.newest_branch = std::string(git_reference_shorthand(ref.get()));
        }
    }
}

std::optional<RepositorySummary> summarize(const fs::path& git_root, const fs::path& path) {
    if (!has_bare_repo_suffix(path) || !fs::is_regular_file(path / "HEAD") || !fs::is_directory(path / "objects")) {
        return std::nullopt;
    }
    RepositorySummary summary;
    summary.path = path;
    summary.name = repo_name_of_path(git_root, path);
    summary.size_bytes = directory_size(path);
    fill_newest_commit(summary);
    return summary;
}

}  // namespace

InitResult init_repository(const fs::path& git_root, const std::string& name, const HookTarget& hook) {
    require_git_root_owner(git_root, name);
    const fs::path repo_path = bare_repo_path(git_root, name);
    if (fs::exists(repo_path)) {
        git::open_repository(repo_path.string());  // refuse to put a hook into something that is not a repository
        install_hook(repo_path, hook);
        return {repo_path, false};
    }
    // The topmost directory this call creates: the team folder of `team/app`, or the repository.
    fs::path created_top = repo_path;
    while (created_top.parent_path() != git_root && !fs::exists(created_top.parent_path())) {
        created_top = created_top.parent_path();
    }
    create_bare(repo_path);
    install_hook(repo_path, hook);
    if (fs::exists(git_root)) {
        adopt_git_root_owner(git_root, created_top);
    }
    return {repo_path, true};
}

std::vector<RepositorySummary> list_repositories(const fs::path& git_root) {
    std::vector<RepositorySummary> repositories;
    std::error_code error;
    if (!fs::is_directory(git_root, error)) {
        return repositories;
    }
    for (const fs::directory_entry& entry : fs::directory_iterator(git_root)) {
        if (!entry.is_directory()) {
            continue;
        }
        if (std::optional<RepositorySummary> summary = summarize(git_root, entry.path())) {
            repositories.push_back(std::move(*summary));
            continue;
        }
        if (entry.path().filename().string().front() == '.') {
            continue;
        }
        for (const fs::directory_entry& nested : fs::directory_iterator(entry.path())) {
            if (nested.is_directory()) {
                if (std::optional<RepositorySummary> summary = summarize(git_root, nested.path())) {
                    repositories.push_back(std::move(*summary));
                }
            }
        }
    }
    std::sort(repositories.begin(), repositories.end(),
              [](const RepositorySummary& a, const RepositorySummary& b) { return a.name < b.name; });
    return repositories;
}

}  // namespace kiln::repos
