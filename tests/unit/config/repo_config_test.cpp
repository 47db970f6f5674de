#include <catch2/catch.hpp>

#include "common/error.h"
#include "config/config.h"

using namespace std::chrono_literals;
using kiln::config::ImageConfig;
using kiln::config::parse_repo_config;
using kiln::config::RepoConfig;
using kiln::config::Workspace;

namespace {

std::string repo_error(const std::string& text, const RepoConfig& defaults = {}) {
    try {
        parse_repo_config(text, "app.git@0123abcd:.kiln.yml", defaults);
    } catch (const kiln::ConfigError& error) {
        return error.what();
    }
    FAIL("no ConfigError for:\n" << text);
    return "";
}

}  // namespace

TEST_CASE("an empty .kiln.yml keeps every default", "[config]") {
    RepoConfig defaults;
    defaults.branches = {"main", "dev"};
    defaults.timeout = 5min;
    defaults.image = ImageConfig{};
    for (const std::string text : {"", "# no settings\n"}) {
        const RepoConfig config = parse_repo_config(text, ".kiln.yml", defaults);
        CHECK(config.branches == defaults.branches);
        CHECK(config.targets == std::vector<std::string>{"build"});
        CHECK(config.timeout == 5min);
        CHECK(config.workspace == Workspace::reuse);
        CHECK(config.env.empty());
        REQUIRE(config.image);
        CHECK(config.image->tags == std::vector<std::string>{"latest"});
        CHECK(config.image->keep == 0);
        CHECK(config.notify.empty());
    }
}

TEST_CASE("every repo key is read", "[config]") {
    const RepoConfig config = parse_repo_config(R"(
branches: [main, "release/*"]
targets: [lint, build]
timeout: 20m
workspace: fresh
env:
  GOFLAGS: -mod=vendor
  GOMAXPROCS: 4
  VERSION: 1.10
  VERBOSE: true
  EMPTY: ""
image:
  name: team/app
  archive: out/image.tar
  tags: [latest, "{branch}", "v1"]
  keep: 20
notify:
  - url: http://vps:9000/deploy
  - https://hooks.example/kiln
)",
                                                ".kiln.yml", RepoConfig{});
    CHECK(config.branches == std::vector<std::string>{"main", "release/*"});
    CHECK(config.targets == std::vector<std::string>{"lint", "build"});
    CHECK(config.timeout == 20min);
    CHECK(config.workspace == Workspace::fresh);
    CHECK(config.env == std::map<std::string, std::string>{{"EMPTY", ""},
                                                           {"GOFLAGS", "-mod=vendor"},
                                                           {"GOMAXPROCS", "4"},
                                                           {"VERBOSE", "true"},
                                                           {"VERSION", "1.10"}});
    REQUIRE(config.image);
    CHECK(config.image->name == "team/app");
    CHECK(config.image->archive == "out/image.tar");
    CHECK(config.image->tags == std::vector<std::string>{"latest", "{branch}", "v1"});
    CHECK(config.image->keep == 20);
    REQUIRE(config.notify.size() == 2);
    CHECK(config.notify[0].url == "http://vps:9000/deploy");
    CHECK(config.notify[1].url == "https://hooks.example/kiln");
}

TEST_CASE("single strings stand for one-element lists", "[config]") {
    const RepoConfig config =
        parse_repo_config("branches: release/*\ntargets: image\nnotify: http://vps/deploy\nimage: app\n", ".kiln.yml", {});
    CHECK(config.branches == std::vector<std::string>{"release/*"});
    CHECK(config.targets == std::vector<std::string>{"image"});
    REQUIRE(config.notify.size() == 1);
    CHECK(config.notify[0].url == "http://vps/deploy");
    REQUIRE(config.image);
    CHECK(config.image->name == "app");
    CHECK(config.image->tags == std::vector<std::string>{"latest"});
}

TEST_CASE(".kiln.yml merges onto the global defaults", "[config]") {
    RepoConfig defaults;
    defaults.branches = {"main"};
    defaults.targets = {"test", "build"};
    defaults.timeout = 10min;
    defaults.env = {{"CI", "1"}, {"GOFLAGS", "-mod=mod"}};
    defaults.image = ImageConfig{"", "", {"latest"}, 20};
    defaults.notify = {{"http://vps:9000/deploy", {}}};

    SECTION("scalars and lists replace the default") {
        const RepoConfig config =
            parse_repo_config("branches: [dev]\ntargets: [all]\ntimeout: 1h\nnotify: []\n", ".kiln.yml", defaults);
        CHECK(config.branches == std::vector<std::string>{"dev"});
        CHECK(config.targets == std::vector<std::string>{"all"});
        CHECK(config.timeout == 1h);
        CHECK(config.notify.empty());
        CHECK(config.env == defaults.env);
    }
    SECTION("env merges variable by variable") {
        const RepoConfig config = parse_repo_config("env: {GOFLAGS: -mod=vendor, EXTRA: x}\n", ".kiln.yml", defaults);
        CHECK(config.env ==
              std::map<std::string, std::string>{{"CI", "1"}, {"EXTRA", "x"}, {"GOFLAGS", "-mod=vendor"}});
    }
    SECTION("image merges key by key") {
        const RepoConfig config = parse_repo_config("image:\n  name: web\n  tags: [stable]\n", ".kiln.yml", defaults);
        REQUIRE(config.image);
        CHECK(config.image->name == "web");
        CHECK(config.image->tags == std::vector<std::string>{"stable"});
        CHECK(config.image->keep == 20);
    }
    SECTION("image: null takes back the default image, and kiln looks for $IMAGE again") {
        for (const std::string text : {"image: null\n", "image:\n"}) {
            const RepoConfig config = parse_repo_config(text, ".kiln.yml", defaults);
            CHECK_FALSE(config.image);
            CHECK_FALSE(config.no_image);
        }
    }
    SECTION("image: false says there is no image to look for") {
        const RepoConfig config = parse_repo_config("image: false\n", ".kiln.yml", defaults);
        CHECK_FALSE(config.image);
        CHECK(config.no_image);
    }
    SECTION("an image in .kiln.yml overrides image: false in the defaults") {
        RepoConfig none;
        none.no_image = true;
        const RepoConfig config = parse_repo_config("image: {name: web}\n", ".kiln.yml", none);
        REQUIRE(config.image);
        CHECK(config.image->name == "web");
        CHECK_FALSE(config.no_image);
        CHECK_FALSE(parse_repo_config("image: null\n", ".kiln.yml", none).no_image);
        CHECK(parse_repo_config("targets: [all]\n", ".kiln.yml", none).no_image);
    }
    SECTION("image: true promises the image with the default settings") {
        const RepoConfig config = parse_repo_config("image: true\n", ".kiln.yml", RepoConfig{});
        REQUIRE(config.image);
        CHECK(config.image->name.empty());
        CHECK(config.image->tags == std::vector<std::string>{"latest"});
        CHECK(parse_repo_config("image: true\n", ".kiln.yml", defaults).image->keep == 20);
    }
    SECTION("a quoted \"false\" or \"true\" is an image name") {
        const RepoConfig config = parse_repo_config("image: \"false\"\n", ".kiln.yml", RepoConfig{});
        REQUIRE(config.image);
        CHECK(config.image->name == "false");
        CHECK_FALSE(config.no_image);
        CHECK(parse_repo_config("image: 'true'\n", ".kiln.yml", RepoConfig{}).image->name == "true");
    }
    SECTION("an image in .kiln.yml without one in the defaults starts from the built-in image settings") {
        const RepoConfig config = parse_repo_config("image: {keep: 3}\n", ".kiln.yml", RepoConfig{});
        REQUIRE(config.image);
        CHECK(config.image->name.empty());
        CHECK(config.image->archive.empty());
        CHECK(config.image->tags == std::vector<std::string>{"latest"});
        CHECK(config.image->keep == 3);
    }
}

TEST_CASE("a notify entry can name the secret that holds its URL", "[config]") {
    const RepoConfig config =
        parse_repo_config("notify:\n  - url_secret: DEPLOY_HOOK_URL\n  - http://vps/deploy\n", ".kiln.yml", {});
    REQUIRE(config.notify.size() == 2);
    CHECK(config.notify[0].url.empty());
    CHECK(config.notify[0].url_secret == "DEPLOY_HOOK_URL");
    CHECK(config.notify[1].url == "http://vps/deploy");
    CHECK(config.notify[1].url_secret.empty());
}

TEST_CASE(".kiln.yml errors name file, line and column", "[config]") {
    SECTION("unknown keys") {
        CHECK(repo_error("timout: 5m\n") ==
              "app.git@0123abcd:.kiln.yml:1:1: unknown key 'timout' (did you mean 'timeout'?)");
        CHECK(repo_error("image:\n  tag: [x]\n") ==
              "app.git@0123abcd:.kiln.yml:2:3: unknown key 'tag' in image (did you mean 'tags'?)");
        CHECK(repo_error("notify:\n  - uri: http://x\n") ==
              "app.git@0123abcd:.kiln.yml:2:5: unknown key 'uri' in notify[0] (did you mean 'url'?)\n"
              "app.git@0123abcd:.kiln.yml:2:5: notify[0]: missing 'url' (or 'url_secret')");
        CHECK(repo_error("runner:\n  jobs: 3\n") ==
              "app.git@0123abcd:.kiln.yml:1:1: unknown key 'runner' (it belongs in the global config, not in "
              ".kiln.yml)");
        CHECK(repo_error("stages: [a]\n") ==
              "app.git@0123abcd:.kiln.yml:1:1: unknown key 'stages' (known keys: branches, targets, timeout, "
              "workspace, env, image, notify)");
    }
    SECTION("lists and strings") {
        CHECK(repo_error("branches: {main: yes}\n") ==
              "app.git@0123abcd:.kiln.yml:1:11: branches: expected a string or a list of strings, got a mapping");
        CHECK(repo_error("branches: [main, [x]]\n") ==
              "app.git@0123abcd:.kiln.yml:1:18: branches[1]: expected a string, got a list");
        CHECK(repo_error("branches: [refs/heads/main]\n") ==
              "app.git@0123abcd:.kiln.yml:1:12: branches[0]: 'refs/heads/main' is a ref: write the branch name "
              "without 'refs/heads/'");
        CHECK(repo_error("targets: [build, -k]\n") ==
              "app.git@0123abcd:.kiln.yml:1:18: targets[1]: '-k' is not a make target: no spaces or '=', not "
              "starting with '-'");
        CHECK(repo_error("targets: [\"CC=gcc\"]\n") ==
              "app.git@0123abcd:.kiln.yml:1:11: targets[0]: 'CC=gcc' is not a make target: no spaces or '=', not "
              "starting with '-'");
        CHECK(repo_error("targets: []\n") == "app.git@0123abcd:.kiln.yml:1:10: targets: expected at least one make target");
    }
    SECTION("timeout and workspace") {
        CHECK(repo_error("timeout: 0s\n") ==
              "app.git@0123abcd:.kiln.yml:1:10: timeout: expected a duration like 90s, 20m or 1h30m, got '0s'");
        CHECK(repo_error("workspace: clean\n") ==
              "app.git@0123abcd:.kiln.yml:1:12: workspace: expected 'reuse' or 'fresh', got 'clean'");
    }
    SECTION("env") {
        CHECK(repo_error("env: [A=1]\n") ==
              "app.git@0123abcd:.kiln.yml:1:6: env: expected a mapping of keys, got a list");
        CHECK(repo_error("env:\n  LIST: [1, 2]\n  MAP: {a: 1}\n  NOTHING:\n") ==
              "app.git@0123abcd:.kiln.yml:2:9: env.LIST: expected a string, number or boolean, got a list\n"
              "app.git@0123abcd:.kiln.yml:3:8: env.MAP: expected a string, number or boolean, got a mapping\n"
              "app.git@0123abcd:.kiln.yml:4:3: env.NOTHING: expected a string, number or boolean, got nothing");
        CHECK(repo_error("env:\n  MY-VAR: 1\n  KILN_SHA: x\n  IMAGE: y\n") ==
              "app.git@0123abcd:.kiln.yml:2:3: env: 'MY-VAR' is not a valid environment variable name: use "
              "letters, digits and '_'\n"
              "app.git@0123abcd:.kiln.yml:3:3: env: 'KILN_SHA' is set by kiln for every build and cannot be "
              "overridden\n"
              "app.git@0123abcd:.kiln.yml:4:3: env: 'IMAGE' is set by kiln for every build and cannot be overridden");
    }
    SECTION("image") {
        CHECK(repo_error("image:\n  name: Team/App\n") ==
              "app.git@0123abcd:.kiln.yml:2:9: image.name: 'Team/App' is not a valid image name: use lowercase "
              "letters and digits, separated by '.', '_', '__' or '-', in components joined by '/'");
        CHECK(repo_error("image:\n  archive: ../image.tar\n") ==
              "app.git@0123abcd:.kiln.yml:2:12: image.archive: '../image.tar' must stay inside the worktree: no '..'");
        CHECK(repo_error("image:\n  archive: /tmp/image.tar\n") ==
              "app.git@0123abcd:.kiln.yml:2:12: image.archive: '/tmp/image.tar' must be a path relative to the "
              "worktree");
        CHECK(repo_error("image:\n  tags: [latest, 'v 1', '{sha}']\n") ==
              "app.git@0123abcd:.kiln.yml:2:18: image.tags[1]: 'v 1' is not a valid tag: use at most 128 letters, "
              "digits, '_', '.' and '-', not starting with '.' or '-'\n"
              "app.git@0123abcd:.kiln.yml:2:25: image.tags[2]: unknown placeholder '{sha}' in tag '{sha}' (only "
              "{branch} is replaced)");
        CHECK(repo_error("image:\n  keep: -1\n") ==
              "app.git@0123abcd:.kiln.yml:2:9: image.keep: expected a whole number of at least 0, got '-1'");
        CHECK(repo_error("image: [app]\n") ==
              "app.git@0123abcd:.kiln.yml:1:8: image: expected a mapping of keys, got a list");
    }
    SECTION("notify") {
        CHECK(repo_error("notify:\n  - url: vps:9000\n  - 42\n") ==
              "app.git@0123abcd:.kiln.yml:2:10: notify[0].url: expected an http:// or https:// URL, got 'vps:9000'\n"
              "app.git@0123abcd:.kiln.yml:3:5: notify[1]: expected an http:// or https:// URL, got '42'");
        CHECK(repo_error("notify: {url: http://x}\n") ==
              "app.git@0123abcd:.kiln.yml:1:9: notify: expected a list, got a mapping");
        CHECK(repo_error("notify:\n  - url: http://x\n    url_secret: HOOK\n") ==
              "app.git@0123abcd:.kiln.yml:2:5: notify[0]: give 'url' or 'url_secret', not both");
        CHECK(repo_error("notify:\n  - url_secret: 1HOOK\n") ==
              "app.git@0123abcd:.kiln.yml:2:17: notify[0].url_secret: expected the name of a key in the repo's "
              "secrets file (letters, digits and _, not starting with a digit), got '1HOOK'");
    }
    SECTION("duplicates and syntax") {
        CHECK(repo_error("env:\n  A: 1\n  A: 2\n") ==
              "app.git@0123abcd:.kiln.yml:3:3: duplicate key 'A' in env (first set on line 2)");
        CHECK(repo_error("branches: [main\n") ==
              "app.git@0123abcd:.kiln.yml:2:1: invalid YAML: end of sequence flow not found");
    }
}

TEST_CASE("branch globs select branches with fnmatch", "[config]") {
    RepoConfig config;
    config.branches = {"main", "release/*", "feature-?"};
    CHECK(kiln::config::branch_selected(config, "main"));
    CHECK(kiln::config::branch_selected(config, "release/1.2"));
    CHECK(kiln::config::branch_selected(config, "release/1.x/hotfix"));
    CHECK(kiln::config::branch_selected(config, "feature-a"));
    CHECK_FALSE(kiln::config::branch_selected(config, "feature-ab"));
    CHECK_FALSE(kiln::config::branch_selected(config, "mainline"));
    CHECK_FALSE(kiln::config::branch_selected(config, "release"));
    config.branches = {"*"};
    CHECK(kiln::config::branch_selected(config, "team/topic"));
    config.branches = {};
    CHECK_FALSE(kiln::config::branch_selected(config, "main"));
}

TEST_CASE("by default both main and master build, and nothing else", "[config]") {
    const RepoConfig config;
    CHECK(kiln::config::branch_selected(config, "main"));
    CHECK(kiln::config::branch_selected(config, "master"));
    CHECK_FALSE(kiln::config::branch_selected(config, "feature"));
    CHECK_FALSE(kiln::config::branch_selected(config, "mastery"));
    const RepoConfig only_main = kiln::config::parse_repo_config("branches: [main]\n", ".kiln.yml", config);
    CHECK_FALSE(kiln::config::branch_selected(only_main, "master"));
}

TEST_CASE("tag templates expand {branch} into a valid tag", "[config]") {
    CHECK(kiln::config::expand_tag("latest", "main") == "latest");
    CHECK(kiln::config::expand_tag("{branch}", "main") == "main");
    CHECK(kiln::config::expand_tag("{branch}-latest", "release/1.2") == "release-1.2-latest");
    CHECK(kiln::config::expand_tag("{branch}", "-wip") == "_wip");
    CHECK(kiln::config::expand_tag("b-{branch}", std::string(200, 'x')) == "b-" + std::string(126, 'x'));
}
