#include "runner/recovery.h"

#include <set>

#include <spdlog/spdlog.h>

#include "common/error.h"
#include "queue/cancel.h"
#include "queue/enqueue.h"
#include "queue/record_life.h"
#include "queue/queue.h"

namespace kiln::runner {
namespace {

// How long enqueue_build may take between writing build.json and the job.
constexpr std::int64_t kEnqueueWindow = 60;

RecoveredBuild interrupt_and_requeue(const queue::StateLayout& layout, queue::BuildRecord record,
                                     const std::filesystem::path& repo_path) {
    queue::BuildIdentity retry = record.id;
    retry.trigger = queue::retry_trigger(record.id.number);
    // The retry stands where the interrupted push stood: any push made since
    // is newer and supersedes it.
    queue::BuildRecord requeued = enqueue_build(layout, retry, repo_path, record.order);

    record.status = queue::BuildStatus::interrupted;
    record.reason = queue::interrupted_reason(requeued.id.number);
    finish_record(layout, record, record.reason);
    spdlog::warn("build={} status=interrupted requeued={}", record.id.label(), requeued.id.label());
    return {record, requeued};
}

// `kiln cancel` asked to stop it and then its runner died: it stays stopped.
void record_cancelled(const queue::StateLayout& layout, queue::BuildRecord record) {
    record.status = queue::BuildStatus::cancelled;
    record.reason = queue::cancelled_runner_died_reason();
    finish_record(layout, record);
    spdlog::info("build={} status=cancelled", record.id.label());
}

void recover_running(const queue::StateLayout& layout, const queue::BuildRecord& record, const std::filesystem::path& repo_path,
                     std::vector<RecoveredBuild>& recovered) {
    if (cancel_requested(layout, record.id.repo, record.id.number)) {
        record_cancelled(layout, record);
    } else {
        recovered.push_back(interrupt_and_requeue(layout, record, repo_path));
    }
}

}  // namespace

std::vector<RecoveredBuild> recover_builds(const queue::StateLayout& layout) {
    std::vector<RecoveredBuild> recovered;
    std::set<std::pair<std::string, int>> handled;
    for (const queue::Job& job : list_claimed(layout)) {
        handled.emplace(job.id.repo, job.id.number);
        std::optional<queue::BuildRecord> record;
        try {
            record = find_record(layout, job.id.repo, job.id.number);
        } catch (const StateError& error) {
            spdlog::warn("build={}#{} problem=\"{}\"", job.id.repo, job.id.number, error.what());
        }
        if (record && record->status == queue::BuildStatus::queued) {
            unclaim_job(layout, job);  // claimed, but the build never started
            spdlog::info("build={} requeued=\"claimed by a dead runner before it started\"", record->id.label());
            continue;
        }
        if (record && record->status == queue::BuildStatus::running) {
            recover_running(layout, *record, job.repo_path, recovered);
        }
        release_job(layout, job);
    }
    for (const queue::Job& job : list_queued(layout)) {
        handled.emplace(job.id.repo, job.id.number);
    }
    // A running record without its job file (removed by hand, say) is just as
    // dead. A queued one without a job file lost it to a crash between the two
    // writes of enqueue_build (older than kEnqueueWindow: not one being
    // enqueued right now); its job is written again, so the push still builds.
    const std::int64_t now = queue::unix_now();
    for (const std::string& repo : build_repos(layout)) {
        for (int number : build_numbers(layout, repo)) {
            if (handled.count({repo, number}) != 0) {
                continue;
            }
            std::optional<queue::BuildRecord> record;
            try {
                record = find_record(layout, repo, number);
            } catch (const StateError& error) {
                spdlog::warn("build={}#{} problem=\"{}\"", repo, number, error.what());
            }
            if (record && record->status == queue::BuildStatus::running) {
                recover_running(layout, *record, {}, recovered);
            } else if (record && record->status == queue::BuildStatus::queued &&
                       now - record->queued_at.value_or(0) > kEnqueueWindow) {
                write_job(layout, job_for(*record, {}));
                spdlog::warn("build={} requeued=\"its job file was missing\"", record->id.label());
            }
        }
    }
    return recovered;
}

}  // namespace kiln::runner
