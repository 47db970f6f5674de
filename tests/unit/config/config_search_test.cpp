#include <catch2/catch.hpp>

#include <cstdlib>
#include <optional>

#include "common/error.h"
#include "config/config.h"
#include "config/config_search.h"
#include "tests/support/temp_dir.h"

using kiln::config::find_config_file;
using kiln::test::TempDir;

namespace {

// Sets an environment variable for one test and restores it afterwards.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const std::optional<std::string>& value) : name_(name) {
        if (const char* old = std::getenv(name)) {
            old_ = old;
        }
        set(value);
    }
    ~ScopedEnv() { set(old_); }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    void set(const std::optional<std::string>& value) {
        if (value) {
            ::setenv(name_, value->c_str(), 1);
        } else {
            ::unsetenv(name_);
        }
    }

    const char* name_;
    std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("the config is searched in order: --config, $KILN_CONFIG, ~/.config, /etc", "[config]") {
    const TempDir dir;
    const auto explicit_file = dir.write("explicit.yaml", "");
    const auto env_file = dir.write("env.yaml", "");
    const auto user_file = dir.write("home/.config/kiln/config.yaml", "");
    const auto system_file = dir.write("etc/kiln/config.yaml", "");
    const ScopedEnv home("HOME", (dir / "home").string());
    const ScopedEnv kiln_config("KILN_CONFIG", env_file.string());

    auto found = find_config_file(explicit_file, system_file);
    REQUIRE(found);
    CHECK(found->path == explicit_file);
    CHECK(found->named_by == "--config");

    found = find_config_file(std::nullopt, system_file);
    REQUIRE(found);
    CHECK(found->path == env_file);
    CHECK(found->named_by == "$KILN_CONFIG");

    {
        const ScopedEnv empty_env("KILN_CONFIG", "");
        found = find_config_file(std::nullopt, system_file);
        REQUIRE(found);
        CHECK(found->path == user_file);
        CHECK(found->named_by.empty());
    }
    {
        const ScopedEnv no_env("KILN_CONFIG", std::nullopt);
        std::filesystem::remove(user_file);
        found = find_config_file(std::nullopt, system_file);
        REQUIRE(found);
        CHECK(found->path == system_file);

        std::filesystem::remove(system_file);
        CHECK_FALSE(find_config_file(std::nullopt, system_file));

        const ScopedEnv no_home("HOME", std::nullopt);
        CHECK_FALSE(find_config_file(std::nullopt, system_file));
    }
}

TEST_CASE("load_config reads the file it finds", "[config]") {
    const TempDir dir;
    const auto file = dir.write("kiln/config.yaml", "git_root: repos\nrunner: {jobs: 3}\n");
    const ScopedEnv kiln_config("KILN_CONFIG", file.string());

    const kiln::config::Config config = kiln::config::load_config(std::nullopt);
    CHECK(config.source == file);
    CHECK(config.git_root == dir / "kiln/repos");
    CHECK(config.secrets_dir == dir / "kiln/secrets");
    CHECK(config.runner.jobs == 3);

    SECTION("from ~/.config when nothing names one") {
        const ScopedEnv no_env("KILN_CONFIG", std::nullopt);
        const ScopedEnv home("HOME", dir.path().string());
        const auto user_file = dir.write(".config/kiln/config.yaml", "runner: {jobs: 5}\n");
        const kiln::config::Config user = kiln::config::load_config(std::nullopt);
        CHECK(user.source == user_file);
        CHECK(user.runner.jobs == 5);
        CHECK(user.secrets_dir == dir / ".config/kiln/secrets");
    }
}

TEST_CASE("a named config file that is missing is an error, not the defaults", "[config]") {
    const TempDir dir;
    const std::string missing = (dir / "missing.yaml").string();
    CHECK_THROWS_MATCHES(kiln::config::load_config(std::filesystem::path(missing)), kiln::ConfigError,
                         Catch::Message("reading config '" + missing +
                                        "' (named by --config): No such file or directory"));
    const ScopedEnv kiln_config("KILN_CONFIG", missing);
    CHECK_THROWS_MATCHES(kiln::config::load_config(std::nullopt), kiln::ConfigError,
                         Catch::Message("reading config '" + missing +
                                        "' (named by $KILN_CONFIG): No such file or directory"));
    CHECK_THROWS_MATCHES(kiln::config::load_config(dir.path()), kiln::ConfigError,
                         Catch::Message("reading config '" + dir.path().string() +
                                        "' (named by --config): it is a directory"));
}

TEST_CASE("a config found by search that cannot be read is an error, not skipped", "[config]") {
    const TempDir dir;
    std::filesystem::create_directories(dir / ".config/kiln/config.yaml");
    const ScopedEnv no_env("KILN_CONFIG", std::nullopt);
    const ScopedEnv home("HOME", dir.path().string());
    CHECK_THROWS_MATCHES(kiln::config::load_config(std::nullopt), kiln::ConfigError,
                         Catch::Message("reading config '" + (dir / ".config/kiln/config.yaml").string() +
                                        "': it is a directory"));
}

TEST_CASE("errors in a loaded file carry its path as named", "[config]") {
    const TempDir dir;
    const auto file = dir.write("bad.yaml", "runner:\n  jobs: many\n");
    CHECK_THROWS_MATCHES(kiln::config::load_config(file), kiln::ConfigError,
                         Catch::Message(file.string() +
                                        ":2:9: runner.jobs: expected a whole number of at least 1, got 'many'"));
}
