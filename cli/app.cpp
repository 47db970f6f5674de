#include "cli/app.h"

#include <iostream>
#include <memory>

#include "cli/command.h"
#include "common/error.h"
#include "libgit2/git.h"
#include "common/logging.h"

namespace kiln::cli {

int run(int argc, char** argv) {
    CLI::App app{"kiln: push to a git repository over SSH, build it with make, land the image in a registry.", "kiln"};
    app.require_subcommand(1);
    app.fallthrough();
    app.footer("Exit codes: 0 ok, 1 usage or bad input, 2 operation failed, 3 build failed (logs -f).\n"
               "Run 'kiln COMMAND --help' for a command's options.");

    std::string config_path;
    int verbosity = 0;
    app.add_option("-c,--config", config_path,
                   "Config file (default: $KILN_CONFIG, ~/.config/kiln/config.yaml, /etc/kiln/config.yaml)");
    app.add_flag("-v,--verbose", verbosity, "Print debug logs on stderr");
    app.set_version_flag("--version", "kiln " + version());

    std::vector<std::pair<CLI::App*, Handler>> handlers;
    for (const CommandSpec& spec : command_table()) {
        CLI::App* command = app.add_subcommand(spec.name, spec.summary);
        handlers.emplace_back(command, spec.define(*command));
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        return app.exit(error) == 0 ? kExitOk : kExitUsage;
    }

    setup_logging(verbosity);
    try {
        const git::Library libgit2;
        Context context(config_path.empty() ? std::nullopt : std::optional<std::filesystem::path>(config_path));
        for (const auto& [command, handler] : handlers) {
            if (command->parsed()) {
                return handler(context);
            }
        }
        return kExitUsage;
    } catch (const Error& error) {
        std::cerr << "kiln: error: " << error.what() << '\n';
        return error.exit_code();
    } catch (const std::exception& error) {
        std::cerr << "kiln: error: " << error.what() << '\n';
        return kExitFailed;
    }
}

}  // namespace kiln::cli
