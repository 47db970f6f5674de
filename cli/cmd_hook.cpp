#include "cli/command.h"
#include "common/posix.h"
#include "hooks/hook_process.h"

namespace kiln::cli {
namespace {

int run_hook(Context& context) {
    return hooks::run_post_receive_hook(context.config(), current_executable());
}

}  // namespace

Handler define_hook(CLI::App& command) {
    command.require_subcommand(1);
    CLI::App* post_receive = command.add_subcommand(
        "post-receive", "Run as git's post-receive hook: queue builds of the pushed branches and stream them back");
    post_receive->footer(
        "Reads 'OLD NEW REF' lines on stdin, as git passes them. Push options: -o ci.skip (no build),\n"
        "-o kiln.detach (queue, do not wait). 'kiln init' installs a hook that runs the same code in\n"
        "kiln-hook, a lean binary next to kiln that starts faster.");
    return dispatch_subcommands(command, {{post_receive, run_hook}});
}

}  // namespace kiln::cli
