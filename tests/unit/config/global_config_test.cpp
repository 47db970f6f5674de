#include <catch2/catch.hpp>

#include "common/error.h"
#include "config/config.h"

using namespace std::chrono_literals;
using kiln::config::Config;
using kiln::config::parse_config;

TEST_CASE("an empty global config gives the built-in defaults", "[config]") {
    for (const std::string text : {"", "# nothing set\n", "\n\n"}) {
        const Config config = parse_config(text, "/etc/kiln/config.yaml");
        CHECK(config.source == "/etc/kiln/config.yaml");
        CHECK(config.git_root == "/srv/git");
        CHECK(config.state_dir == "/var/lib/kiln");
        CHECK(config.secrets_dir == "/etc/kiln/secrets");
        CHECK(config.registry.url == "http://127.0.0.1:5000");
        CHECK(config.registry.username.empty());
        CHECK(config.registry.password.empty());
        CHECK(config.runner.jobs == 2);
        CHECK(config.runner.timeout == 30min);
        CHECK(config.runner.log_max == 50'000'000u);
        CHECK(config.runner.keep_builds == 100);
        CHECK(config.runner.path == "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        CHECK(config.runner.sandbox == kiln::config::SandboxMode::automatic);
        CHECK(config.defaults.branches == std::vector<std::string>{"main", "master"});
        CHECK(config.defaults.targets == std::vector<std::string>{"build"});
        CHECK_FALSE(config.defaults.image);
    }
}

TEST_CASE("the built-in defaults keep secrets in /etc/kiln/secrets", "[config]") {
    CHECK(Config{}.secrets_dir == "/etc/kiln/secrets");
    CHECK(Config{}.source.empty());
}

TEST_CASE("every global key is read", "[config]") {
    const Config config = parse_config(R"(
git_root: /data/git
state_dir: /data/kiln
secrets_dir: /data/secrets
registry:
  url: https://registry.example:5443/
  username: builder
  password: hunter2
  gc:
    config: /etc/kiln/registry.yml
    restart: systemctl restart kiln-registry
    after_prune: true
    every: 24h
    delete_untagged: true
runner:
  jobs: 4
  timeout: 1h30m
  log_max: 10MiB
  keep_builds: 7
  path: /opt/tools/bin:/usr/bin:/bin
  sandbox: none
defaults:
  branches: ["main", "release/*"]
  targets: [test, build]
  timeout: 20m
  workspace: fresh
  env: {GOFLAGS: -mod=vendor}
  image: {keep: 20}
  notify: [http://vps:9000/deploy]
)",
                                       "/etc/kiln/config.yaml");
    CHECK(config.git_root == "/data/git");
    CHECK(config.state_dir == "/data/kiln");
    CHECK(config.secrets_dir == "/data/secrets");
    CHECK(config.registry.url == "https://registry.example:5443");
    CHECK(config.registry.username == "builder");
    CHECK(config.registry.password == "hunter2");
    CHECK(config.registry.gc.config == "/etc/kiln/registry.yml");
    CHECK(config.registry.gc.restart == "systemctl restart kiln-registry");
    CHECK(config.registry.gc.after_prune);
    CHECK(config.registry.gc.every == 24h);
    CHECK(config.registry.gc.delete_untagged);
    CHECK(config.runner.jobs == 4);
    CHECK(config.runner.timeout == 90min);
    CHECK(config.runner.log_max == 10u * 1024 * 1024);
    CHECK(config.runner.keep_builds == 7);
    CHECK(config.runner.path == "/opt/tools/bin:/usr/bin:/bin");
    CHECK(config.runner.sandbox == kiln::config::SandboxMode::none);
    CHECK(config.defaults.branches == std::vector<std::string>{"main", "release/*"});
    CHECK(config.defaults.targets == std::vector<std::string>{"test", "build"});
    CHECK(config.defaults.timeout == 20min);
    CHECK(config.defaults.workspace == kiln::config::Workspace::fresh);
    CHECK(config.defaults.env == std::map<std::string, std::string>{{"GOFLAGS", "-mod=vendor"}});
    REQUIRE(config.defaults.image);
    CHECK(config.defaults.image->keep == 20);
    CHECK(config.defaults.image->name.empty());
    REQUIRE(config.defaults.notify.size() == 1);
    CHECK(config.defaults.notify[0].url == "http://vps:9000/deploy");
}

TEST_CASE("relative paths resolve against the config file's directory", "[config]") {
    const Config config = parse_config("git_root: git\nstate_dir: ../state\n", "/opt/kiln/etc/config.yaml");
    CHECK(config.git_root == "/opt/kiln/etc/git");
    CHECK(config.state_dir == "/opt/kiln/state");
    CHECK(config.secrets_dir == "/opt/kiln/etc/secrets");

    const Config relative_secrets = parse_config("secrets_dir: keys\n", "/home/me/.config/kiln/config.yaml");
    CHECK(relative_secrets.secrets_dir == "/home/me/.config/kiln/keys");
}

TEST_CASE("global config errors name file, line and column", "[config]") {
    const auto error_of = [](const std::string& text) {
        try {
            parse_config(text, "kiln.yaml");
        } catch (const kiln::ConfigError& error) {
            return std::string(error.what());
        }
        FAIL("no ConfigError for:\n" << text);
        return std::string();
    };

    SECTION("unknown key with a suggestion") {
        CHECK(error_of("git_rot: /srv\n") == "kiln.yaml:1:1: unknown key 'git_rot' (did you mean 'git_root'?)");
        CHECK(error_of("runner:\n  timout: 5m\n") ==
              "kiln.yaml:2:3: unknown key 'timout' in runner (did you mean 'timeout'?)");
        CHECK(error_of("defaults:\n  brnaches: [main]\n") ==
              "kiln.yaml:2:3: unknown key 'brnaches' in defaults (did you mean 'branches'?)");
    }
    SECTION("unknown key without a close match lists the known keys") {
        CHECK(error_of("registry:\n  colour: red\n") ==
              "kiln.yaml:2:3: unknown key 'colour' in registry (known keys: url, username, password, gc)");
    }
    SECTION("a repo key at the top level points to defaults") {
        CHECK(error_of("branches: [main]\n") ==
              "kiln.yaml:1:1: unknown key 'branches' (per-repo keys go under 'defaults:')");
    }
    SECTION("wrong types") {
        CHECK(error_of("runner: 4\n") == "kiln.yaml:1:9: runner: expected a mapping of keys, got '4'");
        CHECK(error_of("git_root: [a, b]\n") == "kiln.yaml:1:11: git_root: expected a string, got a list");
        CHECK(error_of("registry:\n  url: {host: x}\n") ==
              "kiln.yaml:2:8: registry.url: expected a string, got a mapping");
        CHECK(error_of("- a\n- b\n") == "kiln.yaml:1:1: expected a mapping of keys, got a list");
        CHECK(error_of("just text\n") == "kiln.yaml:1:1: expected a mapping of keys, got 'just text'");
    }
    SECTION("bad values") {
        CHECK(error_of("runner:\n  jobs: 0\n") ==
              "kiln.yaml:2:9: runner.jobs: expected a whole number of at least 1, got '0'");
        CHECK(error_of("runner:\n  jobs: two\n") ==
              "kiln.yaml:2:9: runner.jobs: expected a whole number of at least 1, got 'two'");
        CHECK(error_of("runner:\n  keep_builds: 2.5\n") ==
              "kiln.yaml:2:16: runner.keep_builds: expected a whole number of at least 1, got '2.5'");
        CHECK(error_of("runner:\n  timeout: soon\n") ==
              "kiln.yaml:2:12: runner.timeout: expected a duration like 90s, 20m or 1h30m, got 'soon'");
        CHECK(error_of("runner:\n  log_max: 50 MB\n") ==
              "kiln.yaml:2:12: runner.log_max: expected a size like 50MB, 512KiB or 2GB, got '50 MB'");
        CHECK(error_of("registry:\n  url: http://host:5000/v2\n") ==
              "kiln.yaml:2:8: registry.url: expected http://HOST[:PORT] or https://HOST[:PORT] without a path, "
              "got 'http://host:5000/v2'");
        CHECK(error_of("registry:\n  url: 127.0.0.1:5000\n") ==
              "kiln.yaml:2:8: registry.url: expected http://HOST[:PORT] or https://HOST[:PORT] without a path, "
              "got '127.0.0.1:5000'");
        CHECK(error_of("runner:\n  path: bin:/usr/bin\n") ==
              "kiln.yaml:2:9: runner.path: expected absolute directories joined by ':', got 'bin' in 'bin:/usr/bin'");
        CHECK(error_of("runner:\n  path: /usr/bin::/bin\n") ==
              "kiln.yaml:2:9: runner.path: expected absolute directories joined by ':', got an empty entry in "
              "'/usr/bin::/bin' (it would search the worktree)");
        CHECK(error_of("runner:\n  path: ''\n") ==
              "kiln.yaml:2:9: runner.path: expected absolute directories joined by ':', got an empty string");
        CHECK(error_of("runner:\n  path: [/usr/bin]\n") ==
              "kiln.yaml:2:9: runner.path: expected a string, got a list");
        CHECK(error_of("state_dir: ''\n") == "kiln.yaml:1:12: state_dir: expected a path, got an empty string");
        CHECK(error_of("registry:\n  username: me\n") ==
              "kiln.yaml:2:13: registry.username: registry.username and registry.password go together: set both "
              "or neither");
        CHECK(error_of("registry:\n  gc:\n    config: /etc/kiln/registry.yml\n") ==
              "kiln.yaml:3:13: registry.gc.config: registry.gc.config and registry.gc.restart go together: kiln "
              "rewrites the registry's config and restarts it to reread it");
        CHECK(error_of("registry:\n  gc:\n    every: 1d\n") ==
              "kiln.yaml:3:12: registry.gc.every: the runner can collect garbage only in a registry kiln manages: "
              "set registry.gc.config and registry.gc.restart");
        CHECK(error_of("registry:\n  gc:\n    after_prune: \"yes\"\n") ==
              "kiln.yaml:3:18: registry.gc.after_prune: expected true or false, got 'yes'");
    }
    SECTION("a key without a value is reported at the key") {
        CHECK(error_of("runner:\n  timeout:\n  jobs: 2\n") ==
              "kiln.yaml:2:3: runner.timeout: expected a duration like 90s, 20m or 1h30m, got nothing");
        CHECK(error_of("defaults:\n") == "kiln.yaml:1:1: defaults: expected a mapping of keys, got nothing");
    }
    SECTION("duplicate keys") {
        CHECK(error_of("git_root: /a\nstate_dir: /s\ngit_root: /b\n") ==
              "kiln.yaml:3:1: duplicate key 'git_root' (first set on line 1)");
        CHECK(error_of("runner:\n  jobs: 1\n  jobs: 2\n") ==
              "kiln.yaml:3:3: duplicate key 'jobs' in runner (first set on line 2)");
    }
    SECTION("YAML syntax errors") {
        CHECK(error_of("registry:\n  url: [http://x\nrunner: {}\n") ==
              "kiln.yaml:3:7: invalid YAML: end of sequence flow not found");
        CHECK(error_of("git_root: /srv\n  state_dir: /var\n") == "kiln.yaml:2:12: invalid YAML: illegal map value");
        CHECK(error_of("git_root: *nowhere\n") == "kiln.yaml:1:11: invalid YAML: the referenced anchor is not defined");
    }
    SECTION("a second document") {
        CHECK(error_of("git_root: /a\n---\ngit_root: /b\n") ==
              "kiln.yaml:3:1: a config file holds one YAML document, found a second");
    }
    SECTION("a sandbox mode kiln does not know") {
        CHECK(error_of("runner:\n  sandbox: firejail\n") ==
              "kiln.yaml:2:12: runner.sandbox: expected 'auto', 'bubblewrap' or 'none', got 'firejail'");
    }
    SECTION("every error in the file is reported at once, in file order") {
        CHECK(error_of("gti_root: /srv/git\n"
                       "runner:\n"
                       "  jobs: -1\n"
                       "  timeout: forever\n"
                       "registry:\n"
                       "  url: ftp://x\n"
                       "defaults:\n"
                       "  workspace: scratch\n"
                       "  image:\n"
                       "    name: My_App\n") ==
              "kiln.yaml:1:1: unknown key 'gti_root' (did you mean 'git_root'?)\n"
              "kiln.yaml:3:9: runner.jobs: expected a whole number of at least 1, got '-1'\n"
              "kiln.yaml:4:12: runner.timeout: expected a duration like 90s, 20m or 1h30m, got 'forever'\n"
              "kiln.yaml:6:8: registry.url: expected http://HOST[:PORT] or https://HOST[:PORT] without a path, "
              "got 'ftp://x'\n"
              "kiln.yaml:8:14: defaults.workspace: expected 'reuse' or 'fresh', got 'scratch'\n"
              "kiln.yaml:10:11: defaults.image.name: 'My_App' is not a valid image name: use lowercase letters and "
              "digits, separated by '.', '_', '__' or '-', in components joined by '/'");
    }
}
