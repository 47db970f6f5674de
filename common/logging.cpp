#include "common/logging.h"

#include <spdlog/cfg/env.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace kiln {

void setup_logging(int verbosity) {
    auto logger = spdlog::stderr_color_mt("kiln");
    logger->set_pattern("kiln: %l: %v");
    spdlog::set_default_logger(logger);
    spdlog::set_level(verbosity > 0 ? spdlog::level::debug : spdlog::level::warn);
    spdlog::cfg::load_env_levels();
}

}  // namespace kiln
