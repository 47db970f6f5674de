#pragma once

// Reading the per-repo keys, shared by `.kiln.yml` and the global `defaults:`.
// Internal to config/.

#include <map>
#include <string>

#include "config/config.h"
#include "config/yaml_reader.h"

namespace kiln::config {

/// Reads the repo keys of the mapping `field` on top of `base` (see
/// parse_repo_config for how they merge). `hints` explain keys that belong
/// elsewhere. Problems go to `reader`'s Diagnostics.
RepoConfig read_repo_keys(YamlReader& reader, const Field& field, const RepoConfig& base,
                          const std::map<std::string, std::string>& hints);

/// The repo keys, in documentation order.
const std::vector<std::string>& repo_keys();

}  // namespace kiln::config
