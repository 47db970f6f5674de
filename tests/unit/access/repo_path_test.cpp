#include <catch2/catch.hpp>

#include <filesystem>

#include "access/repo_path.h"
#include "tests/support/temp_dir.h"

using kiln::access::locate_repo;
using kiln::access::map_repo_path;

namespace {

std::string mapped(const std::string& path) { return map_repo_path(path, "/srv/git").name; }
std::string problem(const std::string& path) { return map_repo_path(path, "/srv/git").problem; }

}  // namespace

TEST_CASE("repo paths in every form git sends map to the canonical name", "[access]") {
    CHECK(mapped("app.git") == "app");
    CHECK(mapped("app") == "app");
    CHECK(mapped("team/app.git") == "team/app");
    CHECK(mapped("/srv/git/app.git") == "app");
    CHECK(mapped("/srv/git/team/app") == "team/app");
    CHECK(mapped("~/app.git") == "app");
    CHECK(mapped("~/team/app.git") == "team/app");
    CHECK(map_repo_path("/srv/git/app.git", "/srv/git/").name == "app");
}

TEST_CASE("repo paths that leave git_root or break the name rules are refused", "[access]") {
    CHECK(problem("../x.git") == "repository name '../x.git' contains '..'");
    CHECK(problem("/etc") == "repository '/etc' is not under git_root /srv/git");
    CHECK(problem("/srv/git") == "repository '/srv/git' is not under git_root /srv/git");
    CHECK(problem("/srv/gitx/app.git") == "repository '/srv/gitx/app.git' is not under git_root /srv/git");
    CHECK(problem("/srv/git/../etc") == "repository name '../etc' contains '..'");
    CHECK(problem("~root/x") == "repository '~root/x': only '~/' (git_root) may start a path");
    CHECK(problem("~/../x") == "repository name '../x' contains '..'");
    CHECK(problem("") == "no repository named");
    CHECK(problem(std::string("app\0.git", 8)) == "the repository path contains a NUL byte");
    CHECK(problem("a/b/c.git") == "repository name 'a/b/c.git' has more than one folder level; use 'app' or 'team/app'");
    CHECK(problem("-u.git") == "repository name '-u.git': segment '-u' starts with '-'");
    CHECK(mapped("../x.git").empty());
}

TEST_CASE("a repository whose real path leaves git_root is refused", "[access]") {
    const kiln::test::TempDir dir;
    const std::filesystem::path root = dir / "git";
    std::filesystem::create_directories(root / "app.git");
    std::filesystem::create_directories(dir / "outside/evil.git");
    std::filesystem::create_symlink(dir / "outside/evil.git", root / "evil.git");
    std::filesystem::create_symlink(dir / "outside", root / "team");
    std::filesystem::create_symlink(dir / "nowhere", root / "dangling.git");

    const auto app = locate_repo(root, "app");
    CHECK(app.problem.empty());
    CHECK(app.exists);
    CHECK(app.path == std::filesystem::canonical(root / "app.git"));

    const auto fresh = locate_repo(root, "fresh");
    CHECK(fresh.problem.empty());
    CHECK_FALSE(fresh.exists);

    CHECK(locate_repo(root, "evil").problem.find("leads out of git_root") != std::string::npos);
    CHECK(locate_repo(root, "team/new").problem.find("leads out of git_root") != std::string::npos);
    CHECK(locate_repo(root, "dangling").problem.find("a symlink to nowhere") != std::string::npos);
    CHECK(locate_repo(dir / "missing", "app").problem.find("does not exist") != std::string::npos);
}
