#pragma once

// Which image tool a repository's build runs. kiln runs `make` and cannot see
// which programs a Makefile calls; doctor follows the convention of
// examples/app, whose Makefile picks its tool with the make variable BUILDER.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"

namespace kiln::doctor {

struct ImageTool {
    std::string name;    ///< `buildah`, `docker`, `podman`, or whatever BUILDER says
    std::string source;  ///< where that was read, for people: `env BUILDER`, `Makefile's default BUILDER`
};

/// The value the first assignment of `variable` in `makefile` gives it
/// (`VAR = x`, `:=`, `::=`, `?=`), as written; nothing when there is none or
/// it is empty.
std::optional<std::string> makefile_assignment(const std::string& makefile, const std::string& variable);

/// The image tools doctor knows (buildah, podman, docker) that `value` names,
/// in the order it names them: `$(if $(shell command -v buildah),buildah,docker)`
/// gives buildah, docker.
std::vector<std::string> tools_named(const std::string& value);

/// True when `tool` is on the builds' PATH.
using ToolInstalled = std::function<bool(const std::string& tool)>;

/// The tool a build of `repo` runs: BUILDER from its env (`.kiln.yml` on top
/// of the global defaults), else the default the commit's Makefile (named
/// `makefile_name`, text `makefile`) gives BUILDER. A default that picks among
/// tools (examples/app: buildah when installed, else docker) is taken to pick
/// the first of them that is `installed`, or the first when none is. Nothing
/// when neither names a tool.
std::optional<ImageTool> image_tool(const config::RepoConfig& repo, const std::string& makefile_name,
                                    const std::optional<std::string>& makefile, const ToolInstalled& installed);

}  // namespace kiln::doctor
