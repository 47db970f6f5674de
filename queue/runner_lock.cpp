#include "queue/runner_lock.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "common/error.h"

extern char** environ;

namespace kiln::runner {
namespace {

// runner_running() holds a shared lock for a few microseconds; a runner that
// starts in that instant must not take it for another runner and quit.
constexpr int kAcquireAttempts = 10;
constexpr auto kAcquireRetry = std::chrono::milliseconds(20);

// Everything the child needs, built before fork(): after it only
// async-signal-safe calls are allowed (the caller may have threads).
struct ExecPlan {
    std::vector<std::string> argv_storage;
    std::vector<char*> argv;
    std::vector<std::string> env_storage;
    std::vector<char*> envp;
    std::string log_path;
};

ExecPlan plan_exec(const StateLayout& layout, const std::filesystem::path& kiln_executable,
                   const std::optional<std::filesystem::path>& config_file) {
    ExecPlan plan;
    plan.argv_storage.push_back(kiln_executable.string());
    if (config_file) {
        plan.argv_storage.push_back("--config");
        plan.argv_storage.push_back(std::filesystem::absolute(*config_file).string());
    }
    plan.argv_storage.push_back("runner");
    for (std::string& arg : plan.argv_storage) {
        plan.argv.push_back(arg.data());
    }
    plan.argv.push_back(nullptr);
    // The hook runs with GIT_DIR and friends set; the runner must not.
    for (char** entry = environ; *entry != nullptr; ++entry) {
        if (std::strncmp(*entry, "GIT_", 4) != 0) {
            plan.env_storage.emplace_back(*entry);
        }
    }
    for (std::string& entry : plan.env_storage) {
        plan.envp.push_back(entry.data());
    }
    plan.envp.push_back(nullptr);
    plan.log_path = layout.runner_log().string();
    return plan;
}

void close_inherited_fds() {
    if (::syscall(SYS_close_range, 3U, ~0U, 0U) == 0) {
        return;
    }
    const long max_fd = ::sysconf(_SC_OPEN_MAX);
    for (int fd = 3; fd < (max_fd > 0 ? max_fd : 65536); ++fd) {
        ::close(fd);
    }
}

[[noreturn]] void become_runner(const ExecPlan& plan) {
    ::setsid();
    if (::fork() != 0) {
        ::_exit(0);  // the session leader exits; the grandchild can never regain a terminal
    }
    if (::chdir("/") != 0) {
        ::_exit(127);
    }
    const int null_fd = ::open("/dev/null", O_RDWR);
    int log_fd = ::open(plan.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (log_fd < 0) {
        log_fd = null_fd;
    }
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    close_inherited_fds();
    ::execve(plan.argv[0], plan.argv.data(), plan.envp.data());
    ::_exit(127);
}

}  // namespace

std::optional<RunnerLock> RunnerLock::try_acquire(const StateLayout& layout) {
    std::error_code ec;
    std::filesystem::create_directories(layout.root(), ec);
    if (ec) {
        throw StateError(describe("creating state dir '" + layout.root().string() + "'", ec.message()));
    }
    const std::filesystem::path path = layout.runner_lock();
    UniqueFd fd(check_errno(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644),
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
    const ExecPlan plan = plan_exec(layout, kiln_executable, config_file);
    const pid_t child = check_errno(::fork(), "starting a runner");
    if (child == 0) {
        become_runner(plan);
    }
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
}

}  // namespace kiln::runner
