#include "cli/command.h"

namespace kiln::cli {

// The single list of subcommands: it drives both parsing and `kiln --help`.
const std::vector<CommandSpec>& command_table() {
    static const std::vector<CommandSpec> kCommands{
        {"init", "Create a bare repository under git_root, or refresh its hook", define_init},
        {"repos", "List the repositories under git_root", define_repos},
        {"version", "Print kiln's version", define_version},
    };
    return kCommands;
}

}  // namespace kiln::cli
