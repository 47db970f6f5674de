#pragma once

// Worktrees: the files of exactly the pushed commit, for make to build in.
//
// A worktree is a small non-bare repository: <dir>/.git holds HEAD (detached
// at the commit last checked out), the index and objects/info/alternates
// naming the bare repository's objects, so nothing is copied and `git
// rev-parse HEAD` or `git describe` in a Makefile work. A checkout is a forced
// libgit2 checkout of the commit's tree against the tree HEAD names: only the
// files that differ are written (the index keeps the stat data that proves the
// others unchanged), and untracked and ignored files, everything an earlier
// build left behind, are removed. Only .git itself survives. Submodules are
// not checked out: their folders stay empty.
//
//     <work_root>/<slot>.lock    flock held while a build uses the slot
//     <work_root>/<slot>/        a reusable worktree (workspace: reuse)
//     <work_root>/fresh-XXXXXX/  a one-build worktree (workspace: fresh)

#include <chrono>
#include <filesystem>
#include <string>

#include "common/posix.h"

namespace kiln::runner {

/// The exclusive use of one reusable worktree slot, released on destruction.
class SlotLock {
public:
    SlotLock(UniqueFd fd, int slot) : fd_(std::move(fd)), slot_(slot) {}
    int slot() const { return slot_; }

private:
    UniqueFd fd_;  ///< flock(LOCK_EX) on <work_root>/<slot>.lock
    int slot_;
};

/// Locks slot `preferred` of `work_root` when it is free, else the lowest free
/// slot, so two builds never share a worktree, even across processes. Never
/// blocks. Creates `work_root`. Throws StateError.
SlotLock acquire_slot(const std::filesystem::path& work_root, int preferred = 0);

/// A directory holding the files of one commit, for the duration of a build.
/// Move-only; a fresh worktree is removed on destruction.
class Worktree {
public:
    /// Brings the reusable worktree of `slot` (which the caller holds) to
    /// `sha`, a commit of the bare repository `repo_path`. When the slot is
    /// missing or broken (or the incremental checkout fails), starts it over.
    /// Throws GitError (e.g. the commit does not exist), StateError.
    static Worktree reuse(const std::filesystem::path& repo_path, const std::filesystem::path& work_root,
                          const SlotLock& slot, const std::string& sha);

    /// Checks `sha` out into a new directory under `work_root`, removed when
    /// the Worktree is destroyed. Throws GitError, StateError.
    static Worktree fresh(const std::filesystem::path& repo_path, const std::filesystem::path& work_root,
                          const std::string& sha);

    Worktree(Worktree&& other) noexcept;
    Worktree& operator=(Worktree&& other) = delete;
    Worktree(const Worktree&) = delete;
    Worktree& operator=(const Worktree&) = delete;
    ~Worktree();

    const std::filesystem::path& dir() const { return dir_; }
    /// Files written or removed by the checkout.
    std::size_t changes() const { return changes_; }
    /// True when the slot was (re)created from nothing rather than updated.
    bool started_over() const { return started_over_; }
    /// Why the slot was started over, when it was not simply new; else empty.
    const std::string& start_over_reason() const { return start_over_reason_; }
    std::chrono::steady_clock::duration elapsed() const { return elapsed_; }

private:
    Worktree(std::filesystem::path dir, bool remove_on_destruction)
        : dir_(std::move(dir)), remove_(remove_on_destruction) {}

    std::filesystem::path dir_;
    bool remove_ = false;
    std::size_t changes_ = 0;
    bool started_over_ = false;
    std::string start_over_reason_;
    std::chrono::steady_clock::duration elapsed_{};
};

/// Removes `path` and everything below it, also folders a build made
/// read-only. Nothing when it does not exist. Throws StateError.
void remove_tree(const std::filesystem::path& path);

}  // namespace kiln::runner
