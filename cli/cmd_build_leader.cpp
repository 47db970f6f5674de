#include <memory>

#include "cli/command.h"
#include "runner/step_leader.h"

namespace kiln::cli {

Handler define_build_leader(CLI::App& command) {
    auto options = std::make_shared<runner::StepLeaderOptions>();
    auto grace_ms = std::make_shared<long>(10000);
    auto linger_ms = std::make_shared<long>(1000);
    command.add_option("--status", options->status_file, "Where the step's ending is written")->required();
    command.add_option("--leader-file", options->leader_file, "Where the leader's pid and start time are written")
        ->required();
    command.add_option("--runner-pid", options->runner, "The pid of the runner that started this leader")->required();
    command.add_option("--grace-ms", *grace_ms, "Milliseconds between SIGTERM and SIGKILL (default 10000)")
        ->check(CLI::NonNegativeNumber);
    command.add_option("--linger-ms", *linger_ms,
                       "Milliseconds what the step left running may run on by itself (default 1000)")
        ->check(CLI::NonNegativeNumber);
    command.add_option("--program", options->program, "The path of the program to run")->required();
    command.add_option("ARGV", options->argv, "Its argv, after --")->required();
    command.footer("Started by the runner for each build step (runner/step_leader.h); not meant to be run by hand.");
    return [options, grace_ms, linger_ms](Context&) {
        options->grace = std::chrono::milliseconds(*grace_ms);
        options->linger = std::chrono::milliseconds(*linger_ms);
        return runner::run_step_leader(*options);
    };
}

}  // namespace kiln::cli
