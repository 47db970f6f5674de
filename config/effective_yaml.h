#pragma once

// The effective config as YAML, every key with its value (defaults filled in),
// for `kiln config check --print`. Reading it back gives the same config.

#include <chrono>
#include <string>

#include "config/config.h"

namespace kiln::config {

/// The global config; a registry password shows as `***`.
std::string to_yaml(const Config& config);

/// A repo config; an unset timeout shows as `runner_timeout`, the value it falls back to.
std::string to_yaml(const RepoConfig& config, std::chrono::seconds runner_timeout);

/// `30m`, `1h30m`, `90s` -> `1m30s`: the shortest text parse_duration reads back exactly.
std::string exact_duration(std::chrono::seconds duration);

/// `auto`, `bubblewrap`, `none`: runner.sandbox as the config writes it.
std::string sandbox_name(SandboxMode mode);

/// `50MB`, `512KiB`, `1234B`: the shortest text parse_size reads back exactly.
std::string exact_size(std::uint64_t bytes);

}  // namespace kiln::config
