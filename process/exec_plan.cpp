#include "process/exec_plan.h"

namespace kiln::process {

ExecPlan::ExecPlan(const Command& command)
    : argv_storage_(command.argv),
      env_storage_(command.env.entries()),
      program_(command.program.empty() && !command.argv.empty() ? command.argv.front() : command.program) {
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
