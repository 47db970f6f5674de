#pragma once

// `kiln image` references that name a build the ways `kiln builds` shows it:
// `app#42` and `app:<short sha>`.

#include <string>

#include "config/config.h"

namespace kiln::cli {

/// `text` with a build named by its release turned into the build's tag:
/// `[HOST/]NAME#42` becomes `HOST/NAME:<build 42's sha>`, and
/// `[HOST/]NAME:<7 to 39 hex digits>` becomes `HOST/NAME:<the full sha>` when
/// the digits start the commit of a release of the repo that makes NAME (any
/// other tag stays as it is). Throws UsageError for a build that is no
/// release or a prefix of several commits.
std::string expand_release_reference(const config::Config& config, const std::string& text);

}  // namespace kiln::cli
