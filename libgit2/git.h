#pragma once

// The only header that includes git2.h: the rest of kiln talks to libgit2
// through these owning handles, so every C object has exactly one owner.

#include <memory>
#include <string>

#include <git2.h>

namespace kiln::git {

/// Calls `F` on destruction; a stateless deleter keeps the unique_ptr pointer-sized.
template <auto F>
struct Deleter {
    template <class T>
    void operator()(T* p) const noexcept { F(p); }
};

using Repository = std::unique_ptr<git_repository, Deleter<git_repository_free>>;
using Object = std::unique_ptr<git_object, Deleter<git_object_free>>;
using Commit = std::unique_ptr<git_commit, Deleter<git_commit_free>>;
using Tree = std::unique_ptr<git_tree, Deleter<git_tree_free>>;
using TreeEntry = std::unique_ptr<git_tree_entry, Deleter<git_tree_entry_free>>;
using Blob = std::unique_ptr<git_blob, Deleter<git_blob_free>>;
using Reference = std::unique_ptr<git_reference, Deleter<git_reference_free>>;
using Config = std::unique_ptr<git_config, Deleter<git_config_free>>;
using Index = std::unique_ptr<git_index, Deleter<git_index_free>>;
using Revwalk = std::unique_ptr<git_revwalk, Deleter<git_revwalk_free>>;

/// Owns libgit2's global state: one in `main()`, one per test process.
class Library {
public:
    Library();
    ~Library();
    Library(const Library&) = delete;
    Library& operator=(const Library&) = delete;
};

/// Throws GitError("<doing>: <libgit2's message>") when `rc` < 0; returns `rc`.
/// Reads git_error_last(), which may be NULL on libgit2 1.5.
int check(int rc, const std::string& doing);

/// Opens the repository at `path` (bare or not). Throws GitError.
Repository open_repository(const std::string& path);

/// Parses a 40- or 64-digit hex object id. Throws GitError when malformed.
git_oid parse_oid(const std::string& hex);

/// The hex form of an object id.
std::string to_hex(const git_oid& oid);

}  // namespace kiln::git
