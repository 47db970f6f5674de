#pragma once

#include <functional>
#include <string>
#include <vector>

namespace kiln::hooks {

/// The `git push -o` options kiln understands.
struct PushOptions {
    bool skip = false;                  ///< `ci.skip`: push without building
    bool detach = false;                ///< `kiln.detach`: queue, do not wait for the build
    std::vector<std::string> unknown;   ///< anything else, reported and ignored
};

/// Reads GIT_PUSH_OPTION_COUNT and GIT_PUSH_OPTION_<i> through `getenv` (the
/// process environment by default; tests pass their own). A missing or
/// malformed count means no options.
PushOptions read_push_options(const std::function<const char*(const char*)>& getenv);

/// The same, from the process environment.
PushOptions read_push_options();

}  // namespace kiln::hooks
