#pragma once

// The top level of one commit, read without libgit2. The post-receive hook
// reads it on every push, and loading and initialising Debian's libgit2 (which
// parses the whole system CA bundle) takes about 25 ms: several times what kiln
// may add to a push with nothing to build. So a full commit id is read from the
// repository's files (object_files.h); whatever that reader cannot read or
// finds malformed, and any other revision, is asked of one `git cat-file
// --batch` (git is always there on a git server). Starting that git on every
// push would cost 2.5 ms of CPU, about 6% of a bare push (docs/BENCHMARKS.md).

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace kiln::git_objects {

/// What a commit's root directory says about one top-level file.
struct RootFile {
    std::uint64_t size = 0;
    /// The content, when the file is a regular file (or executable) of at most
    /// the size asked for; nothing otherwise.
    std::optional<std::string> content;
};

struct CommitRoot {
    std::string commit_id;                      ///< full hex id of the commit
    /// Every entry at the root of the commit's tree: name -> git mode in octal
    /// as git stores it (`100644`, `100755`, `120000` link, `40000` directory,
    /// `160000` submodule).
    std::map<std::string, std::string> modes;
    /// The file asked for, when it is at the root and is a blob.
    std::optional<RootFile> file;
};

/// True for the modes of regular files (`100644`, `100755`).
bool is_regular_file_mode(const std::string& mode);

/// True for the mode of a symbolic link (`120000`).
bool is_symlink_mode(const std::string& mode);

/// What an entry of `mode` is, for people: `a file`, `an executable file`,
/// `a symlink`, `a directory`, `a submodule` (`an entry of mode M` otherwise).
std::string describe_mode(const std::string& mode);

/// Reads commit `revision` (a full or short id, or a branch) of the repository
/// at `repo_dir` (from its files for a full id, else with `git cat-file`): its id, its root entries and
/// the content of the root file `file_name` when that is at most `max_size`
/// bytes. Throws GitError when there is no such repository or commit, or git
/// cannot be run.
CommitRoot read_commit_root(const std::filesystem::path& repo_dir, const std::string& revision,
                            const std::string& file_name, std::uint64_t max_size);

}  // namespace kiln::git_objects
