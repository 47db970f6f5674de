#include "queue/registry_lock.h"

#include <cerrno>
#include <thread>

#include <fcntl.h>
#include <sys/file.h>

#include "common/error.h"

namespace kiln::queue {
namespace {

constexpr auto kPoll = std::chrono::milliseconds(100);

UniqueFd open_lock_file(const std::filesystem::path& path) {
    return UniqueFd(check_errno(::open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0644),
                                "opening registry lock '" + path.string() + "'"));
}

// flock(operation | LOCK_NB) until it succeeds (true) or the wait ends (false).
bool lock_polling(const UniqueFd& fd, int operation, const std::filesystem::path& path,
                  const RegistryLock::Wait& wait, bool& told) {
    for (;;) {
        if (::flock(fd.get(), operation | LOCK_NB) == 0) {
            return true;
        }
        if (errno != EWOULDBLOCK && errno != EINTR) {
            check_errno(-1, "locking '" + path.string() + "'");
        }
        if (!told && wait.on_wait) {
            wait.on_wait();
        }
        told = true;
        if ((wait.cancelled && wait.cancelled()) || std::chrono::steady_clock::now() >= wait.deadline) {
            return false;
        }
        std::this_thread::sleep_for(kPoll);
    }
}

}  // namespace

std::optional<RegistryLock> RegistryLock::acquire(const StateLayout& layout, Mode mode, const Wait& wait) {
    UniqueFd turn = open_lock_file(layout.registry_gc_lock());
    UniqueFd lock = open_lock_file(layout.registry_lock());
    bool told = false;
    if (mode == Mode::shared) {
        if (!lock_polling(turn, LOCK_SH, layout.registry_gc_lock(), wait, told) ||
            !lock_polling(lock, LOCK_SH, layout.registry_lock(), wait, told)) {
            return std::nullopt;
        }
        // Let go of the turn at once: a gc that comes next waits only for the
        // builds already running, not for one more.
        return RegistryLock(std::move(lock), UniqueFd());
    }
    if (!lock_polling(turn, LOCK_EX, layout.registry_gc_lock(), wait, told) ||
        !lock_polling(lock, LOCK_EX, layout.registry_lock(), wait, told)) {
        return std::nullopt;
    }
    return RegistryLock(std::move(lock), std::move(turn));
}

}  // namespace kiln::queue
