#pragma once

// Where a program name resolves on a PATH, as execvp would look it up: the
// runner before it starts `make`, kiln doctor for the tools builds run.

#include <optional>
#include <string>

namespace kiln::process {

/// The first `dir/name` that is an executable regular file, for each dir of
/// `path` (directories joined by ':'; an empty entry is the current
/// directory, as POSIX says); nothing when there is none.
std::optional<std::string> search_path(const std::string& name, const std::string& path);

}  // namespace kiln::process
