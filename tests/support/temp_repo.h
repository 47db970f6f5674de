#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "libgit2/git.h"
#include "tests/support/temp_dir.h"

namespace kiln::test {

/// A bare repository in a TempDir, with commits made in memory through libgit2
/// (no working tree, no git binary). Needs a git::Library alive.
class TempRepo {
public:
    TempRepo();

    const std::filesystem::path& path() const { return path_; }
    git_repository* get() const { return repo_.get(); }

    /// Commits exactly `files` (path -> content; the whole tree, not a diff) on
    /// top of `branch` (created when missing) and returns the new commit's hex id.
    std::string commit(const std::string& branch, const std::map<std::string, std::string>& files,
                       const std::string& message = "test commit");

private:
    TempDir dir_;
    std::filesystem::path path_;
    git::Repository repo_;
};

}  // namespace kiln::test
