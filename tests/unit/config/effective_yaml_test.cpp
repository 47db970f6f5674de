#include <catch2/catch.hpp>

#include "config/config.h"
#include "config/effective_yaml.h"

using namespace std::chrono_literals;
using kiln::config::exact_duration;
using kiln::config::exact_size;

TEST_CASE("durations and sizes print exactly and briefly", "[config]") {
    CHECK(exact_duration(30min) == "30m");
    CHECK(exact_duration(90s) == "1m30s");
    CHECK(exact_duration(5400s) == "1h30m");
    CHECK(exact_duration(std::chrono::seconds(86400 + 1)) == "1d1s");
    CHECK(exact_size(50'000'000) == "50MB");
    CHECK(exact_size(10 * 1024 * 1024) == "10MiB");
    CHECK(exact_size(1536) == "1536B");
    CHECK(exact_size(3000) == "3kB");
    CHECK(exact_size(0) == "0B");
}

TEST_CASE("the built-in defaults print as YAML with every key", "[config]") {
    CHECK(kiln::config::to_yaml(kiln::config::Config{}) ==
          "git_root: /srv/git\n"
          "state_dir: /var/lib/kiln\n"
          "secrets_dir: /etc/kiln/secrets\n"
          "registry:\n"
          "  url: http://127.0.0.1:5000\n"
          "  username: \"\"\n"
          "  password: \"\"\n"
          "  gc:\n"
          "    config: \"\"\n"
          "    restart: \"\"\n"
          "    after_prune: false\n"
          "    every: 0\n"
          "    delete_untagged: false\n"
          "runner:\n"
          "  jobs: 2\n"
          "  timeout: 30m\n"
          "  log_max: 50MB\n"
          "  keep_builds: 100\n"
          "  path: /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
          "  sandbox: auto\n"
          "defaults:\n"
          "  branches: [main, master]\n"
          "  targets: [build]\n"
          "  timeout: 30m  # runner.timeout\n"
          "  workspace: reuse\n"
          "  env: {}\n"
          "  image: ~  # none promised: kiln records $IMAGE if the build pushed it\n"
          "  notify: []\n");
}

TEST_CASE("a repo config prints with its image, env and notify", "[config]") {
    kiln::config::RepoConfig config;
    config.branches = {"main", "release/*"};
    config.timeout = 20min;
    config.env = {{"GOFLAGS", "-mod=vendor"}, {"N", "4"}};
    config.image = kiln::config::ImageConfig{"team/app", "", {"latest", "{branch}"}, 0};
    config.notify = {{"http://vps:9000/deploy", {}}};
    CHECK(kiln::config::to_yaml(config, 30min) ==
          "branches: [main, release/*]\n"
          "targets: [build]\n"
          "timeout: 20m\n"
          "workspace: reuse\n"
          "env:\n"
          "  GOFLAGS: \"-mod=vendor\"\n"
          "  N: \"4\"\n"
          "image:\n"
          "  name: team/app\n"
          "  archive: \"\"  # none: the Makefile pushes $IMAGE\n"
          "  tags: [latest, \"{branch}\"]\n"
          "  keep: 0  # keep every build tag\n"
          "notify:\n"
          "  - url: http://vps:9000/deploy\n");
}

TEST_CASE("printed configs read back to the same config", "[config]") {
    const std::string text = "git_root: /data/git\n"
                             "registry: {url: https://r.example, username: u, password: p}\n"
                             "runner: {jobs: 3, timeout: 1h30m, log_max: 3MiB, keep_builds: 9}\n"
                             "defaults:\n"
                             "  branches: ['*']\n"
                             "  workspace: fresh\n"
                             "  env: {A: 'x y', B: '1.10'}\n"
                             "  image: {name: app, archive: out/i.tar, tags: ['{branch}'], keep: 4}\n"
                             "  notify: [http://vps/hook]\n";
    const kiln::config::Config config = kiln::config::parse_config(text, "/etc/kiln/config.yaml");
    std::string printed = kiln::config::to_yaml(config);
    printed.replace(printed.find("password: \"***\""), 15, "password: p");
    const kiln::config::Config again = kiln::config::parse_config(printed, "/etc/kiln/config.yaml");
    std::string expected = kiln::config::to_yaml(config);
    expected.erase(expected.find("  # runner.timeout"), 18);  // the fallback is now set explicitly
    CHECK(kiln::config::to_yaml(again) == expected);
    CHECK(again.registry.password == "p");
    CHECK(again.runner.log_max == 3u * 1024 * 1024);
    CHECK(again.defaults.timeout == 90min);  // printed filled in from runner.timeout
    CHECK(again.defaults.env == config.defaults.env);
}

TEST_CASE("an image with the default name and no archive prints and reads back", "[config]") {
    kiln::config::Config config;
    config.defaults.image = kiln::config::ImageConfig{};
    const kiln::config::Config again =
        kiln::config::parse_config(kiln::config::to_yaml(config), "/etc/kiln/config.yaml");
    REQUIRE(again.defaults.image);
    CHECK(again.defaults.image->name.empty());
    CHECK(again.defaults.image->archive.empty());
    CHECK(again.defaults.image->tags == std::vector<std::string>{"latest"});
}

TEST_CASE("image: false prints and reads back", "[config]") {
    kiln::config::RepoConfig config;
    config.no_image = true;
    const std::string printed = kiln::config::to_yaml(config, 30min);
    CHECK(printed.find("image: false  # no image: kiln does not look for $IMAGE\n") != std::string::npos);
    const kiln::config::RepoConfig again = kiln::config::parse_repo_config(printed, ".kiln.yml", {});
    CHECK(again.no_image);
    CHECK_FALSE(again.image);
}
