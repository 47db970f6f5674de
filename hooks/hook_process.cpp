#include "hooks/hook_process.h"

#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <iostream>

#include "common/error.h"
#include "hooks/post_receive.h"
#include "queue/build_identity.h"

namespace kiln::hooks {
namespace {

// Set by SIGINT/SIGHUP/SIGTERM: the pusher pressed Ctrl-C or went away. Only
// the streaming stops; the build runs in the runner, not here.
std::atomic<bool> pusher_gone{false};

extern "C" void on_pusher_gone(int) { pusher_gone = true; }

void install_signal_handlers() {
    // A closed pipe to the pusher must fail a write (and end the streaming),
    // not kill the hook before it says where the build can be followed.
    ::signal(SIGPIPE, SIG_IGN);
    struct sigaction action {};
    action.sa_handler = on_pusher_gone;
    sigemptyset(&action.sa_mask);
    for (const int signal_number : {SIGINT, SIGHUP, SIGTERM}) {
        ::sigaction(signal_number, &action, nullptr);
    }
}

// git runs post-receive in the repository with GIT_DIR set (often to ".").
std::filesystem::path receiving_repository() {
    const char* git_dir = std::getenv("GIT_DIR");
    std::error_code error;
    const std::filesystem::path cwd = std::filesystem::current_path(error);
    if (error) {
        throw StateError(describe("finding the repository that received the push", error.message()));
    }
    return (git_dir != nullptr && *git_dir != '\0') ? cwd / git_dir : cwd;
}

}  // namespace

int run_post_receive_hook(const config::Config& config, const std::filesystem::path& kiln_executable) {
    install_signal_handlers();
    PostReceiveContext hook;
    hook.config = &config;
    hook.repo_path = receiving_repository();
    hook.options = read_push_options();
    hook.kiln_executable = kiln_executable;
    hook.pushed_by = queue::pushed_by_from_environment();
    return run_post_receive(hook, std::cin, std::cout, [] { return !pusher_gone.load(); });
}

}  // namespace kiln::hooks
