#include <catch2/catch.hpp>

#include <fstream>
#include <optional>

#include <fcntl.h>
#include <sys/stat.h>

#include "common/atomic_file.h"
#include "common/error.h"
#include "libgit2/git.h"
#include "runner/worktree.h"
#include "tests/support/temp_dir.h"
#include "tests/support/temp_repo.h"

namespace fs = std::filesystem;
using kiln::read_file;
using kiln::runner::acquire_slot;
using kiln::runner::Worktree;

namespace {

void write(const fs::path& path, const std::string& content) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << content;
}

struct stat stat_of(const fs::path& path) {
    struct stat info {};
    REQUIRE(::stat(path.c_str(), &info) == 0);
    return info;
}

}  // namespace

TEST_CASE("a reused worktree drops untracked and ignored files and rewrites only changed files", "[worktree][git]") {
    const kiln::git::Library libgit2;
    kiln::test::TempRepo repo;
    const kiln::test::TempDir state;
    const fs::path work = state / "work" / "app";
    const std::string first = repo.commit("main", {{".gitignore", "out/\n*.log\n"}, {"same.txt", "unchanged\n"},
                                                   {"edit.txt", "one\n"}, {"gone.txt", "bye\n"}});
    const std::string second = repo.commit("main", {{".gitignore", "out/\n*.log\n"}, {"same.txt", "unchanged\n"},
                                                    {"edit.txt", "two\n"}, {"new/file.txt", "hi\n"}});
    const auto slot = acquire_slot(work, 0);
    fs::path dir;
    {
        const Worktree tree = Worktree::reuse(repo.path(), work, slot, first);
        dir = tree.dir();
        CHECK(dir == work / "0");
        CHECK(tree.started_over());
        CHECK(read_file(dir / "edit.txt") == "one\n");
    }
    // What a build leaves behind: untracked, ignored, and a tracked file modified.
    write(dir / "junk.txt", "untracked");
    write(dir / "out" / "image.tar", "ignored");
    write(dir / "build.log", "ignored too");
    write(dir / "gone.txt", "modified by the build");
    // An old mtime shows whether the checkout writes the file again.
    const timespec old_times[2] = {{1000000000, 0}, {1000000000, 0}};
    REQUIRE(::utimensat(AT_FDCWD, (dir / "same.txt").c_str(), old_times, 0) == 0);
    const struct stat before = stat_of(dir / "same.txt");

    const Worktree tree = Worktree::reuse(repo.path(), work, slot, second);
    CHECK_FALSE(tree.started_over());
    CHECK(tree.dir() == dir);
    CHECK(read_file(dir / "edit.txt") == "two\n");
    CHECK(read_file(dir / "new" / "file.txt") == "hi\n");
    CHECK_FALSE(fs::exists(dir / "gone.txt"));
    CHECK_FALSE(fs::exists(dir / "junk.txt"));
    CHECK_FALSE(fs::exists(dir / "out"));
    CHECK_FALSE(fs::exists(dir / "build.log"));
    const struct stat after = stat_of(dir / "same.txt");
    CHECK(after.st_ino == before.st_ino);
    CHECK(after.st_mtim.tv_sec == 1000000000);
    CHECK(tree.changes() < 8);
}

TEST_CASE("a worktree holds the exact commit asked for, not the branch as it is now", "[worktree][git]") {
    const kiln::git::Library libgit2;
    kiln::test::TempRepo repo;
    const kiln::test::TempDir state;
    const std::string pushed = repo.commit("main", {{"version", "1\n"}});
    repo.commit("main", {{"version", "2\n"}});
    const auto slot = acquire_slot(state.path(), 3);
    CHECK(slot.slot() == 3);
    const Worktree tree = Worktree::reuse(repo.path(), state.path(), slot, pushed);
    CHECK(read_file(tree.dir() / "version") == "1\n");
}

TEST_CASE("a fresh worktree is removed when the build is done", "[worktree][git]") {
    const kiln::git::Library libgit2;
    kiln::test::TempRepo repo;
    const kiln::test::TempDir state;
    const std::string sha = repo.commit("main", {{"Makefile", "build:\n\ttrue\n"}});
    fs::path dir;
    {
        const Worktree tree = Worktree::fresh(repo.path(), state.path(), sha);
        dir = tree.dir();
        CHECK(dir.parent_path() == state.path());
        CHECK(dir.filename().string().rfind("fresh-", 0) == 0);
        CHECK(read_file(dir / "Makefile") == "build:\n\ttrue\n");
        ::chmod(dir.c_str(), 0500);  // a build that made its folder read-only
    }
    CHECK_FALSE(fs::exists(dir));
    CHECK(fs::is_empty(state.path()));
}

TEST_CASE("slots are exclusive, and a busy preferred slot yields the lowest free one", "[worktree]") {
    const kiln::test::TempDir state;
    auto first = std::make_optional(acquire_slot(state.path(), 0));
    const auto second = acquire_slot(state.path(), 0);
    const auto third = acquire_slot(state.path(), 1);
    CHECK(first->slot() == 0);
    CHECK(second.slot() == 1);
    CHECK(third.slot() == 2);
    first.reset();
    CHECK(acquire_slot(state.path(), 1).slot() == 0);
}

TEST_CASE("a missing commit is an error that leaves the slot alone", "[worktree][git]") {
    const kiln::git::Library libgit2;
    kiln::test::TempRepo repo;
    const kiln::test::TempDir state;
    const std::string sha = repo.commit("main", {{"a", "1"}});
    const auto slot = acquire_slot(state.path(), 0);
    Worktree::reuse(repo.path(), state.path(), slot, sha);
    const std::string missing(40, 'b');
    REQUIRE_THROWS_AS(Worktree::reuse(repo.path(), state.path(), slot, missing), kiln::GitError);
    REQUIRE_THROWS_WITH(Worktree::reuse(repo.path(), state.path(), slot, missing),
                        "checking out bbbbbbb: no commit " + missing + " in '" + repo.path().string() + "'");
    CHECK(read_file(state / "0" / "a") == "1");
}

TEST_CASE("a worktree whose .git a build destroyed starts over", "[worktree][git]") {
    const kiln::git::Library libgit2;
    kiln::test::TempRepo repo;
    const kiln::test::TempDir state;
    const std::string first = repo.commit("main", {{"a", "1"}});
    const std::string second = repo.commit("main", {{"a", "2"}});
    const auto slot = acquire_slot(state.path(), 0);
    Worktree::reuse(repo.path(), state.path(), slot, first);
    write(state / "0" / "leftover", "x");
    write(state / "0" / ".git" / "HEAD", "garbage");
    const Worktree tree = Worktree::reuse(repo.path(), state.path(), slot, second);
    CHECK(tree.started_over());
    CHECK_FALSE(tree.start_over_reason().empty());
    CHECK(read_file(tree.dir() / "a") == "2");
    CHECK_FALSE(fs::exists(tree.dir() / "leftover"));
}

TEST_CASE("git in the worktree sees the checked-out commit", "[worktree][git]") {
    const kiln::git::Library libgit2;
    kiln::test::TempRepo repo;
    const kiln::test::TempDir state;
    const std::string sha = repo.commit("main", {{"a", "1"}});
    const auto slot = acquire_slot(state.path(), 0);
    const Worktree tree = Worktree::reuse(repo.path(), state.path(), slot, sha);
    const std::string command = "git -C '" + tree.dir().string() + "' rev-parse HEAD > '" + (state / "head").string() +
                                "' && git -C '" + tree.dir().string() + "' status --porcelain > '" +
                                (state / "status").string() + "'";
    REQUIRE(std::system(command.c_str()) == 0);
    CHECK(read_file(state / "head") == sha + "\n");
    CHECK(read_file(state / "status").empty());
}

TEST_CASE("a repository a build cloned into the worktree is removed too", "[worktree][git]") {
    const kiln::git::Library libgit2;
    kiln::test::TempRepo repo;
    const kiln::test::TempDir state;
    const std::string first = repo.commit("main", {{"a", "1"}});
    const std::string second = repo.commit("main", {{"a", "2"}});
    const auto slot = acquire_slot(state.path(), 0);
    const fs::path dir = Worktree::reuse(repo.path(), state.path(), slot, first).dir();
    const std::string clone = "git init -q '" + (dir / "deps" / "lib").string() + "' && touch '" +
                              (dir / "deps" / "lib" / "code.c").string() + "'";
    REQUIRE(std::system(clone.c_str()) == 0);
    Worktree::reuse(repo.path(), state.path(), slot, second);
    CHECK_FALSE(fs::exists(dir / "deps"));
}
