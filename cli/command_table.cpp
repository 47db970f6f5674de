#include "cli/command.h"
#include "runner/step_leader.h"

namespace kiln::cli {

// The single list of subcommands: it drives both parsing and `kiln --help`.
const std::vector<CommandSpec>& command_table() {
    static const std::vector<CommandSpec> kCommands{
        {"init", "Create a bare repository under git_root, or refresh its hook", define_init},
        {"config", "Check a config file or .kiln.yml and print the effective config", define_config},
        {"repos", "List the repositories under git_root", define_repos},
        {"doctor", "Check this build box: config, dirs, hooks, runner, registry, tools, disk; say what to fix",
         define_doctor},
        {"image", "List, inspect, tag, remove, prune and push images in the registry", define_image},
        {"watch", "Run a command each time an image in the registry changes (deploy hosts)", define_watch},
        {"runner", "Run the build daemon: claim queued builds and run them (--once: until none are left)", define_runner},
        {"builds", "List builds, newest first", define_builds},
        {"show", "Show one build's record: status, times, exit code, image", define_show},
        {"logs", "Print a build's log; -f follows it until the build ends", define_logs},
        {"rebuild", "Queue a new build of a branch or commit", define_rebuild},
        {"cancel", "Cancel a queued or running build", define_cancel},
        {"deployed", "(deploy hosts, over ssh) Record that a host deployed a digest: kiln watch --report sends it",
         define_deployed},
        {"key", "Manage the SSH keys that may reach this box, each with a role (read, write, admin)", define_key},
        {"shell", "(authorized_keys) The forced command of a key: run what its role allows", define_shell},
        {"hook", "Git hooks kiln installs (post-receive: queue and stream the pushed builds)", define_hook},
        {"version", "Print kiln's version", define_version},
        {runner::kLeaderCommand, "(internal) Lead one build step for the runner, so none of its processes outlives it",
         define_build_leader},
    };
    return kCommands;
}

}  // namespace kiln::cli
