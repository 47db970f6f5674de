#include <catch2/catch.hpp>

#include "doctor/image_tools.h"

using kiln::doctor::image_tool;
using kiln::doctor::makefile_assignment;
using kiln::doctor::tools_named;

namespace {

bool nothing_installed(const std::string&) {
    return false;
}

}  // namespace

TEST_CASE("a Makefile's first assignment of a variable is its default", "[doctor]") {
    CHECK(makefile_assignment("BUILDER ?= docker\n", "BUILDER") == "docker");
    CHECK(makefile_assignment("# comment\nBUILDER:=buildah # why\nBUILDER = docker\n", "BUILDER") == "buildah");
    CHECK(makefile_assignment("BUILDER ::= podman\n", "BUILDER") == "podman");
    CHECK(makefile_assignment("build:\n\tBUILDER=docker make\n", "BUILDER") == std::nullopt);
    CHECK(makefile_assignment("BUILDERS = docker\n", "BUILDER") == std::nullopt);
    CHECK(makefile_assignment("BUILDER ?= $(DEFAULT_BUILDER)\n", "BUILDER") == "$(DEFAULT_BUILDER)");
    CHECK(makefile_assignment("BUILDER ?=\n", "BUILDER") == std::nullopt);
}

TEST_CASE("the image tool comes from env BUILDER, else the Makefile's default", "[doctor]") {
    kiln::config::RepoConfig repo;
    const std::string makefile = "BUILDER ?= docker\nbuild:\n\t$(BUILDER) build .\n";
    SECTION("the Makefile's default") {
        const auto tool = image_tool(repo, "Makefile", makefile, nothing_installed);
        REQUIRE(tool);
        CHECK(tool->name == "docker");
        CHECK(tool->source == "Makefile's default BUILDER");
    }
    SECTION("env BUILDER wins") {
        repo.env["BUILDER"] = "buildah";
        const auto tool = image_tool(repo, "Makefile", makefile, nothing_installed);
        REQUIRE(tool);
        CHECK(tool->name == "buildah");
        CHECK(tool->source == "env BUILDER");
    }
    SECTION("neither") {
        CHECK_FALSE(image_tool(repo, "Makefile", std::nullopt, nothing_installed));
        CHECK_FALSE(image_tool(repo, "Makefile", std::string("build:\n\ttrue\n"), nothing_installed));
    }
}

TEST_CASE("a Makefile default that picks among tools names them in order", "[doctor]") {
    CHECK(tools_named("$(if $(shell command -v buildah),buildah,docker)") ==
          std::vector<std::string>{"buildah", "docker"});
    CHECK(tools_named("$(DEFAULT_BUILDER)").empty());
    CHECK(tools_named("dockerish buildahx").empty());
}

TEST_CASE("a Makefile that picks among tools builds with the first installed", "[doctor]") {
    kiln::config::RepoConfig repo;
    const std::string makefile = "BUILDER ?= $(if $(shell command -v buildah),buildah,docker)\n";
    SECTION("buildah installed") {
        const auto tool =
            image_tool(repo, "Makefile", makefile, [](const std::string& name) { return name == "buildah"; });
        REQUIRE(tool);
        CHECK(tool->name == "buildah");
        CHECK(tool->source == "Makefile's default BUILDER, the first installed of buildah, docker");
    }
    SECTION("only docker installed") {
        const auto tool =
            image_tool(repo, "Makefile", makefile, [](const std::string& name) { return name == "docker"; });
        REQUIRE(tool);
        CHECK(tool->name == "docker");
    }
    SECTION("neither installed: the first, whose check then says how to install it") {
        const auto tool = image_tool(repo, "Makefile", makefile, nothing_installed);
        REQUIRE(tool);
        CHECK(tool->name == "buildah");
    }
    SECTION("a default that names no tool") {
        CHECK_FALSE(image_tool(repo, "Makefile", std::string("BUILDER ?= $(X)\n"), nothing_installed));
    }
}
