#include "queue/log_follow.h"

#include <algorithm>
#include <array>
#include <cerrno>

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "common/error.h"
#include "common/kiln_lines.h"
#include "common/posix.h"
#include "common/terminal_text.h"
#include "queue/build_liveness.h"
#include "queue/queue.h"

namespace kiln::queue {
namespace {

constexpr int kPollMillis = 500;

// Copies what the log holds beyond what was already copied, its control
// characters neutralised (`filter`); false when `out` failed. The fd keeps its
// offset, so each call picks up where the last ended. `copied` grows by the
// bytes read.
bool copy_new_bytes(int log_fd, std::ostream& out, std::uint64_t& copied, TerminalFilter& filter) {
    std::array<char, 65536> buffer{};
    for (;;) {
        const ssize_t got = ::read(log_fd, buffer.data(), buffer.size());
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            break;
        }
        const std::string shown = filter.feed(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
        out.write(shown.data(), static_cast<std::streamsize>(shown.size()));
        if (!out) {
            return false;
        }
        copied += static_cast<std::uint64_t>(got);
    }
    out.flush();
    return static_cast<bool>(out);
}

// No block (or no inode) left for kiln's user: the next build.json, log line
// or temp file fails with ENOSPC. A failed statvfs says nothing, so: not full.
bool state_dir_full(const StateLayout& layout) {
    struct statvfs info {};
    if (::statvfs(layout.root().c_str(), &info) != 0) {
        return false;
    }
    return info.f_bavail == 0 || (info.f_files != 0 && info.f_favail == 0);
}

// Whether a live process still runs `record`'s build (a runner, or the
// build's step leader): the one question the follower asks about liveness,
// answered as `kiln builds` answers it.
bool build_runner_alive(const StateLayout& layout, const BuildRecord& record) {
    return build_is_live(layout, record.id.repo, record.id.number);
}

}  // namespace

FollowResult follow_build(const StateLayout& layout, const std::string& repo, int number, std::ostream& out,
                          const std::function<bool()>& keep_going, const FollowOptions& options) {
    FollowResult result{read_record(layout, repo, number), FollowEnd::final};
    // Watching the build folder sees both log appends (IN_MODIFY) and the
    // rename that replaces build.json (IN_MOVED_TO).
    const UniqueFd watch(
        check_errno(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK), "watching build " + result.record.id.label()));
    check_errno(::inotify_add_watch(watch.get(), layout.build_dir(repo, number).c_str(),
                                    IN_MODIFY | IN_MOVED_TO | IN_CREATE | IN_CLOSE_WRITE),
                "watching '" + layout.build_dir(repo, number).string() + "'");
    const std::filesystem::path log_path = layout.log_file(repo, number);
    UniqueFd log(::open(log_path.c_str(), O_RDONLY | O_CLOEXEC));
    // Only the log's bytes and the status count as moving: a runner retrying a
    // write that fails makes inotify events, and no progress.
    std::uint64_t copied = 0;
    std::uint64_t copied_before = 0;
    TerminalFilter filter;
    BuildStatus status_before = result.record.status;
    auto last_moved = std::chrono::steady_clock::now();
    for (;;) {
        if (!log) {
            log = UniqueFd(::open(log_path.c_str(), O_RDONLY | O_CLOEXEC));
        }
        // Read the record before the log: whatever was logged before the
        // record turned final is then certain to be copied.
        result.record = read_record(layout, repo, number);
        if (log && !copy_new_bytes(log.get(), out, copied, filter)) {
            result.end = FollowEnd::left;
            return result;
        }
        if (is_final(result.record.status)) {
            out << filter.finish() << std::flush;
            return result;
        }
        if (!keep_going()) {
            result.end = FollowEnd::left;
            return result;
        }
        const auto now = std::chrono::steady_clock::now();
        if (copied != copied_before || result.record.status != status_before) {
            copied_before = copied;
            status_before = result.record.status;
            last_moved = now;
        } else if (now - last_moved >= options.stall) {
            if (state_dir_full(layout)) {
                result.end = FollowEnd::disk_full;
                return result;
            }
            if (result.record.status == BuildStatus::running && !build_runner_alive(layout, result.record)) {
                result.end = FollowEnd::runner_gone;
                return result;
            }
        }
        pollfd poll_fd{watch.get(), POLLIN, 0};
        if (::poll(&poll_fd, 1, kPollMillis) > 0) {
            std::array<char, 4096> events{};
            while (::read(watch.get(), events.data(), events.size()) > 0) {
            }
        }
    }
}

std::optional<std::string> why_waiting(const StateLayout& layout, const BuildRecord& record, int jobs) {
    if (record.status != BuildStatus::queued) {
        return std::nullopt;
    }
    const std::string key = job_for(record, {}).branch_key();
    std::optional<std::string> same_branch;
    int active = 0;
    for (const Job& job : list_claimed(layout)) {
        const std::optional<BuildRecord> claimed = find_record(layout, job.id.repo, job.id.number);
        if (!claimed || is_final(claimed->status) ||
            (job.id.repo == record.id.repo && job.id.number == record.id.number)) {
            continue;  // released a moment from now, or our own claim
        }
        ++active;
        if (job.branch_key() == key && !same_branch) {
            const std::string branch = job.id.branch();
            same_branch = "waits for " + claimed->id.label() + (branch.empty() ? "" : " on " + branch);
        }
    }
    if (same_branch) {
        return same_branch;
    }
    if (active >= std::max(1, jobs)) {
        return "waits for a free runner slot (runner.jobs: " + std::to_string(std::max(1, jobs)) + ")";
    }
    return std::nullopt;
}

std::optional<std::string> stalled_line(const StateLayout& layout, const FollowResult& result,
                                        const std::string& show_command) {
    const std::string label = result.record.id.label();
    switch (result.end) {
        case FollowEnd::disk_full:
            return kiln_line(label + ": kiln cannot write to " + layout.root().string() +
                   " (No space left on device); its result is recorded once space is freed: " + show_command);
        case FollowEnd::runner_gone:
            return kiln_line(label + " interrupted: " + kAbandonedReason + ": " + show_command);
        case FollowEnd::final:
        case FollowEnd::left:
            break;
    }
    return std::nullopt;
}

int follow_exit_code(const FollowResult& result) {
    return result.end == FollowEnd::final ? follow_exit_code(result.record.status) : kExitFailed;
}

int follow_exit_code(BuildStatus status) {
    return status == BuildStatus::success || status == BuildStatus::skipped ? kExitOk : kExitBuildFailed;
}

}  // namespace kiln::queue
