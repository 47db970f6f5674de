// kiln-hook: the post-receive hook in a binary of its own. It links only what
// a push needs (config, the queue, the log follower) and never initialises
// libgit2, so a push with nothing to build pays a millisecond or two for it
// instead of the ~30 ms that loading the full kiln (OpenSSL, libarchive,
// libgit2's CA bundle parse) costs. `kiln init` installs hooks that exec it.

#include <unistd.h>

#include <iostream>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "common/error.h"
#include "common/logging.h"
#include "common/posix.h"
#include "config/config.h"
#include "hooks/hook_process.h"

namespace {

// The kiln that runs builds sits next to this binary (both are installed to
// the same bin directory, and built into the same build directory). Without
// it, a queued build would wait for a runner that can never start.
std::filesystem::path sibling_kiln() {
    const std::filesystem::path self = kiln::current_executable();
    const std::filesystem::path kiln = self.parent_path() / "kiln";
    if (::access(kiln.c_str(), X_OK) != 0) {
        throw kiln::StateError(kiln::describe("finding kiln next to " + self.string(),
                                              "no executable " + kiln.string() + "; reinstall kiln (install.sh)"));
    }
    return kiln;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"kiln-hook: git's post-receive hook for kiln, the same as 'kiln hook post-receive' in a binary\n"
                 "that starts faster. 'kiln init' installs hooks that run it; it is not meant to be run by hand.",
                 "kiln-hook"};
    app.require_subcommand(1);
    std::string config_path;
    int verbosity = 0;
    app.add_option("-c,--config", config_path,
                   "Config file (default: $KILN_CONFIG, ~/.config/kiln/config.yaml, /etc/kiln/config.yaml)");
    app.add_flag("-v,--verbose", verbosity, "Print debug logs on stderr");
    CLI::App* hook = app.add_subcommand("hook", "Run a git hook");
    hook->require_subcommand(1);
    hook->add_subcommand("post-receive", "Queue builds of the pushed branches and stream them back (reads git's stdin)");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        return app.exit(error) == 0 ? kiln::kExitOk : kiln::kExitUsage;
    }

    kiln::setup_logging(verbosity);
    try {
        const kiln::config::Config config =
            kiln::config::load_config(config_path.empty() ? std::nullopt : std::optional<std::filesystem::path>(config_path));
        return kiln::hooks::run_post_receive_hook(config, sibling_kiln());
    } catch (const kiln::Error& error) {
        std::cerr << "kiln: error: " << error.what() << '\n';
        return error.exit_code();
    } catch (const std::exception& error) {
        std::cerr << "kiln: error: " << error.what() << '\n';
        return kiln::kExitFailed;
    }
}
