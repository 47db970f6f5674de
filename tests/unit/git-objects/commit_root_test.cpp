#include <catch2/catch.hpp>

#include "git-objects/commit_root.h"
#include "common/error.h"
#include "libgit2/git.h"
#include "tests/support/temp_repo.h"

using kiln::git_objects::CommitRoot;
using kiln::git_objects::read_commit_root;

TEST_CASE("a commit's root gives its id, its top-level modes and one file (from the object files, or git for a name)", "[common][git]") {
    const kiln::git::Library libgit2;
    kiln::test::TempRepo repo;
    const std::string sha =
        repo.commit("main", {{"Makefile", "build:\n"}, {"src/a.c", "int a;\n"}, {".kiln.yml", "timeout: 5m\n"}});

    const CommitRoot root = read_commit_root(repo.path(), sha, ".kiln.yml", 1024);
    CHECK(root.commit_id == sha);
    CHECK(root.modes == std::map<std::string, std::string>{{".kiln.yml", "100644"}, {"Makefile", "100644"}, {"src", "40000"}});
    REQUIRE(root.file);
    CHECK(root.file->size == 12);
    CHECK(root.file->content == "timeout: 5m\n");

    SECTION("a branch or a short id names the commit too") {
        CHECK(read_commit_root(repo.path(), "main", ".kiln.yml", 1024).commit_id == sha);
        CHECK(read_commit_root(repo.path(), sha.substr(0, 10), ".kiln.yml", 1024).commit_id == sha);
    }
    SECTION("a file that is absent, a directory or too big has no content") {
        CHECK_FALSE(read_commit_root(repo.path(), sha, "nope", 1024).file);
        CHECK_FALSE(read_commit_root(repo.path(), sha, "src", 1024).file);
        const CommitRoot small = read_commit_root(repo.path(), sha, ".kiln.yml", 11);
        REQUIRE(small.file);
        CHECK(small.file->size == 12);
        CHECK_FALSE(small.file->content);
    }
}

TEST_CASE("a big file left unread does not hang or break the read", "[common][git]") {
    const kiln::git::Library libgit2;
    kiln::test::TempRepo repo;
    const std::string sha = repo.commit("main", {{"big", std::string(5'000'000, 'x')}});
    // The full id reads the object files; the branch name makes git cat-file
    // print the blob, which is left unread in its pipe.
    for (const std::string& revision : {sha, std::string("main")}) {
        const CommitRoot root = read_commit_root(repo.path(), revision, "big", 1024);
        REQUIRE(root.file);
        CHECK(root.file->size == 5'000'000);
        CHECK_FALSE(root.file->content);
        CHECK(read_commit_root(repo.path(), revision, "big", 10'000'000).file->content->size() == 5'000'000);
    }
}

TEST_CASE("an unknown commit, a bad revision or a missing repository is a GitError", "[common][git]") {
    const kiln::git::Library libgit2;
    kiln::test::TempRepo repo;
    repo.commit("main", {{"Makefile", "build:\n"}});
    CHECK_THROWS_WITH(read_commit_root(repo.path(), std::string(40, 'f'), "x", 1),
                      Catch::Contains("reading commit 'ffff") && Catch::Contains("no such commit"));
    CHECK_THROWS_WITH(read_commit_root(repo.path(), "nope", "x", 1), Catch::Contains("no such commit"));
    for (const std::string bad : {"", "-p", "main:x", "a b", "a\nb"}) {
        CHECK_THROWS_AS(read_commit_root(repo.path(), bad, "x", 1), kiln::GitError);
    }
    CHECK_THROWS_WITH(read_commit_root(repo.path() / "nope.git", "main", "x", 1),
                      Catch::Contains("nope.git") && Catch::Contains("not a git repository"));
}
