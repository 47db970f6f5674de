#include <cstdio>
#include <cstdlib>
#include <fstream>
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
// every commit, a big file, nested directories.
std::filesystem::path make_history(const kiln::test::TempDir& dir) {
    const std::filesystem::path work = dir / "work";
    const std::string git = "git -C '" + work.string() + "' -c user.name=t -c user.email=t@t.invalid ";
    run("git init -q -b main '" + work.string() + "'");
    for (int commit = 0; commit < 12; ++commit) {
        std::ofstream(work / "Makefile") << "build:\n\t@echo build " << commit << "\n";
        std::filesystem::create_directories(work / "src/deep");
        std::ofstream lines(work / "src/deep/lines.txt");
        for (int line = 0; line < 400; ++line) {
            lines << "line " << line << (line == commit * 7 ? " changed" : "") << "\n";
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
