#pragma once

// Which image tool a repository's build runs. kiln runs `make` and cannot see
// which programs a Makefile calls; doctor follows the convention of
// examples/app, whose Makefile picks its tool with the make variable BUILDER.

#include <optional>
#include <string>

#include "config/config.h"

namespace kiln::doctor {

struct ImageTool {
    std::string name;    ///< `buildah`, `docker`, `podman`, or whatever BUILDER says
    std::string source;  ///< where that was read, for people: `env BUILDER`, `Makefile's default BUILDER`
};

/// The literal value the first assignment of `variable` in `makefile` gives
/// it (`VAR = x`, `:=`, `::=`, `?=`); nothing when there is none, or its value
/// is not a plain word (it refers to another variable, or is empty).
std::optional<std::string> makefile_assignment(const std::string& makefile, const std::string& variable);

/// The tool a build of `repo` runs: BUILDER from its env (`.kiln.yml` on top
/// of the global defaults), else the default the commit's Makefile (named
/// `makefile_name`, text `makefile`) gives BUILDER; nothing when neither names one.
std::optional<ImageTool> image_tool(const config::RepoConfig& repo, const std::string& makefile_name,
                                    const std::optional<std::string>& makefile);

}  // namespace kiln::doctor
