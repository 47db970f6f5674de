#include "runner/worktree.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "common/atomic_file.h"
#include "common/error.h"
#include "libgit2/git.h"

namespace kiln::runner {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

/// Slots tried by acquire_slot before it gives up: far more than runner.jobs.
constexpr int kMaxSlots = 1000;

std::string short_sha(const std::string& sha) {
    return sha.substr(0, 7);
}

/// The objects folder of the bare repository, absolute so the alternates file
/// does not depend on the runner's working directory.
fs::path objects_dir(const fs::path& repo_path) {
    std::error_code error;
    const fs::path objects = fs::absolute(repo_path, error) / "objects";
    if (error || !fs::is_directory(objects, error)) {
        throw GitError(describe("opening repository '" + repo_path.string() + "'", "it has no objects folder"));
    }
    return objects.lexically_normal();
}

/// Creates the worktree repository in `dir` (dir/.git) unless it exists.
/// Returns true when it was created.
bool init_worktree_repo(const fs::path& dir) {
    std::error_code error;
    if (fs::exists(dir / ".git" / "HEAD", error)) {
        return false;
    }
    git_repository_init_options options;
    git::check(git_repository_init_options_init(&options, GIT_REPOSITORY_INIT_OPTIONS_VERSION),
               "initialising repository options");
    options.flags = GIT_REPOSITORY_INIT_MKPATH;
    git_repository* raw = nullptr;
    git::check(git_repository_init_ext(&raw, dir.c_str(), &options), "creating worktree '" + dir.string() + "'");
    const git::Repository repo(raw);
    git_config* raw_config = nullptr;
    git::check(git_repository_config(&raw_config, repo.get()), "opening the config of worktree '" + dir.string() + "'");
    const git::Config config(raw_config);
    // One detached HEAD update per build would grow logs/HEAD without end.
    git::check(git_config_set_bool(config.get(), "core.logAllRefUpdates", 0),
               "configuring worktree '" + dir.string() + "'");
    return true;
}

/// Points the worktree repository at the bare repository's objects.
void link_objects(const fs::path& dir, const fs::path& objects) {
    const fs::path alternates = dir / ".git" / "objects" / "info" / "alternates";
    const std::string content = objects.string() + "\n";
    std::error_code error;
    if (fs::exists(alternates, error) && read_file(alternates) == content) {
        return;
    }
    fs::create_directories(alternates.parent_path(), error);
    write_file_atomic(alternates, content);
}

git::Tree commit_tree(git_repository* repo, const git_oid& id, const std::string& doing) {
    git_commit* raw_commit = nullptr;
    git::check(git_commit_lookup(&raw_commit, repo, &id), doing);
    const git::Commit commit(raw_commit);
    git_tree* raw_tree = nullptr;
    git::check(git_commit_tree(&raw_tree, commit.get()), doing);
    return git::Tree(raw_tree);
}

/// The tree HEAD names: what the last checkout wrote. Nothing when HEAD is
/// unborn or names a commit the bare repository no longer has.
git::Tree head_tree(git_repository* repo) {
    git_oid head;
    if (git_reference_name_to_id(&head, repo, "HEAD") != 0) {
        return nullptr;
    }
    try {
        return commit_tree(repo, head, "reading HEAD");
    } catch (const GitError&) {
        return nullptr;
    }
}

/// Forced checkout of `sha` in the worktree repository at `dir`. Returns the
/// number of files written or removed. Throws GitError.
std::size_t checkout(const fs::path& dir, const std::string& sha) {
    const git::Repository repo = git::open_repository(dir.string());
    const git_oid id = git::parse_oid(sha);
    const std::string doing = "checking out " + short_sha(sha) + " into '" + dir.string() + "'";
    const git::Tree tree = commit_tree(repo.get(), id, doing);
    const git::Tree baseline = head_tree(repo.get());

    git_checkout_options options;
    git::check(git_checkout_options_init(&options, GIT_CHECKOUT_OPTIONS_VERSION), "initialising checkout options");
    options.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_REMOVE_UNTRACKED | GIT_CHECKOUT_REMOVE_IGNORED;
    options.baseline = baseline.get();
    std::size_t changes = 0;
    options.progress_payload = &changes;
    options.progress_cb = [](const char*, std::size_t, std::size_t total, void* payload) {
        *static_cast<std::size_t*>(payload) = total;
    };
    git::check(git_checkout_tree(repo.get(), reinterpret_cast<const git_object*>(tree.get()), &options), doing);
    git::check(git_repository_set_head_detached(repo.get(), &id), doing + ": setting HEAD");
    return changes;
}

/// Fails early, and without harming the slot, when the commit is not there.
void require_commit(const fs::path& repo_path, const std::string& sha) {
    const git::Repository bare = git::open_repository(repo_path.string());
    const git_oid id = git::parse_oid(sha);
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, bare.get(), &id) != 0) {
        throw GitError(describe("checking out " + short_sha(sha),
                                "no commit " + sha + " in '" + repo_path.string() + "'"));
    }
    git::Commit commit(raw);
}

}  // namespace

SlotLock acquire_slot(const fs::path& work_root, int preferred) {
    std::error_code error;
    fs::create_directories(work_root, error);
    if (error) {
        throw StateError(describe("creating worktree folder '" + work_root.string() + "'", error.message()));
    }
    for (int attempt = -1; attempt < kMaxSlots; ++attempt) {
        const int slot = attempt < 0 ? preferred : attempt;
        if (slot < 0 || (attempt >= 0 && slot == preferred)) {
            continue;
        }
        const fs::path lock_file = work_root / (std::to_string(slot) + ".lock");
        UniqueFd fd(::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
        check_errno(fd.get(), "opening worktree lock '" + lock_file.string() + "'");
        if (::flock(fd.get(), LOCK_EX | LOCK_NB) == 0) {
            return SlotLock(std::move(fd), slot);
        }
        if (errno != EWOULDBLOCK) {
            check_errno(-1, "locking worktree '" + lock_file.string() + "'");
        }
    }
    throw StateError(describe("locking a worktree under '" + work_root.string() + "'",
                              "all " + std::to_string(kMaxSlots) + " slots are busy"));
}

Worktree Worktree::reuse(const fs::path& repo_path, const fs::path& work_root, const SlotLock& slot,
                         const std::string& sha) {
    const auto start = Clock::now();
    require_commit(repo_path, sha);
    const fs::path objects = objects_dir(repo_path);
    Worktree worktree(work_root / std::to_string(slot.slot()), false);
    try {
        worktree.started_over_ = init_worktree_repo(worktree.dir_);
        link_objects(worktree.dir_, objects);
        worktree.changes_ = checkout(worktree.dir_, sha);
    } catch (const Error& error) {
        // A build can leave what a checkout cannot remove (a read-only folder)
        // or break .git itself: start the slot over rather than fail the build.
        worktree.started_over_ = true;
        worktree.start_over_reason_ = error.what();
        remove_tree(worktree.dir_);
        init_worktree_repo(worktree.dir_);
        link_objects(worktree.dir_, objects);
        worktree.changes_ = checkout(worktree.dir_, sha);
    }
    worktree.elapsed_ = Clock::now() - start;
    return worktree;
}

Worktree Worktree::fresh(const fs::path& repo_path, const fs::path& work_root, const std::string& sha) {
    const auto start = Clock::now();
    require_commit(repo_path, sha);
    const fs::path objects = objects_dir(repo_path);
    std::error_code error;
    fs::create_directories(work_root, error);
    if (error) {
        throw StateError(describe("creating worktree folder '" + work_root.string() + "'", error.message()));
    }
    std::string pattern = (work_root / "fresh-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        check_errno(-1, "creating a fresh worktree under '" + work_root.string() + "'");
    }
    Worktree worktree(pattern, true);
    worktree.started_over_ = true;
    init_worktree_repo(worktree.dir_);
    link_objects(worktree.dir_, objects);
    worktree.changes_ = checkout(worktree.dir_, sha);
    worktree.elapsed_ = Clock::now() - start;
    return worktree;
}

Worktree::Worktree(Worktree&& other) noexcept
    : dir_(std::move(other.dir_)),
      remove_(std::exchange(other.remove_, false)),
      changes_(other.changes_),
      started_over_(other.started_over_),
      start_over_reason_(std::move(other.start_over_reason_)),
      elapsed_(other.elapsed_) {}

Worktree::~Worktree() {
    if (!remove_) {
        return;
    }
    try {
        remove_tree(dir_);
    } catch (const std::exception& error) {
        spdlog::warn("event=worktree_not_removed dir={} error=\"{}\"", dir_.string(), error.what());
    }
}

void remove_tree(const fs::path& path) {
    std::error_code error;
    fs::remove_all(path, error);
    if (!error) {
        return;
    }
    // Folders without write or search permission (a build's chmod, Go's
    // module cache) cannot be emptied until they get it back.
    std::error_code walk_error;
    fs::permissions(path, fs::perms::owner_all, fs::perm_options::add, walk_error);
    for (fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, walk_error), end;
         !walk_error && it != end; it.increment(walk_error)) {
        std::error_code ignored;
        if (it->is_directory(ignored) && !it->is_symlink(ignored)) {
            fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ignored);
        }
    }
    error.clear();
    fs::remove_all(path, error);
    if (error) {
        throw StateError(describe("removing '" + path.string() + "'", error.message()));
    }
}

}  // namespace kiln::runner
