#pragma once

#include <string>
#include <vector>

#include "process/command.h"

namespace kiln::process {

/// A Command's argv and environment as the NULL-terminated arrays exec takes,
/// built before any fork: after one, a child of a threaded parent may only make
/// async-signal-safe calls, which allocating is not. Throws ProcessError,
/// saying `doing`, for a command with no argv.
class ExecPlan {
public:
    ExecPlan(const Command& command, const std::string& doing);
    ExecPlan(const ExecPlan&) = delete;
    ExecPlan& operator=(const ExecPlan&) = delete;

    const char* program() const { return program_.c_str(); }
    char* const* argv() const { return argv_.data(); }
    char* const* envp() const { return envp_.data(); }

private:
    std::vector<std::string> argv_storage_;
    std::vector<std::string> env_storage_;
    std::string program_;
    std::vector<char*> argv_;
    std::vector<char*> envp_;
};

}  // namespace kiln::process
