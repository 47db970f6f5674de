#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <utility>
#include <vector>
#include <sstream>

#include <catch2/catch.hpp>

#include "git-objects/commit_root.h"
#include "git-objects/object_files.h"
#include "tests/support/temp_dir.h"

// These tests drive the real git: it writes the repositories (loose objects,
// packs with offset and ref deltas) and says what each object holds.
namespace {

std::string capture(const std::string& command) {
    std::string output;
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) {
        output.append(buffer, n);
    }
    REQUIRE(::pclose(pipe) == 0);
    return output;
}

void run(const std::string& command) {
    INFO(command);
    REQUIRE(std::system(command.c_str()) == 0);
}

// A repository with history worth deltifying: files that change a little in
// every commit, a big file, nested directories. Each commit marks one more
// line of lines.txt, so each version is nearest its neighbours and git chains
// deltas on deltas.
std::filesystem::path make_history(const kiln::test::TempDir& dir) {
    const std::filesystem::path work = dir / "work";
    const std::string git = "git -C '" + work.string() + "' -c user.name=t -c user.email=t@t.invalid ";
    run("git init -q -b main '" + work.string() + "'");
    for (int commit = 0; commit < 12; ++commit) {
        std::ofstream(work / "Makefile") << "build:\n\t@echo build " << commit << "\n";
        std::filesystem::create_directories(work / "src/deep");
        std::ofstream lines(work / "src/deep/lines.txt");
        for (int line = 0; line < 400; ++line) {
            lines << "line " << line << (line % 7 == 0 && line <= commit * 7 ? " changed" : "") << "\n";
        }
        lines.close();
        std::ofstream(work / ".kiln.yml") << "timeout: " << commit + 1 << "m\n";
        if (commit == 5) {
            std::ofstream(work / "big.bin") << std::string(3'000'000, static_cast<char>('a' + commit));
        }
        run(git + "add -A && " + git + "commit -q -m c" + std::to_string(commit));
    }
    return work / ".git";
}

// Every object git holds, read by ObjectFiles, matches `git cat-file`.
void check_every_object(const std::filesystem::path& git_dir) {
    const std::string git = "git --git-dir='" + git_dir.string() + "' ";
    std::istringstream ids(capture(git + "cat-file --batch-all-objects --batch-check='%(objectname) %(objecttype) %(objectsize)'"));
    kiln::git_objects::ObjectFiles objects(git_dir);
    int checked = 0;
    for (std::string id, type, size; ids >> id >> type >> size; ++checked) {
        INFO(id << " " << type);
        const std::optional<kiln::git_objects::StoredObject> object = objects.read(id, 10'000'000);
        REQUIRE(object);
        CHECK(object->type == type);
        CHECK(object->size == std::stoull(size));
        REQUIRE(object->data);
        CHECK(*object->data == capture(git + "cat-file " + type + " " + id));
    }
    CHECK(checked > 40);
}

// What git wrote into the repository's packs: how many objects are offset
// and ref deltas, and the longest delta chain. `git verify-pack -v` lists a
// delta with seven columns (id, type, size, size in pack, offset, depth,
// base); the kind of delta is the type in the entry's first byte at that offset.
struct Deltas {
    int offset = 0;
    int ref = 0;
    int longest_chain = 0;
};

Deltas deltas_in_packs(const std::filesystem::path& git_dir) {
    Deltas deltas;
    for (const auto& file : std::filesystem::directory_iterator(git_dir / "objects/pack")) {
        if (file.path().extension() != ".pack") {
            continue;
        }
        std::filesystem::path idx = file.path();
        idx.replace_extension(".idx");
        std::ifstream pack(file.path(), std::ios::binary);
        std::istringstream lines(capture("git verify-pack -v '" + idx.string() + "'"));
        for (std::string line; std::getline(lines, line);) {
            std::istringstream fields(line);
            std::string id, type, size, packed_size, offset, depth, base;
            if (!(fields >> id >> type >> size >> packed_size >> offset >> depth >> base)) {
                continue;
            }
            pack.seekg(std::stoll(offset));
            const int kind = (pack.get() >> 4) & 0x7;
            INFO(line);
            REQUIRE((kind == 6 || kind == 7));
            ++(kind == 6 ? deltas.offset : deltas.ref);
            deltas.longest_chain = std::max(deltas.longest_chain, std::stoi(depth));
        }
    }
    return deltas;
}

// Hand-made object files, for what git never writes: the reader must take
// each for "not found" (and so leave it to git), in bounded time and memory.
std::string deflate(const std::string& data) {
    uLongf size = compressBound(data.size());
    std::string out(size, '\0');
    REQUIRE(::compress(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(data.data()),
                       data.size()) == Z_OK);
    out.resize(size);
    return out;
}

std::string big_endian32(std::uint32_t value) {
    return {static_cast<char>(value >> 24), static_cast<char>(value >> 16), static_cast<char>(value >> 8),
            static_cast<char>(value)};
}

// A pack entry's first bytes: its type and the size it claims, base 128.
std::string entry_header(int type, std::uint64_t size) {
    std::string header(1, static_cast<char>((type << 4) | (size & 0x0fU)));
    for (size >>= 4; size != 0; size >>= 7) {
        header.back() = static_cast<char>(header.back() | 0x80);
        header += static_cast<char>(size & 0x7fU);
    }
    return header;
}

// A delta's data: the sizes of its base and result, then its instructions.
std::string delta_data(std::uint64_t base_size, std::uint64_t result_size, const std::string& instructions) {
    std::string data;
    for (const std::uint64_t size : {base_size, result_size}) {
        std::uint64_t left = size;
        do {
            data += static_cast<char>((left & 0x7fU) | (left > 0x7f ? 0x80 : 0));
            left >>= 7;
        } while (left != 0);
    }
    return data + instructions;
}

constexpr int kBlob = 3;
constexpr int kOfsDelta = 6;
constexpr int kRefDelta = 7;

std::string id_of(char byte) {
    return std::string(20, byte);
}

// A bare repository holding one pack of `entries` (binary id, entry bytes, in
// pack order) and its version-2 index. The trailing checksums are a made-up
// value that the index and the pack share, which is all this reader compares.
std::filesystem::path write_pack(const kiln::test::TempDir& dir,
                                 const std::vector<std::pair<std::string, std::string>>& entries) {
    const std::filesystem::path git_dir = dir / "crafted.git";
    run("git init -q --bare '" + git_dir.string() + "'");
    const std::string checksum(20, '\x42');
    std::string pack = "PACK" + big_endian32(2) + big_endian32(static_cast<std::uint32_t>(entries.size()));
    std::vector<std::pair<std::string, std::uint32_t>> offsets;
    for (const auto& [id, bytes] : entries) {
        offsets.emplace_back(id, static_cast<std::uint32_t>(pack.size()));
        pack += bytes;
    }
    pack += checksum;
    std::sort(offsets.begin(), offsets.end());
    std::string idx = "\377tOc" + big_endian32(2);
    for (unsigned first = 0; first < 256; ++first) {
        idx += big_endian32(static_cast<std::uint32_t>(std::count_if(offsets.begin(), offsets.end(), [&](const auto& at) {
            return static_cast<unsigned char>(at.first[0]) <= first;
        })));
    }
    for (const auto& at : offsets) {
        idx += at.first;
    }
    idx += std::string(4 * offsets.size(), '\0');  // CRCs, which this reader never reads
    for (const auto& at : offsets) {
        idx += big_endian32(at.second);
    }
    idx += checksum + std::string(20, '\0');
    std::ofstream(git_dir / "objects/pack/pack-crafted.pack", std::ios::binary) << pack;
    std::ofstream(git_dir / "objects/pack/pack-crafted.idx", std::ios::binary) << idx;
    return git_dir;
}

std::string hex(const std::string& binary) {
    return kiln::git_objects::hex_id(binary);
}

// Every object of the repository's packs, by id.
std::vector<std::string> packed_ids(const std::filesystem::path& git_dir) {
    std::vector<std::string> ids;
    std::istringstream lines(capture("git --git-dir='" + git_dir.string() +
                                     "' cat-file --batch-all-objects --batch-check='%(objectname)'"));
    for (std::string id; lines >> id;) {
        ids.push_back(id);
    }
    return ids;
}

// Cuts the repository's pack index or pack to `size` bytes.
void truncate_pack_file(const std::filesystem::path& git_dir, const std::string& extension, std::uintmax_t size) {
    for (const auto& file : std::filesystem::directory_iterator(git_dir / "objects/pack")) {
        if (file.path().extension() == extension) {
            std::filesystem::permissions(file.path(), std::filesystem::perms::owner_write,
                                         std::filesystem::perm_options::add);
            std::filesystem::resize_file(file.path(), size);
        }
    }
}

std::uintmax_t pack_file_size(const std::filesystem::path& git_dir, const std::string& extension) {
    for (const auto& file : std::filesystem::directory_iterator(git_dir / "objects/pack")) {
        if (file.path().extension() == extension) {
            return std::filesystem::file_size(file.path());
        }
    }
    FAIL("no " << extension << " file in " << git_dir);
    return 0;
}

}  // namespace

TEST_CASE("loose objects are read as git reads them", "[common][git]") {
    const kiln::test::TempDir dir;
    check_every_object(make_history(dir));
}

TEST_CASE("packed objects with offset deltas are read as git reads them", "[common][git]") {
    const kiln::test::TempDir dir;
    const std::filesystem::path git_dir = make_history(dir);
    run("git --git-dir='" + git_dir.string() + "' repack -q -a -d -f --depth=50");
    REQUIRE(capture("git --git-dir='" + git_dir.string() + "' count-objects -v").find("count: 0") != std::string::npos);
    const Deltas deltas = deltas_in_packs(git_dir);
    REQUIRE(deltas.offset > 10);
    REQUIRE(deltas.ref == 0);
    REQUIRE(deltas.longest_chain > 1);
    check_every_object(git_dir);
}

TEST_CASE("an index with 64-bit offsets is read as git reads it", "[common][git]") {
    const kiln::test::TempDir dir;
    const std::filesystem::path git_dir = make_history(dir);
    run("git --git-dir='" + git_dir.string() + "' repack -q -a -d -f");
    // Every offset past 4 KiB goes to the large-offset table, as past 2 GiB in a real pack.
    for (const auto& file : std::filesystem::directory_iterator(git_dir / "objects/pack")) {
        if (file.path().extension() == ".pack") {
            std::filesystem::path idx = file.path();
            idx.replace_extension(".idx");
            std::filesystem::remove(idx);
            run("git index-pack --index-version=2,0x1000 -o '" + idx.string() + "' '" + file.path().string() + "' >/dev/null");
        }
    }
    check_every_object(git_dir);
}

TEST_CASE("packed objects with ref deltas are read as git reads them", "[common][git]") {
    const kiln::test::TempDir dir;
    const std::filesystem::path git_dir = make_history(dir);
    run("git --git-dir='" + git_dir.string() + "' -c repack.useDeltaBaseOffset=false repack -q -a -d -f");
    const Deltas deltas = deltas_in_packs(git_dir);
    REQUIRE(deltas.ref > 10);
    REQUIRE(deltas.offset == 0);
    REQUIRE(deltas.longest_chain > 1);
    check_every_object(git_dir);
}

TEST_CASE("a big object is sized without being read; unknown ids are not found", "[common][git]") {
    const kiln::test::TempDir dir;
    const std::filesystem::path git_dir = make_history(dir);
    const std::string big = capture("git --git-dir='" + git_dir.string() + "' rev-parse HEAD:big.bin").substr(0, 40);
    for (const bool packed : {false, true}) {
        if (packed) {
            run("git --git-dir='" + git_dir.string() + "' repack -q -a -d");
        }
        kiln::git_objects::ObjectFiles objects(git_dir);
        const std::optional<kiln::git_objects::StoredObject> object = objects.read(big, 1024);
        REQUIRE(object);
        CHECK(object->type == "blob");
        CHECK(object->size == 3'000'000);
        CHECK_FALSE(object->data);
        CHECK_FALSE(objects.read(std::string(40, 'e'), 1024));
        CHECK_FALSE(objects.read("not an id", 1024));
    }
}

TEST_CASE("a commit root reads the same from files and from git", "[common][git]") {
    const kiln::test::TempDir dir;
    const std::filesystem::path git_dir = make_history(dir);
    const std::string head = capture("git --git-dir='" + git_dir.string() + "' rev-parse HEAD").substr(0, 40);
    run("git --git-dir='" + git_dir.string() + "' repack -q -a -d");
    // A full id takes the fast path; a branch name goes through git cat-file.
    const kiln::git_objects::CommitRoot from_files = kiln::git_objects::read_commit_root(git_dir, head, ".kiln.yml", 1024);
    const kiln::git_objects::CommitRoot from_git = kiln::git_objects::read_commit_root(git_dir, "main", ".kiln.yml", 1024);
    CHECK(from_files.commit_id == from_git.commit_id);
    CHECK(from_files.modes == from_git.modes);
    REQUIRE(from_files.file);
    REQUIRE(from_git.file);
    CHECK(from_files.file->content == from_git.file->content);
    CHECK(from_files.file->content == "timeout: 12m\n");
}

TEST_CASE("a truncated pack index or pack is not read", "[common][git]") {
    const kiln::test::TempDir dir;
    const std::filesystem::path git_dir = make_history(dir);
    run("git --git-dir='" + git_dir.string() + "' repack -q -a -d -f");
    const std::vector<std::string> ids = packed_ids(git_dir);
    REQUIRE(ids.size() > 40);
    const std::filesystem::path copy = dir / "copy.git";
    for (const std::string extension : {".idx", ".pack"}) {
        const std::uintmax_t whole = pack_file_size(git_dir, extension);
        for (const std::uintmax_t size : {std::uintmax_t{0}, std::uintmax_t{11}, std::uintmax_t{8 + 1024}, whole / 2, whole - 1}) {
            INFO(extension << " cut to " << size << " of " << whole << " bytes");
            std::filesystem::remove_all(copy);
            std::filesystem::copy(git_dir, copy, std::filesystem::copy_options::recursive);
            truncate_pack_file(copy, extension, size);
            kiln::git_objects::ObjectFiles objects(copy);
            for (const std::string& id : ids) {
                CHECK_FALSE(objects.read(id, 10'000'000));
            }
        }
    }
}

TEST_CASE("an index whose fanout decreases or overruns the file is not read", "[common][git]") {
    const kiln::test::TempDir dir;
    const std::filesystem::path git_dir = make_history(dir);
    run("git --git-dir='" + git_dir.string() + "' repack -q -a -d -f");
    const std::vector<std::string> ids = packed_ids(git_dir);
    std::filesystem::path idx;
    for (const auto& file : std::filesystem::directory_iterator(git_dir / "objects/pack")) {
        if (file.path().extension() == ".idx") {
            idx = file.path();
        }
    }
    std::string original;
    {
        std::ifstream in(idx, std::ios::binary);
        original.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    // Fanout entry i (big-endian, from byte 8) counts the ids whose first
    // byte is at most i; the last one is how many the index holds.
    std::string changed = original;
    SECTION("decreasing: the first entry counts them all") {
        changed.replace(8, 4, original.substr(8 + 4 * 255, 4));
    }
    SECTION("more ids than the index holds") {
        changed.replace(8 + 4 * 255, 4, big_endian32(0xffffffffU));
    }
    std::filesystem::permissions(idx, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
    std::ofstream(idx, std::ios::binary | std::ios::trunc) << changed;
    kiln::git_objects::ObjectFiles objects(git_dir);
    for (const std::string& id : ids) {
        CHECK_FALSE(objects.read(id, 10'000'000));
    }
}

TEST_CASE("a cycle of ref deltas or an offset delta not before itself is not followed", "[common][git]") {
    const kiln::test::TempDir dir;
    // Each delta copies its base's 5 bytes. The ref deltas point at each other
    // or at themselves; the offset deltas at themselves and before the pack.
    // index-pack refuses such a pack, so a push cannot store one (and `git
    // cat-file` itself loops on the ref delta cycle).
    const std::string delta = deflate(delta_data(5, 5, "\x90\x05"));
    const std::filesystem::path git_dir = write_pack(dir, {
        {id_of('\xaa'), entry_header(kRefDelta, 4) + id_of('\xbb') + delta},
        {id_of('\xbb'), entry_header(kRefDelta, 4) + id_of('\xaa') + delta},
        {id_of('\xcc'), entry_header(kRefDelta, 4) + id_of('\xcc') + delta},
        {id_of('\xdd'), entry_header(kOfsDelta, 4) + std::string(1, '\0') + delta},
        {id_of('\xee'), entry_header(kOfsDelta, 4) + std::string("\xff\x7f") + delta},
    });
    kiln::git_objects::ObjectFiles objects(git_dir);
    for (const char first : {'\xaa', '\xbb', '\xcc', '\xdd', '\xee'}) {
        INFO(hex(id_of(first)));
        CHECK_FALSE(objects.read(hex(id_of(first)), 10'000'000));
    }
}

TEST_CASE("sizes past what an object holds or kiln reads are not believed", "[common][git]") {
    const kiln::test::TempDir dir;
    const std::string base = entry_header(kBlob, 5) + deflate("hello");
    const auto ref_delta = [&](const std::string& data) {
        return entry_header(kRefDelta, data.size()) + id_of('\x01') + deflate(data);
    };
    const std::filesystem::path git_dir = write_pack(dir, {
        {id_of('\x01'), base},
        // A blob that claims a MiB and holds 5 bytes.
        {id_of('\x02'), entry_header(kBlob, 1 << 20) + deflate("hello")},
        // A size of more than 64 bits.
        {id_of('\x03'), std::string(1, '\xb0') + std::string(10, '\xff') + std::string(1, '\x01') + deflate("hello")},
        // Deltas whose result claims 1 TiB, and whose own data claims 1 TiB.
        {id_of('\x04'), ref_delta(delta_data(5, 1ULL << 40, "\x90\x05"))},
        {id_of('\x05'), entry_header(kRefDelta, 1ULL << 40) + id_of('\x01') + deflate(delta_data(5, 5, "\x90\x05"))},
        // A delta that copies past its base's end.
        {id_of('\x06'), ref_delta(delta_data(5, 9, "\x90\x09"))},
        // Data that is not a zlib stream.
        {id_of('\x07'), entry_header(kBlob, 5) + "hello"},
    });
    kiln::git_objects::ObjectFiles objects(git_dir);
    const std::uint64_t no_limit = std::numeric_limits<std::uint64_t>::max();
    REQUIRE(objects.read(hex(id_of('\x01')), 1024));
    CHECK(objects.read(hex(id_of('\x01')), 1024)->data == "hello");
    for (const char first : {'\x02', '\x03', '\x04', '\x05', '\x06', '\x07'}) {
        INFO(hex(id_of(first)));
        CHECK_FALSE(objects.read(hex(id_of(first)), no_limit));
    }
    // Below the limit asked for, only the size is told, as git tells it.
    const std::optional<kiln::git_objects::StoredObject> sized = objects.read(hex(id_of('\x04')), 1024);
    REQUIRE(sized);
    CHECK(sized->size == 1ULL << 40);
    CHECK_FALSE(sized->data);

    SECTION("a loose object") {
        const std::filesystem::path loose = git_dir / "objects/ab" / std::string(38, 'c');
        std::filesystem::create_directories(loose.parent_path());
        const std::string id = "ab" + std::string(38, 'c');
        for (const std::string header : {"blob 1048576", "blob 99999999999999999999", "blob -1", "blob ", "nothing 5"}) {
            INFO(header);
            std::ofstream(loose, std::ios::binary | std::ios::trunc) << deflate(header + std::string(1, '\0') + "hello");
            CHECK_FALSE(kiln::git_objects::ObjectFiles(git_dir).read(id, no_limit));
        }
    }
}
