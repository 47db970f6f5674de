#include <catch2/catch.hpp>

#include "doctor/image_tools.h"

using kiln::doctor::image_tool;
using kiln::doctor::makefile_assignment;

TEST_CASE("a Makefile's first assignment of a variable is its default", "[doctor]") {
    CHECK(makefile_assignment("BUILDER ?= docker\n", "BUILDER") == "docker");
    CHECK(makefile_assignment("# comment\nBUILDER:=buildah # why\nBUILDER = docker\n", "BUILDER") == "buildah");
    CHECK(makefile_assignment("BUILDER ::= podman\n", "BUILDER") == "podman");
    CHECK(makefile_assignment("build:\n\tBUILDER=docker make\n", "BUILDER") == std::nullopt);
    CHECK(makefile_assignment("BUILDERS = docker\n", "BUILDER") == std::nullopt);
    CHECK(makefile_assignment("BUILDER ?= $(DEFAULT_BUILDER)\n", "BUILDER") == std::nullopt);
    CHECK(makefile_assignment("BUILDER ?=\n", "BUILDER") == std::nullopt);
}

TEST_CASE("the image tool comes from env BUILDER, else the Makefile's default", "[doctor]") {
    kiln::config::RepoConfig repo;
    const std::string makefile = "BUILDER ?= docker\nbuild:\n\t$(BUILDER) build .\n";
    SECTION("the Makefile's default") {
        const auto tool = image_tool(repo, "Makefile", makefile);
        REQUIRE(tool);
        CHECK(tool->name == "docker");
        CHECK(tool->source == "Makefile's default BUILDER");
    }
    SECTION("env BUILDER wins") {
        repo.env["BUILDER"] = "buildah";
        const auto tool = image_tool(repo, "Makefile", makefile);
        REQUIRE(tool);
        CHECK(tool->name == "buildah");
        CHECK(tool->source == "env BUILDER");
    }
    SECTION("neither") {
        CHECK_FALSE(image_tool(repo, "Makefile", std::nullopt));
        CHECK_FALSE(image_tool(repo, "Makefile", std::string("build:\n\ttrue\n")));
    }
}
