#include "queue/runner_lock.h"

#include <cerrno>
#include <chrono>
#include <string>
#include <thread>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "common/error.h"
#include "common/file_modes.h"
#include "process/spawn.h"
#include "queue/build_identity.h"

namespace kiln::queue {
namespace {

// runner_running() holds a shared lock for a few microseconds; a runner that
// starts in that instant must not take it for another runner and quit.
constexpr int kAcquireAttempts = 10;
constexpr auto kAcquireRetry = std::chrono::milliseconds(20);

}  // namespace

std::optional<RunnerLock> RunnerLock::try_acquire(const StateLayout& layout) {
    create_private_dirs(layout.root());
    const std::filesystem::path path = layout.runner_lock();
    UniqueFd fd(check_errno(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, kPrivateFileMode),
                            "opening runner lock '" + path.string() + "'"));
    for (int attempt = 0; attempt < kAcquireAttempts; ++attempt) {
        if (::flock(fd.get(), LOCK_EX | LOCK_NB) == 0) {
            // The pid is only for people looking; the flock is the lock.
            const std::string pid = std::to_string(::getpid()) + "\n";
            if (::ftruncate(fd.get(), 0) != 0 || ::pwrite(fd.get(), pid.data(), pid.size(), 0) < 0) {
                spdlog::debug("lock={} problem=\"cannot write the pid into it\"", path.string());
            }
            return RunnerLock(std::move(fd));
        }
        if (errno != EWOULDBLOCK && errno != EINTR) {
            check_errno(-1, "locking '" + path.string() + "'");
        }
        std::this_thread::sleep_for(kAcquireRetry);
    }
    return std::nullopt;
}

bool runner_running(const StateLayout& layout) {
    const std::filesystem::path path = layout.runner_lock();
    const int raw = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (raw < 0) {
        if (errno == ENOENT) {
            return false;
        }
        check_errno(-1, "opening runner lock '" + path.string() + "'");
    }
    const UniqueFd fd(raw);
    if (::flock(fd.get(), LOCK_SH | LOCK_NB) == 0) {
        return false;  // closing fd drops the shared lock at once
    }
    if (errno != EWOULDBLOCK) {
        check_errno(-1, "testing runner lock '" + path.string() + "'");
    }
    return true;
}

void start_detached_runner(const StateLayout& layout, const std::filesystem::path& kiln_executable,
                           const std::optional<std::filesystem::path>& config_file) {
    process::Command runner;
    runner.argv.push_back(kiln_executable.string());
    if (config_file) {
        runner.argv.push_back("--config");
        runner.argv.push_back(std::filesystem::absolute(*config_file).string());
    }
    runner.argv.push_back("runner");
    // The hook runs with GIT_DIR and friends set; the runner must not. Nor is
    // it the pusher's: it runs the builds of every key.
    runner.env = process::Environment::current().unset_prefix("GIT_").unset(kPushedByVariable);
    runner.cwd = "/";
    // Opened here, so that a log that cannot be opened leaves /dev/null; the
    // daemon gets it as its stdout and stderr, and this copy is closed.
    const UniqueFd log(::open(layout.runner_log().c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, kPrivateFileMode));
    runner.std_in = process::Redirect::null();
    runner.std_out = log ? process::Redirect::fd(log.get()) : process::Redirect::null();
    runner.std_err = runner.std_out;
    runner.close_other_fds = true;
    process::spawn_daemon(runner, "starting a runner");
}

}  // namespace kiln::queue
