#include "runner/log_follow.h"

#include <array>
#include <cerrno>

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "common/error.h"
#include "common/posix.h"

namespace kiln::runner {
namespace {

constexpr int kPollMillis = 500;

// Copies what the log holds beyond what was already copied; false when `out`
// failed. The fd keeps its offset, so each call picks up where the last ended.
bool copy_new_bytes(int log_fd, std::ostream& out) {
    std::array<char, 65536> buffer{};
    for (;;) {
        const ssize_t got = ::read(log_fd, buffer.data(), buffer.size());
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            break;
        }
        out.write(buffer.data(), got);
        if (!out) {
            return false;
        }
    }
    out.flush();
    return static_cast<bool>(out);
}

}  // namespace

BuildRecord follow_build(const StateLayout& layout, const std::string& repo, int number, std::ostream& out,
                         const std::function<bool()>& keep_going) {
    BuildRecord record = read_record(layout, repo, number);
    // Watching the build folder sees both log appends (IN_MODIFY) and the
    // rename that replaces build.json (IN_MOVED_TO).
    const UniqueFd watch(check_errno(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK), "watching build " + record.label()));
    check_errno(::inotify_add_watch(watch.get(), layout.build_dir(repo, number).c_str(),
                                    IN_MODIFY | IN_MOVED_TO | IN_CREATE | IN_CLOSE_WRITE),
                "watching '" + layout.build_dir(repo, number).string() + "'");
    const std::filesystem::path log_path = layout.log_file(repo, number);
    UniqueFd log(::open(log_path.c_str(), O_RDONLY | O_CLOEXEC));
    for (;;) {
        if (!log) {
            log = UniqueFd(::open(log_path.c_str(), O_RDONLY | O_CLOEXEC));
        }
        // Read the record before the log: whatever was logged before the
        // record turned final is then certain to be copied.
        record = read_record(layout, repo, number);
        if (log && !copy_new_bytes(log.get(), out)) {
            return record;
        }
        if (is_final(record.status) || !keep_going()) {
            return record;
        }
        pollfd poll_fd{watch.get(), POLLIN, 0};
        if (::poll(&poll_fd, 1, kPollMillis) > 0) {
            std::array<char, 4096> events{};
            while (::read(watch.get(), events.data(), events.size()) > 0) {
            }
        }
    }
}

int follow_exit_code(BuildStatus status) {
    return status == BuildStatus::success || status == BuildStatus::skipped ? kExitOk : kExitBuildFailed;
}

}  // namespace kiln::runner
