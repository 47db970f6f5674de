#pragma once

#include <stdexcept>
#include <string>

namespace kiln {

/// Process exit codes, the contract scripts rely on (docs/design.md, Reference).
enum ExitCode : int {
    kExitOk = 0,
    kExitUsage = 1,          ///< bad arguments or bad input (names, config files)
    kExitFailed = 2,         ///< the operation itself failed
    kExitBuildFailed = 3,    ///< `logs -f`: the build ended without success
};

/// Base of every unexpected failure. The message says what kiln was doing and
/// why it failed; `main()` prints it as `kiln: error: <message>`.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
    /// The exit code this failure ends the process with.
    virtual int exit_code() const noexcept { return kExitFailed; }
};

/// The user asked for something malformed: a bad name, option or argument.
class UsageError : public Error {
public:
    using Error::Error;
    int exit_code() const noexcept override { return kExitUsage; }
};

/// A config file (global or `.kiln.yml`) is invalid; the message lists every
/// problem as `FILE:LINE:COL: what is wrong`, one per line.
class ConfigError : public Error {
public:
    using Error::Error;
    int exit_code() const noexcept override { return kExitUsage; }
};

class GitError : public Error {
public:
    using Error::Error;
};

class ProcessError : public Error {
public:
    using Error::Error;
};

class RegistryError : public Error {
public:
    using Error::Error;
};

/// The state directory (queue, builds, worktrees) could not be read or written.
class StateError : public Error {
public:
    using Error::Error;
};

/// Formats `doing: why`, the shape of every error message.
std::string describe(const std::string& doing, const std::string& why);

}  // namespace kiln
