#include "queue/cancel.h"

#include <string_view>
#include <system_error>

#include <spdlog/spdlog.h>

#include "common/atomic_file.h"
#include "common/error.h"
#include "queue/record_life.h"
#include "queue/queue.h"

namespace kiln::queue {

namespace {

// `cancel requested at 2024-05-01T12:00:00Z by alice`: a key name has no blank.
constexpr std::string_view kRequesterMark = " by ";

}  // namespace

CancelOutcome cancel_build(const StateLayout& layout, const std::string& repo, int number, const std::string& by) {
    BuildRecord record = read_record(layout, repo, number);
    if (is_final(record.status)) {
        return {CancelResult::already_final, record};
    }
    Job job;
    job.id.repo = repo;
    job.id.number = number;
    // Claiming the queued job is what makes the cancel race-free: either we
    // get it and the runner never sees it, or the runner got it first.
    if (claim_job(layout, job)) {
        record = read_record(layout, repo, number);
        record.status = BuildStatus::cancelled;
        record.reason = kCancelledBeforeStart;
        record.cancelled_by = by;
        finish_record(layout, record);
        record = read_record(layout, repo, number);
        release_job(layout, job);
        return {CancelResult::cancelled, record};
    }
    const std::string requester = by.empty() ? std::string() : std::string(kRequesterMark) + by;
    write_file_atomic(layout.cancel_file(repo, number),
                      "cancel requested at " + format_iso8601(unix_now()) + requester + "\n");
    record = read_record(layout, repo, number);
    // A runner that polls quickly may already have stopped the build for this
    // very request: that is a cancel that worked, not a build that had ended.
    const bool stopped_by_us = record.status == BuildStatus::cancelled && record.reason.starts_with(kCancelledByUser);
    if (is_final(record.status) && !stopped_by_us) {
        std::error_code ignored;
        std::filesystem::remove(layout.cancel_file(repo, number), ignored);
        return {CancelResult::already_final, record};
    }
    return {CancelResult::requested, record};
}

std::string cancel_requester(const StateLayout& layout, const std::string& repo, int number) {
    std::string text;
    try {
        text = read_file(layout.cancel_file(repo, number));
    } catch (const StateError&) {
        return {};  // no cancel file: nobody asked, or it was removed meanwhile
    }
    const std::string line = text.substr(0, text.find('\n'));
    const std::size_t mark = line.rfind(kRequesterMark);
    if (mark == std::string::npos) {
        return {};
    }
    const std::string name = line.substr(mark + kRequesterMark.size());
    return is_key_name(name) ? name : std::string();
}

bool cancel_requested(const StateLayout& layout, const std::string& repo, int number) {
    std::error_code ec;
    return std::filesystem::exists(layout.cancel_file(repo, number), ec);
}

}  // namespace kiln::queue
