#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "config/suggest.h"
#include "config/value_checks.h"

using namespace kiln::config;

TEST_CASE("image names follow the registry's repository grammar", "[config]") {
    for (const std::string& good : std::vector<std::string>{"app", "team/app", "a.b_c__d-e--f", "x/y/z", "app2", std::string(255, 'a')}) {
        CHECK_FALSE(image_name_problem(good));
    }
    for (const std::string& bad : std::vector<std::string>{"", "App", "team//app", "/app", "app/", "-app", "app_", "a___b", "a b",
                                  "host:5000/app", std::string(256, 'a')}) {
        CHECK(image_name_problem(bad));
    }
}

TEST_CASE("tags follow the registry's tag grammar, with {branch}", "[config]") {
    for (const std::string& good : std::vector<std::string>{"latest", "v1.2.3", "_x", "{branch}", "{branch}-latest", std::string(128, 'a')}) {
        CHECK_FALSE(image_tag_problem(good));
    }
    for (const std::string& bad : std::vector<std::string>{"", ".x", "-x", "a/b", "a b", "{sha}", "{branch", std::string(129, 'a')}) {
        CHECK(image_tag_problem(bad));
    }
}

TEST_CASE("URLs, archive paths, env names and make targets", "[config]") {
    CHECK_FALSE(registry_url_problem("http://127.0.0.1:5000"));
    CHECK_FALSE(registry_url_problem("https://registry.example/"));
    CHECK_FALSE(registry_url_problem("http://[::1]:5000"));
    CHECK(registry_url_problem("http://host:70000"));
    CHECK(registry_url_problem("http://host/path"));
    CHECK(registry_url_problem("host:5000"));
    CHECK_FALSE(notify_url_problem("http://vps:9000/deploy?x=1"));
    CHECK(notify_url_problem("http://"));
    CHECK(notify_url_problem("mailto:me@example.com"));
    CHECK_FALSE(archive_path_problem("out/image.tar"));
    CHECK_FALSE(archive_path_problem("./image.tar"));
    CHECK(archive_path_problem("out/../../x"));
    CHECK(archive_path_problem("/x"));
    CHECK(archive_path_problem(""));
    CHECK_FALSE(env_name_problem("_GO_FLAGS2"));
    CHECK(env_name_problem("2X"));
    CHECK(env_name_problem("KILN_BUILD"));
    CHECK(env_name_problem("REGISTRY"));
    CHECK_FALSE(make_target_problem("build"));
    CHECK_FALSE(make_target_problem("out/app.bin"));
    CHECK(make_target_problem("a b"));
    CHECK(make_target_problem(""));
}

TEST_CASE("unknown keys get the closest known key as a suggestion", "[config]") {
    const std::vector<std::string> known{"branches", "targets", "timeout", "workspace", "env", "image", "notify"};
    CHECK(closest_match("timout", known) == "timeout");
    CHECK(closest_match("tiemout", known) == "timeout");
    CHECK(closest_match("Targets", known) == "targets");
    CHECK(closest_match("branch", known) == "branches");
    CHECK(closest_match("envs", known) == "env");
    CHECK_FALSE(closest_match("stages", known));
    CHECK_FALSE(closest_match("x", known));
    CHECK_FALSE(closest_match("ab", {"env"}));
}
