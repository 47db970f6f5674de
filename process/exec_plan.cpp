#include "process/exec_plan.h"

#include "common/error.h"

namespace kiln::process {
namespace {

const std::vector<std::string>& checked_argv(const Command& command, const std::string& doing) {
    if (command.argv.empty()) {
        throw ProcessError(describe(doing, "no command given"));
    }
    return command.argv;
}

}  // namespace

ExecPlan::ExecPlan(const Command& command, const std::string& doing)
    : argv_storage_(checked_argv(command, doing)),
      env_storage_(command.env.entries()),
      program_(command.program.empty() ? command.argv.front() : command.program) {
    for (std::string& arg : argv_storage_) {
        argv_.push_back(arg.data());
    }
    argv_.push_back(nullptr);
    for (std::string& entry : env_storage_) {
        envp_.push_back(entry.data());
    }
    envp_.push_back(nullptr);
}

}  // namespace kiln::process
