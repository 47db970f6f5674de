#pragma once

// Shared helpers for the runner unit tests: a state dir in a TempDir and a
// quick way to queue builds.

#include <string>

#include "queue/enqueue.h"
#include "queue/state_layout.h"
#include "tests/support/temp_dir.h"

namespace kiln::test {

struct StateFixture {
    TempDir dir;
    kiln::queue::StateLayout layout{dir / "state"};

    /// Queues a build of `repo` on `branch` with a made-up sha, pushed by `pushed_by`.
    kiln::queue::BuildRecord queue(const std::string& repo, const std::string& branch = "main",
                              const std::string& sha = std::string(40, 'a'), const std::string& pushed_by = {}) const {
        return kiln::queue::enqueue_build(
            layout, {repo, 0, "refs/heads/" + branch, sha, kiln::queue::kTriggerPush, pushed_by}, dir / (repo + ".git"));
    }
};

}  // namespace kiln::test
