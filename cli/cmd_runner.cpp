#include <memory>

#include <spdlog/spdlog.h>

#include "cli/command.h"
#include "common/error.h"
#include "common/units.h"
#include "runner/runner.h"

namespace kiln::cli {

Handler define_runner(CLI::App& command) {
    auto once = std::make_shared<bool>(false);
    auto stop_grace = std::make_shared<std::string>("60s");
    command.add_flag("--once", *once, "Build what is queued (and what is queued meanwhile), then exit");
    command.add_option("--stop-grace", *stop_grace,
                       "After SIGTERM, how long running builds may finish before they are cancelled (default 60s)");
    command.footer("The build daemon: one per state dir (an flock on <state_dir>/runner.lock; a second runner exits\n"
                   "at once, quietly). Logs key=value lines on stderr. SIGTERM or SIGINT: take no new builds, let\n"
                   "running ones finish within --stop-grace, then cancel them; a second signal cancels at once.");
    return [once, stop_grace](Context& context) {
        const std::optional<std::chrono::seconds> grace = parse_duration(*stop_grace);
        if (!grace) {
            throw UsageError(describe("reading --stop-grace '" + *stop_grace + "'", "expected a duration like 60s or 2m"));
        }
        // The daemon's key=value lines are its journal: shown unless -v or
        // SPDLOG_LEVEL asked for more.
        if (spdlog::get_level() > spdlog::level::info) {
            spdlog::set_level(spdlog::level::info);
        }
        runner::RunnerOptions options;
        options.once = *once;
        options.stop_grace = *grace;
        return runner::run_runner(context.config(), options);
    };
}

}  // namespace kiln::cli
