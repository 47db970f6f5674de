#pragma once

#include "config/config.h"

namespace kiln::cli {

/// Starts a detached runner for `config` (see queue::start_detached_runner)
/// unless one holds the runner lock: what a command queued or ended is then
/// built and announced even on a box with no runner service. Throws StateError.
void start_runner_unless_running(const config::Config& config);

}  // namespace kiln::cli
