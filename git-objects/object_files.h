#pragma once

// Reading git objects straight from a repository's files: loose objects and
// version-2 pack indexes with their packs (deltas included), SHA-1 only. This
// is the hook's fast path (see commit_root.h): a push with nothing to build
// must cost the pusher about a millisecond, and starting `git cat-file`
// costs two or three. Anything this reader does not know (alternates, SHA-256,
// a corrupt file, a delta chain past 5000 or an object past 256 MiB) makes it
// answer "not found", and the caller asks git.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kiln::git_objects {

struct StoredObject {
    std::string type;  ///< `commit`, `tree`, `blob` or `tag`
    std::uint64_t size = 0;
    /// The object's bytes; nothing when `size` is over the limit asked for.
    std::optional<std::string> data;
};

class PackFile;

/// The objects of one repository (`<git dir>/objects`).
class ObjectFiles {
public:
    explicit ObjectFiles(const std::filesystem::path& git_dir);
    ~ObjectFiles();
    ObjectFiles(const ObjectFiles&) = delete;
    ObjectFiles& operator=(const ObjectFiles&) = delete;

    /// The object with the 40-digit hex id `id`, its data read when its size is
    /// at most `max_size`. Nothing when it is not found in a form this reader
    /// understands. Never throws for what it finds on disk.
    std::optional<StoredObject> read(const std::string& id, std::uint64_t max_size);

private:
    struct PackedAt {
        const PackFile* pack;
        std::uint64_t offset;
    };

    std::optional<StoredObject> read_loose(const std::string& id, std::uint64_t max_size) const;
    std::optional<StoredObject> read_packed(const std::string& binary_id, std::uint64_t max_size);
    /// Where the object lies in a pack, listing the packs on first use.
    std::optional<PackedAt> locate(const std::string& binary_id);

    std::filesystem::path objects_dir_;
    std::vector<std::unique_ptr<PackFile>> packs_;
    bool packs_listed_ = false;
};

/// The bytes of a 40-digit hex id (20 bytes); nothing when it is not one.
std::optional<std::string> binary_id(const std::string& hex);

/// The 40-digit hex form of a 20-byte id.
std::string hex_id(std::string_view binary);

}  // namespace kiln::git_objects
