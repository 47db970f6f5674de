#pragma once

// After a successful make: the image the build promised (`image:` in
// .kiln.yml) lands in the registry under the build's sha, gets its other tags,
// and older build tags are pruned; an image the build pushed without
// promising it is recorded and tagged `latest`.

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "config/config.h"
#include "runner/build_env.h"

namespace kiln::queue {
class BuildLog;
}

namespace kiln::runner {

struct ImageOutcome {
    bool ok = false;
    std::string image;   ///< `host:port/name:<sha>`
    std::string digest;  ///< `sha256:...` of its manifest, when ok
    std::vector<std::string> tags;  ///< the tags it got besides its sha
    std::string reason;  ///< why not ok: the build is then `failed` with it
    std::size_t images_pruned = 0;  ///< images image.keep deleted
};

/// When the image step must stop: the build's deadline and its cancel check
/// (polled from the registry client's watchdog thread, so thread-safe).
struct StepLimits {
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
    std::function<bool()> cancelled;
};

/// With `image: false`: nothing. Without `image:`: when the build pushed
/// `REGISTRY/<repo name>:<sha>` ($IMAGE), records it and tags it `latest`;
/// whatever the registry says, the outcome is ok (a failure to ask or to tag
/// is one `[kiln]` line). With `image:`:
/// makes sure `REGISTRY/<image name>:<sha>` exists: pushes `image.archive`
/// from `worktree` when set, else checks that the Makefile pushed $IMAGE.
/// Then adds `image.tags` (`{branch}` made tag-safe) by manifest copy and,
/// with `image.keep`, keeps that many distinct images of the build tags and
/// deletes the others, never this build's image, the last `image.keep`
/// releases' or one a deploy host reported running (the release ledger). Writes a
/// `[kiln]` line per step to `log`. Registry failures (after the client's
/// retries) come back as a reason, never as an exception. Every request,
/// retry and backoff stops at `limits` (reason `...: deadline reached` or
/// `...: cancelled`).
ImageOutcome publish_image(const config::Config& config, const config::RepoConfig& repo_config,
                           const queue::BuildIdentity& build, const std::filesystem::path& worktree, queue::BuildLog& log,
                           const StepLimits& limits = {});

}  // namespace kiln::runner
