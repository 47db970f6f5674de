#include "cli/runner_start.h"

#include <filesystem>
#include <optional>

#include "common/posix.h"
#include "queue/runner_lock.h"

namespace kiln::cli {

void start_runner_unless_running(const config::Config& config) {
    const queue::StateLayout layout(config.state_dir);
    if (queue::runner_running(layout)) {
        return;
    }
    std::optional<std::filesystem::path> config_file;
    if (!config.source.empty()) {
        config_file = std::filesystem::absolute(config.source);
    }
    queue::start_detached_runner(layout, current_executable(), config_file);
}

}  // namespace kiln::cli
