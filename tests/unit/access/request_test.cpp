#include <catch2/catch.hpp>

#include "access/request.h"
#include "access/role.h"

using kiln::access::GitService;
using kiln::access::parse_request;
using kiln::access::permits;
using kiln::access::repo_allowed;
using kiln::access::Role;
using Words = std::vector<std::string>;

namespace {

Words kiln_args(const Words& words) {
    const auto parsed = parse_request(words);
    INFO(parsed.problem);
    REQUIRE(parsed.request);
    REQUIRE(parsed.request->kiln);
    return parsed.request->kiln->args;
}

std::string refusal(const Words& words) {
    const auto parsed = parse_request(words);
    CHECK_FALSE(parsed.request);
    return parsed.problem;
}

Role needs(const Words& words) {
    const auto parsed = parse_request(words);
    INFO(parsed.problem);
    REQUIRE(parsed.request);
    return parsed.request->needs;
}

}  // namespace

TEST_CASE("roles: each may do what the one before it may", "[access]") {
    CHECK(permits(Role::read, Role::read));
    CHECK_FALSE(permits(Role::read, Role::write));
    CHECK(permits(Role::write, Role::read));
    CHECK_FALSE(permits(Role::write, Role::admin));
    CHECK(permits(Role::admin, Role::write));
}

TEST_CASE("repo globs: fnmatch per segment; none is every repo", "[access]") {
    CHECK(repo_allowed({}, "team/app"));
    CHECK(repo_allowed({"team/*"}, "team/app"));
    CHECK_FALSE(repo_allowed({"team/*"}, "other/app"));
    CHECK_FALSE(repo_allowed({"*"}, "team/app"));
    CHECK(repo_allowed({"web", "api-*"}, "api-v2"));
}

TEST_CASE("the role each command needs", "[access]") {
    CHECK(needs({"git-upload-pack", "app.git"}) == Role::read);
    CHECK(needs({"git-upload-archive", "app.git"}) == Role::read);
    CHECK(needs({"git-receive-pack", "app.git"}) == Role::write);
    CHECK(needs({"git", "receive-pack", "app.git"}) == Role::write);
    CHECK(needs({"kiln", "repos"}) == Role::read);
    CHECK(needs({"builds"}) == Role::read);
    CHECK(needs({"kiln", "show", "app", "3"}) == Role::read);
    CHECK(needs({"kiln", "logs", "app", "-f"}) == Role::read);
    CHECK(needs({"kiln", "image", "ls"}) == Role::read);
    CHECK(needs({"kiln", "image", "inspect", "app:latest"}) == Role::read);
    CHECK(needs({"kiln", "rebuild", "app"}) == Role::write);
    CHECK(needs({"kiln", "cancel", "app", "last"}) == Role::write);
    CHECK(needs({"kiln", "init", "app"}) == Role::admin);
    CHECK(needs({"kiln", "key", "ls"}) == Role::admin);
    CHECK(needs({"kiln", "key", "add", "bob", "-"}) == Role::admin);
    CHECK(needs({"kiln", "image", "prune", "app", "--keep", "3"}) == Role::admin);
}

TEST_CASE("git commands keep the client's path for mapping", "[access]") {
    const auto parsed = parse_request({"git-receive-pack", "/srv/git/app.git"});
    REQUIRE(parsed.request);
    REQUIRE(parsed.request->git);
    CHECK(parsed.request->git->service == GitService::receive_pack);
    CHECK(parsed.request->git->path == "/srv/git/app.git");
    CHECK(refusal({"git-upload-pack"}) == "'git-upload-pack' takes exactly one repository path");
    CHECK(refusal({"git-upload-pack", "a", "--exec=id"}) == "'git-upload-pack' takes exactly one repository path");
}

TEST_CASE("kiln commands are rebuilt from checked values", "[access]") {
    CHECK(kiln_args({"kiln", "builds", "app.git", "-n", "05", "--json"}) ==
          Words{"builds", "app", "--limit", "5", "--json"});
    CHECK(kiln_args({"show", "team/app", "last"}) == Words{"show", "team/app", "last"});
    CHECK(kiln_args({"kiln", "logs", "app", "3", "-f"}) == Words{"logs", "app", "3", "--follow"});
    CHECK(kiln_args({"kiln", "key", "add", "bob", "-", "--repos", "team/*", "web", "--role", "write"}) ==
          Words{"key", "add", "bob", "-", "--repos", "team/*", "web", "--role", "write"});
    CHECK(kiln_args({"kiln", "image", "tag", "app@sha256:" + std::string(64, 'a'), "v1"}) ==
          Words{"image", "tag", "app@sha256:" + std::string(64, 'a'), "v1"});
    const auto parsed = parse_request({"kiln", "cancel", "team/app.git", "2"});
    REQUIRE(parsed.request);
    CHECK(parsed.request->kiln->repos == Words{"team/app"});
}

TEST_CASE("anything outside the grammar is refused with the reason", "[access]") {
    CHECK(refusal({"ls"}) == "'ls' is not a command kiln shell runs");
    CHECK(parse_request({"ls"}).unknown_command);
    CHECK_FALSE(parse_request({"kiln", "show"}).unknown_command);
    CHECK(refusal({"sh", "-c", "id"}).starts_with("'sh -c id' is not a command kiln shell runs"));
    CHECK(refusal({"kiln", "runner"}).starts_with("'kiln runner' is not a command kiln shell runs"));
    CHECK(refusal({"kiln", "--config", "/tmp/evil.yaml", "repos"})
              .starts_with("'kiln --config /tmp/evil.yaml repos' is not a command"));
    CHECK(refusal({"kiln", "builds", "--limit=5"}) == "'kiln builds' over ssh takes no option '--limit=5'");
    CHECK(refusal({"kiln", "builds", "../etc"}) == "'kiln builds': repository name '../etc' contains '..'");
    CHECK(refusal({"kiln", "show", "app", "1;id"}) == "'kiln show': '1;id' is not a build number or 'last'");
    CHECK(refusal({"kiln", "show"}) == "'kiln show' needs 1 argument(s), got 0");
    CHECK(refusal({"kiln", "show", "app", "1", "2"}) == "'kiln show' takes at most 2 argument(s); '2' is one too many");
    CHECK(refusal({"kiln", "rebuild", "app", "-x"}) == "'kiln rebuild' over ssh takes no option '-x'");
    CHECK(refusal({"kiln", "rebuild", "app", "a..b"}) == "'kiln rebuild': 'a..b' is not a branch name or a commit");
    CHECK(refusal({"kiln", "builds", "-n"}) == "'kiln builds': option --limit needs a value");
    CHECK(refusal({"kiln", "builds", "--json", "--json"}) == "'kiln builds': option --json given twice");
    CHECK(refusal({"kiln", "image", "inspect", "evil.example:5000/app"}) ==
          "'kiln image inspect': image 'evil.example:5000/app' names a registry host; over ssh only the configured "
          "registry is reached");
    CHECK(refusal({"kiln", "key", "add", "bob", "/home/git/.ssh/id_ed25519.pub"})
              .ends_with("(over ssh, give the key on stdin: '-')"));
    CHECK(refusal({"kiln", "key", "add", "../bob", "-"}) ==
          "'kiln key add': key name '../bob' starts with '.'");
    CHECK(refusal({"kiln", "key", "add", "bob", "-", "--role", "root"}) ==
          "'kiln key add' --role: 'root' is not a role (read, write or admin)");
    CHECK(refusal({}) == "empty command");
}

TEST_CASE("releases, rollback and deploy reports over ssh", "[access]") {
    CHECK(needs({"kiln", "releases", "app"}) == Role::read);
    CHECK(needs({"kiln", "rollback", "app"}) == Role::write);
    CHECK(needs({"kiln", "image", "gc"}) == Role::admin);
    CHECK(kiln_args({"kiln", "rollback", "app.git", "3"}) == Words{"rollback", "app", "#3"});
    CHECK(kiln_args({"kiln", "rollback", "app", "#03"}) == Words{"rollback", "app", "#3"});
    CHECK(kiln_args({"kiln", "rollback", "app", "abc1234"}) == Words{"rollback", "app", "abc1234"});
    CHECK(refusal({"kiln", "rollback", "app", "abc12"}).find("commit prefix of 7 to 40") != std::string::npos);
    CHECK(refusal({"kiln", "rollback", "app", "main"}).find("not a build number") != std::string::npos);
    const std::string digest = "sha256:" + std::string(64, 'a');
    CHECK(needs({"kiln", "deployed", "app", digest, "--host", "web1", "--status", "deployed", "--exit", "0"}) ==
          Role::write);
    CHECK(kiln_args({"kiln", "deployed", "app", digest, "--host", "web1.example", "--status", "reverted", "--exit",
                     "3"}) == Words{"deployed", "app", digest, "--host", "web1.example", "--status", "reverted",
                                    "--exit", "3"});
    CHECK(refusal({"kiln", "deployed", "app", "sha256:abc"}).find("not a digest") != std::string::npos);
    CHECK(refusal({"kiln", "deployed", "app", digest, "--status", "great"}).find("not deployed, failed") !=
          std::string::npos);
    CHECK(refusal({"kiln", "deployed", "app", digest, "--exit", "256"}).find("exit status") != std::string::npos);
    CHECK(refusal({"kiln", "deployed", "app", digest, "--host", "a/b"}).find("not a host name") != std::string::npos);
    CHECK(kiln_args({"kiln", "image", "inspect", "app#42"}) == Words{"image", "inspect", "app#42"});
    CHECK(refusal({"kiln", "image", "inspect", "app#x"}).find("not a number") != std::string::npos);
    CHECK(kiln_args({"kiln", "image", "rm", "app:old", "--force"}) == Words{"image", "rm", "app:old", "--all-tags"});
    CHECK(kiln_args({"kiln", "image", "gc", "--wait", "5m"}) == Words{"image", "gc", "--wait", "5m"});
    CHECK(refusal({"kiln", "image", "gc", "--wait", "soon"}).find("not a duration") != std::string::npos);
}
