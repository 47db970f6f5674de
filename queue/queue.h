#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "queue/build_record.h"
#include "queue/state_layout.h"

namespace kiln::queue {

/// One pending build, as its job file in queue/ (or running/, once claimed)
/// holds it. build.json stays the record of truth; the job says what to build.
struct Job {
    BuildIdentity id;
    std::filesystem::path repo_path;  ///< the bare repository; empty: found under git_root
    std::int64_t queued_at = 0;       ///< what list_queued sorts by
    int order = 0;                    ///< BuildRecord::order: newer pushes have higher orders

    /// `<repo>@<n>.json` (StateLayout::job_file_name).
    std::string file_name() const;
    /// What "one build at a time" and coalescing group by: repo + branch.
    std::string branch_key() const { return id.repo + '\n' + id.branch(); }
};

/// The job that builds what `record` names; `repo_path` may be empty (the
/// runner then finds the repository under git_root).
Job job_for(const BuildRecord& record, const std::filesystem::path& repo_path);

/// Writes `job` into queue/ (tmp + fsync + rename). Throws StateError.
void write_job(const StateLayout& layout, const Job& job);

/// The jobs in queue/ (or running/), oldest first (by queued time, then number).
/// A job file that cannot be parsed is logged and left alone. Throws StateError.
std::vector<Job> list_queued(const StateLayout& layout);
std::vector<Job> list_claimed(const StateLayout& layout);

/// Claims `job` by renaming queue/<job> to running/<job>: of several claimers
/// exactly one gets true; the others (and a job cancelled meanwhile) get false.
/// Throws StateError on any other failure.
bool claim_job(const StateLayout& layout, const Job& job);
/// Removes running/<job> once its build has a final record.
void release_job(const StateLayout& layout, const Job& job);
/// Moves a claimed job back to queue/ (a build that never started).
void unclaim_job(const StateLayout& layout, const Job& job);

/// Coalesces `queued` (from list_queued): for every repo+branch with several
/// jobs, the one of the newest push stays (highest order; of equal orders,
/// the highest number) and each other one is claimed and recorded
/// `superseded` with reason `superseded by #N`. Returns the jobs that stay,
/// oldest first. Throws StateError.
std::vector<Job> coalesce_queued(const StateLayout& layout, const std::vector<Job>& queued);

/// The number of a build of `job`'s repo and branch whose push is newer than
/// `job`'s (a higher order), whatever its status; nothing when `job` builds
/// the newest push. A retry of an interrupted build must not deploy an older
/// commit over a push made after it. Throws StateError.
std::optional<int> newer_push(const StateLayout& layout, const Job& job);

/// Records the build of the claimed `job` `superseded by #<winner>` (unless
/// it is final already). Throws StateError.
void supersede(const StateLayout& layout, const Job& job, int winner);

}  // namespace kiln::queue
