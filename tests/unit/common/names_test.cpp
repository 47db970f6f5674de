#include <catch2/catch.hpp>

#include "common/error.h"
#include "common/names.h"

using kiln::canonical_repo_name;
using kiln::repo_name_problem;

TEST_CASE("valid repository names are canonicalised", "[names]") {
    CHECK(canonical_repo_name("app") == "app");
    CHECK(canonical_repo_name("app.git") == "app");
    CHECK(canonical_repo_name("team/app") == "team/app");
    CHECK(canonical_repo_name("team/app.git") == "team/app");
    CHECK(canonical_repo_name("My_App-2.0") == "My_App-2.0");
}

TEST_CASE("bad repository names are refused with the reason", "[names]") {
    CHECK(repo_name_problem("") == "repository name is empty");
    CHECK(repo_name_problem("/srv/git/app") ==
          "repository name '/srv/git/app' is absolute; give a name relative to git_root, like 'app' or 'team/app'");
    CHECK(repo_name_problem("../etc") == "repository name '../etc' contains '..'");
    CHECK(repo_name_problem("a/../b") == "repository name 'a/../b' has more than one folder level; use 'app' or 'team/app'");
    CHECK(repo_name_problem("team/..") == "repository name 'team/..' contains '..'");
    CHECK(repo_name_problem("a/b/c") == "repository name 'a/b/c' has more than one folder level; use 'app' or 'team/app'");
    CHECK(repo_name_problem(".hidden") == "repository name '.hidden': segment '.hidden' starts with '.'");
    CHECK(repo_name_problem("-rf") == "repository name '-rf': segment '-rf' starts with '-'");
    CHECK(repo_name_problem("app name") ==
          "repository name 'app name' contains ' '; only letters, digits, '.', '_' and '-' are allowed");
    CHECK(repo_name_problem("team//app") == "repository name 'team//app' has an empty segment");
    CHECK(repo_name_problem("app/") == "repository name 'app/' has an empty segment");
    CHECK(repo_name_problem("team.git/app") == "repository name 'team.git/app': only the last segment may end in '.git'");
    CHECK(repo_name_problem(".git") == "repository name '.git': segment '.git' starts with '.'");
    CHECK_THROWS_AS(canonical_repo_name("a;rm -rf"), kiln::UsageError);
}

TEST_CASE("a repository lives at git_root/NAME.git", "[names]") {
    CHECK(kiln::bare_repo_path("/srv/git", "app") == "/srv/git/app.git");
    CHECK(kiln::bare_repo_path("/srv/git", "team/app") == "/srv/git/team/app.git");
}

TEST_CASE("the inverse of bare_repo_path, for repositories found on disk", "[names]") {
    CHECK(kiln::has_bare_repo_suffix("/srv/git/app.git"));
    CHECK_FALSE(kiln::has_bare_repo_suffix("/srv/git/.git"));
    CHECK_FALSE(kiln::has_bare_repo_suffix("/srv/git/app"));
    CHECK(kiln::repo_name_of_path("/srv/git", "/srv/git/team/app.git") == "team/app");
}

TEST_CASE("a key name is one segment of a repository name, at most 64 characters", "[names]") {
    CHECK_FALSE(kiln::key_name_problem("alice"));
    CHECK_FALSE(kiln::key_name_problem("ci-bot.2"));
    CHECK_FALSE(kiln::key_name_problem(std::string(64, 'k')));
    CHECK(kiln::key_name_problem("") == "key name is empty");
    CHECK(kiln::key_name_problem(std::string(65, 'k')).has_value());
    CHECK(kiln::key_name_problem("team/alice") ==
          "key name 'team/alice' contains '/'; only letters, digits, '.', '_' and '-' are allowed");
    CHECK(kiln::key_name_problem("../x") == "key name '../x' starts with '.'");
    CHECK(kiln::key_name_problem("-rf") == "key name '-rf' starts with '-'");
    CHECK(kiln::key_name_problem("a b").has_value());
}
