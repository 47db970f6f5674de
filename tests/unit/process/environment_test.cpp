#include "process/environment.h"

#include <cstdlib>

#include <catch2/catch.hpp>

using kiln::process::Environment;

TEST_CASE("an environment starts empty and keeps the order it is given", "[process]") {
    Environment env;
    env.set("B", "2").set("A", "1");
    CHECK(env.entries() == std::vector<std::string>{"B=2", "A=1"});
}

TEST_CASE("setting a variable again replaces it as the last entry", "[process]") {
    Environment env;
    env.set("A", "1").set("B", "2").set("A", "3");
    CHECK(env.entries() == std::vector<std::string>{"B=2", "A=3"});
    CHECK(env.get("A") == "3");
}

TEST_CASE("unset removes a name and not a longer one", "[process]") {
    Environment env;
    env.set("GIT", "x").set("GIT_DIR", "/r").set("GIT_WORK_TREE", "/w").set("HOME", "/h");
    env.unset("GIT");
    CHECK(env.entries() == std::vector<std::string>{"GIT_DIR=/r", "GIT_WORK_TREE=/w", "HOME=/h"});
    env.unset_prefix("GIT_");
    CHECK(env.entries() == std::vector<std::string>{"HOME=/h"});
    CHECK_FALSE(env.get("GIT_DIR").has_value());
}

TEST_CASE("the current environment is this process's", "[process]") {
    ::setenv("KILN_PROCESS_TEST", "here", 1);
    CHECK(Environment::current().get("KILN_PROCESS_TEST") == "here");
    ::unsetenv("KILN_PROCESS_TEST");
    CHECK_FALSE(Environment::current().get("KILN_PROCESS_TEST").has_value());
}
