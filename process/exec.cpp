#include "process/exec.h"

#include <cerrno>
#include <cstring>

#include <unistd.h>

#include "common/error.h"
#include "process/exec_plan.h"

namespace kiln::process {

void exec_replacing(const Command& command, const std::string& doing) {
    const ExecPlan plan(command, doing);
    ::execve(plan.program(), plan.argv(), plan.envp());
    throw ProcessError(describe(doing, std::string("cannot run '") + plan.program() + "': " + std::strerror(errno)));
}

}  // namespace kiln::process
