#pragma once

// The checks run_checks() runs, one group per file; internal to doctor/.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "doctor/doctor.h"

namespace kiln::doctor {

/// git_root, state_dir, secrets_dir: exist, belong to the user, sane modes;
/// a failed check for each secrets file, and a config holding
/// registry.password, that other users can read.
std::vector<Check> check_dirs(const Setup& setup);

/// Tool name -> the repositories whose builds run it.
using ToolUsers = std::map<std::string, std::vector<std::string>>;

struct RepoScan {
    std::vector<Check> checks;
    ToolUsers tools;
};

/// Each repository's hook, and its `.kiln.yml` at HEAD (which also says which
/// image tool its build runs).
RepoScan check_repos(const Setup& setup);

/// A runner holds the runner lock.
std::vector<Check> check_runner(const Setup& setup);

/// registry.url answers /v2/ and deletes manifests.
std::vector<Check> check_registry(const Setup& setup);

/// git, make and the image tools on runner.path; what buildah, podman and
/// docker need besides.
std::vector<Check> check_tools(const Setup& setup, const ToolUsers& tools);

/// Where `tool` is on `path` (runner.path: directories joined by ':').
std::optional<std::filesystem::path> find_on_path(const std::string& tool, const std::string& path);

/// docker's daemon socket `socket` (/var/run/docker.sock) accepts the user.
Check check_docker_socket(const Setup& setup, const std::filesystem::path& socket);

/// Which sandbox builds run in (runner.sandbox), tried as the runner tries it;
/// a failure when runner.sandbox is bubblewrap and it cannot run.
std::vector<Check> check_sandbox(const Setup& setup);

/// Free space for state_dir and the local registry's storage.
std::vector<Check> check_disks(const Setup& setup);

}  // namespace kiln::doctor
