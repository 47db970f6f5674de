#pragma once

#include <filesystem>
#include <string>

namespace kiln::queue {

/// Where every piece of runner state lives under the state dir (docs/state.md):
///
///     <state_dir>/runner.lock               flock held by the one live runner
///     <state_dir>/runner.log                stderr of a runner the hook started
///     <state_dir>/registry.lock             flock: shared by builds, exclusive by `kiln image gc`
///     <state_dir>/registry-gc.lock          flock held by a gc for its whole run (its turn)
///     <state_dir>/queue/<job>.json          one file per pending job
///     <state_dir>/running/<job>.json        jobs a runner has claimed
///     <state_dir>/notify/<job>.json         final builds whose notifications are not sent yet
///     <state_dir>/builds/<repo>/<n>/build.json, log, cancel, leader
///     <state_dir>/work/<repo>/<slot>/       reusable worktrees
///     <state_dir>/releases/<repo>.jsonl     the release ledger (releases/ledger.h)
///
/// Repo names are canonical (`app`, `team/app`); a `team/app` repo nests one
/// folder deeper under builds/ and work/. Only computes paths; creates nothing.
class StateLayout {
public:
    explicit StateLayout(std::filesystem::path state_dir) : root_(std::move(state_dir)) {}

    const std::filesystem::path& root() const { return root_; }
    std::filesystem::path queue_dir() const { return root_ / "queue"; }
    std::filesystem::path running_dir() const { return root_ / "running"; }
    std::filesystem::path notify_dir() const { return root_ / "notify"; }
    std::filesystem::path builds_root() const { return root_ / "builds"; }
    std::filesystem::path builds_dir(const std::string& repo) const { return builds_root() / repo; }
    std::filesystem::path build_dir(const std::string& repo, int number) const {
        return builds_dir(repo) / std::to_string(number);
    }
    std::filesystem::path record_file(const std::string& repo, int number) const {
        return build_dir(repo, number) / "build.json";
    }
    std::filesystem::path log_file(const std::string& repo, int number) const {
        return build_dir(repo, number) / "log";
    }
    /// Present while a cancel of a running build is pending (`kiln cancel`).
    std::filesystem::path cancel_file(const std::string& repo, int number) const {
        return build_dir(repo, number) / "cancel";
    }
    /// The pid, start time and process group of the leader of the build step
    /// running now (queue/leader_file.h); removed when the step ends.
    std::filesystem::path leader_file(const std::string& repo, int number) const {
        return build_dir(repo, number) / "leader";
    }
    std::filesystem::path work_dir(const std::string& repo) const { return root_ / "work" / repo; }
    std::filesystem::path releases_dir() const { return root_ / "releases"; }
    std::filesystem::path runner_lock() const { return root_ / "runner.lock"; }
    std::filesystem::path runner_log() const { return root_ / "runner.log"; }
    std::filesystem::path registry_lock() const { return root_ / "registry.lock"; }
    std::filesystem::path registry_gc_lock() const { return root_ / "registry-gc.lock"; }

    /// The file name of a job in queue/ or running/: `<repo>@<n>.json`, with the
    /// `/` of `team/app` written as `~` (neither can appear in a repo name).
    static std::string job_file_name(const std::string& repo, int number);

private:
    std::filesystem::path root_;
};

}  // namespace kiln::queue
