#pragma once

// Replacing this process with another program: `kiln shell`, the forced
// command of a key, becomes the git or kiln it allows, so nothing of it stays
// between sshd and that program.

#include <string>

#include "process/command.h"

namespace kiln::process {

/// execve()s `command` (its program, argv and whole environment; `program`
/// must be a path: no PATH search happens). Only `argv`, `program` and `env`
/// are used. Returns only by throwing ProcessError("<doing>: <why>").
[[noreturn]] void exec_replacing(const Command& command, const std::string& doing);

}  // namespace kiln::process
