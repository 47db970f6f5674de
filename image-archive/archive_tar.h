#pragma once

// Tar archives through libarchive: an index of the members (so names can be
// looked up in any order and symlinks followed), and readers that stream one
// member without extracting anything to disk.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace kiln::registry {

/// One regular member of a tar archive, after following links.
struct TarMember {
    std::string name;         ///< the member holding the bytes, normalised (no `./`)
    std::uint64_t size = 0;
};

/// The members of a tar archive (plain or compressed, detected from content).
class TarIndex {
public:
    /// Reads every header of `archive`, seeking over member data. Nothing when
    /// the file is not an archive libarchive can read. Throws RegistryError
    /// when it is one but is damaged part-way.
    static std::optional<TarIndex> read(const std::filesystem::path& archive);

    /// The regular member `name` names, following symlinks (relative to the
    /// link's directory) and hard links; nothing when missing or dangling.
    std::optional<TarMember> find(const std::string& name) const;

    const std::filesystem::path& path() const { return path_; }

private:
    struct Entry {
        enum class Kind { file, symlink, hardlink, other } kind = Kind::other;
        std::uint64_t size = 0;
        std::string target;   ///< for links: the normalised member they point to
    };

    std::filesystem::path path_;
    std::map<std::string, Entry> entries_;
};

/// Opens `member` of `archive` with a fresh libarchive handle and returns a
/// reader of its bytes (0 at the end). Each call is independent, so parallel
/// uploads each read their own member. Throws RegistryError.
std::function<std::size_t(char*, std::size_t)> open_tar_member(const std::filesystem::path& archive,
                                                               const std::string& member);

/// `a/./b//c/../d` -> `a/b/d`; a leading `/` or `./` is dropped. Names that
/// climb above the root keep their `..` and so match nothing.
std::string normalise_member_name(const std::string& name);

}  // namespace kiln::registry
