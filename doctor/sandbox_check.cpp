#include "doctor/checks.h"
#include "runner/sandbox.h"

namespace kiln::doctor {

std::vector<Check> check_sandbox(const Setup& setup) {
    // The same trial the runner makes when it starts, as the same user.
    const runner::SandboxChoice choice = runner::choose_sandbox(setup.config);
    const std::string prefix = "sandbox: ";
    const std::string mode = choice.summary.substr(choice.summary.rfind(prefix, 0) == 0 ? prefix.size() : 0);
    if (choice.problem.empty()) {
        return {passed("sandbox", mode)};
    }
    const std::string file = setup.config.source.empty() ? "the config" : setup.config.source.string();
    const std::string fix = choice.problem.find("'bwrap' not found") != std::string::npos
                                ? setup.sudo + "apt-get install bubblewrap"
                                : "make bwrap run for " + setup.user.name +
                                      " (docs/sandbox.md), or set runner.sandbox: auto in " + file;
    return {failed("sandbox", choice.problem, fix)};
}

}  // namespace kiln::doctor
