#include "git-objects/object_files.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>

#include "common/posix.h"
#include "git-objects/git_delta.h"

namespace kiln::git_objects {
namespace {

constexpr std::size_t kIdBytes = 20;
// Deltas followed for one object, across offset and ref deltas together; git
// writes chains of at most pack.depth (4095). Longer: leave it to git.
constexpr std::size_t kMaxDeltas = 5000;
// Every object a delta chain builds is held whole; past this, leave it to git.
constexpr std::uint64_t kMaxDeltaBase = 256ULL * 1024 * 1024;
// A delta's own data: its result's literal bytes, an opcode per 127 of them
// and a header. More than that is not a delta git wrote.
constexpr std::uint64_t kMaxDeltaData = kMaxDeltaBase + kMaxDeltaBase / 64 + 64;
constexpr std::size_t kInflateChunk = 65536;

enum PackType : int { kCommit = 1, kTree = 2, kBlob = 3, kTag = 4, kOfsDelta = 6, kRefDelta = 7 };

std::optional<std::string> type_name(int type) {
    switch (type) {
        case kCommit: return "commit";
        case kTree: return "tree";
        case kBlob: return "blob";
        case kTag: return "tag";
        default: return std::nullopt;
    }
}

std::uint32_t big_endian32(const unsigned char* bytes) {
    return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) | (std::uint32_t{bytes[2]} << 8) |
           std::uint32_t{bytes[3]};
}

// A zlib stream inflated from `fd`, starting at `offset`, a chunk at a time.
class Inflater {
public:
    Inflater(int fd, std::uint64_t offset) : fd_(fd), offset_(offset), input_(kInflateChunk) {
        initialized_ = inflateInit(&stream_) == Z_OK;
        ok_ = initialized_;
    }
    ~Inflater() {
        if (initialized_) {
            inflateEnd(&stream_);
        }
    }
    Inflater(const Inflater&) = delete;
    Inflater& operator=(const Inflater&) = delete;

    // Appends up to `want` inflated bytes to `out`; false when fewer came.
    bool read(std::string& out, std::size_t want) {
        const std::size_t start = out.size();
        out.resize(start + want);
        std::size_t got = 0;
        while (ok_ && !ended_ && got < want) {
            if (stream_.avail_in == 0) {
                const ssize_t n = ::pread(fd_, input_.data(), input_.size(), static_cast<off_t>(offset_));
                if (n <= 0) {
                    break;
                }
                offset_ += static_cast<std::uint64_t>(n);
                stream_.next_in = input_.data();
                stream_.avail_in = static_cast<uInt>(n);
            }
            const std::size_t room = std::min<std::size_t>(want - got, std::numeric_limits<uInt>::max());
            stream_.next_out = reinterpret_cast<Bytef*>(out.data() + start + got);
            stream_.avail_out = static_cast<uInt>(room);
            const int rc = ::inflate(&stream_, Z_NO_FLUSH);
            got += room - stream_.avail_out;
            if (rc == Z_STREAM_END) {
                ended_ = true;
            } else if (rc != Z_OK) {
                ok_ = false;
            }
        }
        out.resize(start + got);
        return got == want;
    }

private:
    int fd_;
    std::uint64_t offset_;
    z_stream stream_{};
    std::vector<Bytef> input_;  // on the heap: a delta chain holds several Inflaters
    bool initialized_ = false;  // owns zlib's state: ended even after a data error
    bool ok_ = false;
    bool ended_ = false;
};

}  // namespace

// One pack: its .idx mapped in memory, its .pack read with pread.
class PackFile {
public:
    struct Entry {
        int type = 0;
        std::uint64_t size = 0;         ///< of the object, or of the delta data
        std::uint64_t data_offset = 0;  ///< where the zlib stream starts
        std::uint64_t base_offset = 0;  ///< kOfsDelta
        std::string base_id;            ///< kRefDelta, binary
    };

    static std::unique_ptr<PackFile> open(const std::filesystem::path& idx_path) {
        UniqueFd idx(::open(idx_path.c_str(), O_RDONLY | O_CLOEXEC));
        std::filesystem::path pack_path = idx_path;
        pack_path.replace_extension(".pack");
        UniqueFd pack(::open(pack_path.c_str(), O_RDONLY | O_CLOEXEC));
        struct stat idx_stat {};
        if (!idx || !pack || ::fstat(idx.get(), &idx_stat) != 0 || idx_stat.st_size < 8 + 1024) {
            return nullptr;
        }
        const auto size = static_cast<std::size_t>(idx_stat.st_size);
        void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, idx.get(), 0);
        if (map == MAP_FAILED) {
            return nullptr;
        }
        std::unique_ptr<PackFile> file(new PackFile(static_cast<const unsigned char*>(map), size, std::move(pack)));
        return file->valid() ? std::move(file) : nullptr;
    }
    ~PackFile() { ::munmap(const_cast<unsigned char*>(idx_), idx_size_); }
    PackFile(const PackFile&) = delete;
    PackFile& operator=(const PackFile&) = delete;

    // Where the object with this binary id starts in the pack.
    std::optional<std::uint64_t> find(const std::string& id) const {
        const auto first = static_cast<unsigned char>(id[0]);
        std::uint32_t low = first == 0 ? 0 : fanout(first - 1);
        std::uint32_t high = fanout(first);
        while (low < high) {
            const std::uint32_t middle = low + (high - low) / 2;
            const int order = std::memcmp(idx_ + kIdsStart + std::size_t{middle} * kIdBytes, id.data(), kIdBytes);
            if (order == 0) {
                return offset_of(middle);
            }
            if (order < 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return std::nullopt;
    }

    std::optional<Entry> entry_at(std::uint64_t offset) const {
        std::array<unsigned char, 32> header{};
        const ssize_t n = ::pread(pack_.get(), header.data(), header.size(), static_cast<off_t>(offset));
        if (n <= 0) {
            return std::nullopt;
        }
        const auto length = static_cast<std::size_t>(n);
        std::size_t at = 0;
        Entry entry;
        unsigned char byte = header[at++];
        entry.type = (byte >> 4) & 0x7;
        entry.size = byte & 0x0fU;
        for (int shift = 4; (byte & 0x80U) != 0; shift += 7) {
            if (at >= length || shift > 57) {
                return std::nullopt;
            }
            byte = header[at++];
            entry.size |= std::uint64_t{byte & 0x7fU} << shift;
        }
        if (entry.type == kOfsDelta) {
            if (at >= length) {
                return std::nullopt;
            }
            byte = header[at++];
            std::uint64_t distance = byte & 0x7fU;
            while ((byte & 0x80U) != 0) {
                if (at >= length) {
                    return std::nullopt;
                }
                byte = header[at++];
                if (distance >= (std::uint64_t{1} << 56)) {
                    return std::nullopt;
                }
                distance = ((distance + 1) << 7) | (byte & 0x7fU);
            }
            if (distance == 0 || distance > offset) {
                return std::nullopt;
            }
            entry.base_offset = offset - distance;
        } else if (entry.type == kRefDelta) {
            if (at + kIdBytes > length) {
                return std::nullopt;
            }
            entry.base_id.assign(reinterpret_cast<const char*>(header.data() + at), kIdBytes);
            at += kIdBytes;
        } else if (!type_name(entry.type)) {
            return std::nullopt;
        }
        entry.data_offset = offset + at;
        return entry;
    }

    int pack_fd() const { return pack_.get(); }

private:
    static constexpr std::size_t kIdsStart = 8 + 256 * 4;

    PackFile(const unsigned char* idx, std::size_t size, UniqueFd pack) : idx_(idx), idx_size_(size), pack_(std::move(pack)) {}

    // Version 2 only (`\377tOc`, 2), with room for every table it announces.
    // The fanout must never decrease, or a lookup could leave the tables. The
    // pack's checksum in the .idx must be the .pack's own: a .pack replaced
    // under its .idx (a repack racing this read) must not give wrong objects.
    bool valid() const {
        if (std::memcmp(idx_, "\377tOc", 4) != 0 || big_endian32(idx_ + 4) != 2) {
            return false;
        }
        for (unsigned i = 1; i < 256; ++i) {
            if (fanout(i) < fanout(i - 1)) {
                return false;
            }
        }
        const std::uint64_t count = fanout(255);
        if (idx_size_ < kIdsStart + count * (kIdBytes + 4 + 4) + 2 * kIdBytes) {
            return false;
        }
        struct stat pack_stat {};
        std::array<char, 4> magic{};
        std::array<char, kIdBytes> checksum{};
        return ::fstat(pack_.get(), &pack_stat) == 0 && pack_stat.st_size >= 12 + static_cast<off_t>(kIdBytes) &&
               ::pread(pack_.get(), magic.data(), magic.size(), 0) == static_cast<ssize_t>(magic.size()) &&
               std::memcmp(magic.data(), "PACK", 4) == 0 &&
               ::pread(pack_.get(), checksum.data(), checksum.size(), pack_stat.st_size - static_cast<off_t>(kIdBytes)) ==
                   static_cast<ssize_t>(checksum.size()) &&
               std::memcmp(checksum.data(), idx_ + idx_size_ - 2 * kIdBytes, kIdBytes) == 0;
    }
    std::uint32_t fanout(unsigned index) const { return big_endian32(idx_ + 8 + std::size_t{index} * 4); }
    std::optional<std::uint64_t> offset_of(std::uint32_t position) const {
        const std::uint64_t count = fanout(255);
        const unsigned char* offsets = idx_ + kIdsStart + count * (kIdBytes + 4);
        const std::uint32_t small = big_endian32(offsets + std::size_t{position} * 4);
        if ((small & 0x80000000U) == 0) {
            return small;
        }
        const std::size_t large_at = kIdsStart + count * (kIdBytes + 8) + std::size_t{small & 0x7fffffffU} * 8;
        if (large_at + 8 > idx_size_ - 2 * kIdBytes) {
            return std::nullopt;
        }
        return (std::uint64_t{big_endian32(idx_ + large_at)} << 32) | big_endian32(idx_ + large_at + 4);
    }

    const unsigned char* idx_;
    std::size_t idx_size_;
    UniqueFd pack_;
};

std::optional<std::string> binary_id(const std::string& hex) {
    if (hex.size() != 2 * kIdBytes) {
        return std::nullopt;
    }
    std::string bytes(kIdBytes, '\0');
    for (std::size_t i = 0; i < hex.size(); ++i) {
        const char c = hex[i];
        int digit = 0;
        if (c >= '0' && c <= '9') {
            digit = c - '0';
        } else if (c >= 'a' && c <= 'f') {
            digit = c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            digit = c - 'A' + 10;
        } else {
            return std::nullopt;
        }
        bytes[i / 2] = static_cast<char>(static_cast<unsigned char>(bytes[i / 2]) | (digit << (i % 2 == 0 ? 4 : 0)));
    }
    return bytes;
}

std::string hex_id(std::string_view binary) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string hex;
    for (const char c : binary) {
        const auto byte = static_cast<unsigned char>(c);
        hex += kDigits[byte >> 4];
        hex += kDigits[byte & 0xfU];
    }
    return hex;
}

ObjectFiles::ObjectFiles(const std::filesystem::path& git_dir) : objects_dir_(git_dir / "objects") {}

ObjectFiles::~ObjectFiles() = default;

std::optional<StoredObject> ObjectFiles::read(const std::string& id, std::uint64_t max_size) {
    const std::optional<std::string> binary = binary_id(id);
    if (!binary) {
        return std::nullopt;
    }
    if (std::optional<StoredObject> loose = read_loose(hex_id(*binary), max_size)) {
        return loose;
    }
    return read_packed(*binary, max_size);
}

std::optional<StoredObject> ObjectFiles::read_loose(const std::string& id, std::uint64_t max_size) const {
    const std::filesystem::path path = objects_dir_ / id.substr(0, 2) / id.substr(2);
    const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) {
        return std::nullopt;
    }
    // `<type> <size>\0<bytes>`: the header fits in the first 32 bytes.
    Inflater inflater(fd.get(), 0);
    std::string head;
    inflater.read(head, 32);
    const std::size_t space = head.find(' ');
    const std::size_t nul = head.find('\0');
    if (space == std::string::npos || nul == std::string::npos || space > nul) {
        return std::nullopt;
    }
    const std::string size_text = head.substr(space + 1, nul - space - 1);
    if (size_text.empty() || size_text.size() > 19 || size_text.find_first_not_of("0123456789") != std::string::npos) {
        return std::nullopt;
    }
    StoredObject object{head.substr(0, space), std::stoull(size_text), std::nullopt};
    if (object.type != "commit" && object.type != "tree" && object.type != "blob" && object.type != "tag") {
        return std::nullopt;
    }
    if (object.size > max_size) {
        return object;
    }
    std::string data = head.substr(nul + 1);
    if (data.size() > object.size || !inflater.read(data, object.size - data.size())) {
        return std::nullopt;
    }
    object.data = std::move(data);
    return object;
}

std::optional<ObjectFiles::PackedAt> ObjectFiles::locate(const std::string& binary) {
    if (!packs_listed_) {
        packs_listed_ = true;
        std::error_code error;
        for (std::filesystem::directory_iterator it(objects_dir_ / "pack", error), end; !error && it != end;
             it.increment(error)) {
            if (it->path().extension() == ".idx") {
                if (std::unique_ptr<PackFile> pack = PackFile::open(it->path())) {
                    packs_.push_back(std::move(pack));
                }
            }
        }
    }
    for (const std::unique_ptr<PackFile>& pack : packs_) {
        if (const std::optional<std::uint64_t> offset = pack->find(binary)) {
            return PackedAt{pack.get(), *offset};
        }
    }
    return std::nullopt;
}

std::optional<StoredObject> ObjectFiles::read_packed(const std::string& binary, std::uint64_t max_size) {
    std::optional<PackedAt> at = locate(binary);
    if (!at) {
        return std::nullopt;
    }
    // Walk the delta chain down to its base (a loop, not recursion: a pusher
    // chooses how deep a chain of ref deltas goes), then apply the deltas back up.
    struct Delta {
        const PackFile* pack;
        PackFile::Entry entry;
    };
    std::vector<Delta> deltas;
    std::optional<StoredObject> base;
    while (!base) {
        const std::optional<PackFile::Entry> entry = at->pack->entry_at(at->offset);
        if (!entry || deltas.size() > kMaxDeltas) {
            return std::nullopt;
        }
        if (entry->type == kOfsDelta || entry->type == kRefDelta) {
            if (entry->size > kMaxDeltaData) {
                return std::nullopt;
            }
            deltas.push_back({at->pack, *entry});
            if (entry->type == kOfsDelta) {
                at->offset = entry->base_offset;
            } else if (std::optional<PackedAt> base_at = locate(entry->base_id)) {
                at = base_at;
            } else {
                base = read_loose(hex_id(entry->base_id), kMaxDeltaBase);
                if (!base) {
                    return std::nullopt;
                }
            }
            continue;
        }
        base = StoredObject{*type_name(entry->type), entry->size, std::nullopt};
        if (entry->size <= (deltas.empty() ? max_size : kMaxDeltaBase)) {
            std::string data;
            Inflater inflater(at->pack->pack_fd(), entry->data_offset);
            if (!inflater.read(data, entry->size)) {
                return std::nullopt;
            }
            base->data = std::move(data);
        }
    }
    if (deltas.empty()) {
        return base;
    }
    // The outermost delta says how big the object is: one too big is not built.
    std::string start;
    Inflater head(deltas.front().pack->pack_fd(), deltas.front().entry.data_offset);
    head.read(start, std::min<std::uint64_t>(deltas.front().entry.size, 20));
    const std::optional<DeltaSizes> sizes = delta_sizes(start);
    if (!sizes) {
        return std::nullopt;
    }
    if (sizes->result > max_size) {
        return StoredObject{base->type, sizes->result, std::nullopt};
    }
    if (!base->data) {
        return std::nullopt;
    }
    std::string data = std::move(*base->data);
    for (auto delta = deltas.rbegin(); delta != deltas.rend(); ++delta) {
        std::string instructions;
        Inflater inflater(delta->pack->pack_fd(), delta->entry.data_offset);
        if (!inflater.read(instructions, delta->entry.size)) {
            return std::nullopt;
        }
        std::optional<std::string> applied = apply_delta(data, instructions, kMaxDeltaBase);
        if (!applied) {
            return std::nullopt;
        }
        data = std::move(*applied);
    }
    return StoredObject{base->type, data.size(), std::move(data)};
}

}  // namespace kiln::git_objects
