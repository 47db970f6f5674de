#pragma once

// `kiln doctor`: checks what a build box needs (what install.sh sets up, and
// what breaks builds later) and says, for each problem, what to run.

#include <filesystem>
#include <string>
#include <vector>

#include <sys/types.h>

#include "config/config.h"
#include "doctor/report.h"

namespace kiln::doctor {

/// The user whose box is checked: who runs the runner and the hooks.
struct User {
    std::string name;
    uid_t uid = 0;
    gid_t gid = 0;
};

/// Everything the checks look at, and how a fix names the commands to run.
struct Setup {
    config::Config config;
    std::filesystem::path kiln;  ///< this kiln's executable
    User user;
    /// How a fix runs kiln as `user`: `kiln`, `/opt/kiln --config FILE`,
    /// `sudo -u git kiln` (doctor was started by root).
    std::string kiln_command;
    /// Put before a command that needs root: `sudo `, or nothing for root.
    std::string sudo;
};

/// Runs every check for `setup` (config already valid), in the order they
/// are listed. Never throws for what it finds: a problem is a failed check.
std::vector<Check> run_checks(const Setup& setup);

/// The failed `config` checks for the config `file` that did not load: one
/// per line of `error` (a ConfigError lists one problem per line), each with
/// its fix, which `kiln` (how to run kiln) checks.
std::vector<Check> config_failures(const std::string& error, const std::string& file, const std::string& kiln);

}  // namespace kiln::doctor
