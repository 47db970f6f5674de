#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <iostream>

#include "cli/command.h"
#include "common/error.h"
#include "hooks/post_receive.h"

namespace kiln::cli {
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

int run_hook(Context& context) {
    install_signal_handlers();
    std::error_code error;
    hooks::PostReceiveContext hook;
    hook.config = &context.config();
    hook.repo_path = receiving_repository();
    hook.options = hooks::read_push_options();
    hook.kiln_executable = std::filesystem::read_symlink("/proc/self/exe", error);
    if (error) {
        throw StateError(describe("finding the path of this kiln binary", error.message()));
    }
    return hooks::run_post_receive(hook, std::cin, std::cout, [] { return !pusher_gone.load(); });
}

}  // namespace

Handler define_hook(CLI::App& command) {
    command.require_subcommand(1);
    CLI::App* post_receive = command.add_subcommand(
        "post-receive", "Run as git's post-receive hook: queue builds of the pushed branches and stream them back");
    post_receive->footer(
        "Reads 'OLD NEW REF' lines on stdin, as git passes them. Push options: -o ci.skip (no build),\n"
        "-o kiln.detach (queue, do not wait). Installed by 'kiln init' as a three-line hooks/post-receive.");
    return dispatch_subcommands(command, {{post_receive, run_hook}});
}

}  // namespace kiln::cli
