#pragma once

#include <filesystem>

#include "config/config.h"

namespace kiln::hooks {

/// Runs this process as git's post-receive hook, for both `kiln hook
/// post-receive` and the lean `kiln-hook`: SIGPIPE ignored and SIGINT, SIGHUP,
/// SIGTERM only stop the streaming (the pusher left; the build goes on), the
/// receiving repository taken from GIT_DIR (or the working directory), push
/// options from GIT_PUSH_OPTION_*, the pusher from KILN_PUSHED_BY
/// (queue::pushed_by_from_environment), then run_post_receive on stdin and stdout.
/// `kiln_executable` is started as `kiln runner` when no runner runs.
/// Returns the exit code. Throws kiln::Error.
int run_post_receive_hook(const config::Config& config, const std::filesystem::path& kiln_executable);

}  // namespace kiln::hooks
