#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "config/config.h"

namespace kiln::cli {

/// What every subcommand may need: the global options and the config they
/// select, loaded on first use so that `kiln version` works without a config.
class Context {
public:
    explicit Context(std::optional<std::filesystem::path> config_path) : config_path_(std::move(config_path)) {}

    /// The global config. Throws ConfigError.
    const config::Config& config();
    /// The path given with --config, if any.
    const std::optional<std::filesystem::path>& config_path() const { return config_path_; }

private:
    std::optional<std::filesystem::path> config_path_;
    std::optional<config::Config> config_;
};

/// Runs a parsed subcommand and returns its exit code.
using Handler = std::function<int(Context&)>;

/// Adds a subcommand's options to `command` and returns the handler that will
/// run it; option values live in state the handler captures.
using Definer = Handler (*)(CLI::App& command);

struct CommandSpec {
    const char* name;
    const char* summary;
    Definer define;
};

/// Every subcommand, in the order `kiln --help` lists them.
const std::vector<CommandSpec>& command_table();

/// For commands with their own subcommands (`image push`, `config check`):
/// returns a handler that runs whichever of `children` was parsed.
Handler dispatch_subcommands(CLI::App& parent, std::vector<std::pair<CLI::App*, Handler>> children);

// One definer per file cmd_<name>.cpp.
Handler define_image(CLI::App& command);
Handler define_config(CLI::App& command);
Handler define_hook(CLI::App& command);
Handler define_init(CLI::App& command);
/// `image push`, added by cmd_image.cpp under `image`.
Handler define_image_push(CLI::App& command);
/// `image gc`, added by cmd_image.cpp under `image`.
Handler define_image_gc(CLI::App& command);
Handler define_repos(CLI::App& command);
Handler define_doctor(CLI::App& command);
Handler define_version(CLI::App& command);

/// This build's version (`git describe` at configure time).
std::string version();
Handler define_runner(CLI::App& command);
Handler define_builds(CLI::App& command);
Handler define_show(CLI::App& command);
Handler define_logs(CLI::App& command);
Handler define_rebuild(CLI::App& command);
Handler define_cancel(CLI::App& command);
Handler define_deployed(CLI::App& command);
Handler define_releases(CLI::App& command);
Handler define_rollback(CLI::App& command);
Handler define_watch(CLI::App& command);
Handler define_key(CLI::App& command);
/// `shell`: the forced command of the keys `kiln key` adds.
Handler define_shell(CLI::App& command);
/// `build-leader`: internal, the runner starts it for each build step.
Handler define_build_leader(CLI::App& command);

}  // namespace kiln::cli
