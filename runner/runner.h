#pragma once

#include <chrono>
#include <functional>

#include "common/secret_mask.h"
#include "config/config.h"
#include "queue/build_record.h"
#include "queue/queue.h"

namespace kiln::runner {

struct RunnerOptions {
    /// Run until the queue is empty and no build runs (jobs queued meanwhile
    /// included), then exit.
    bool once = false;
    /// After SIGTERM/SIGINT, how long running builds may go on before they are
    /// cancelled (recorded `cancelled`, reason `runner stopped`).
    std::chrono::seconds stop_grace{60};
    /// The queue is rescanned this often even without an inotify event.
    std::chrono::milliseconds rescan{5000};
};

/// What running one claimed job produced; the daemon writes it into build.json.
struct JobResult {
    queue::BuildStatus status = queue::BuildStatus::failed;
    std::optional<int> exit_code;
    std::string reason;
    std::vector<std::string> targets;
    std::string image;
    std::string digest;
    std::vector<std::string> tags;  ///< the tags the image got besides its sha (latest, the branch's)
    /// Images image.keep deleted after this build (registry.gc.after_prune).
    std::size_t images_pruned = 0;
    /// The build's secrets as its log masked them: masked in its record too.
    SecretMask secrets;
};

/// Runs one claimed job whose record says `running`: `slot` is free for this
/// repo, cancel_requested() turns true on `kiln cancel` or when the runner
/// stops. The default (run_job) builds with execute_build; tests pass another.
using JobRunner = std::function<JobResult(const config::Config& config, const queue::Job& job, int slot,
                                          const std::function<bool()>& cancel_requested)>;

/// Builds `job` for real: reads `.kiln.yml` at its sha, then execute_build.
JobResult run_job(const config::Config& config, const queue::Job& job, int slot,
                  const std::function<bool()>& cancel_requested);

/// `kiln runner`: takes the runner lock (exits 0 at once, with a debug line,
/// when another runner holds it), recovers a dead runner's builds, then runs
/// queued jobs — `runner.jobs` at once, one per repo+branch, coalescing older
/// pushes — until SIGTERM/SIGINT (or, with `once`, until nothing is left).
/// Logs `key=value` lines to stderr. Returns the exit code. Throws StateError.
int run_runner(const config::Config& config, const RunnerOptions& options, const JobRunner& job_runner = run_job);

}  // namespace kiln::runner
