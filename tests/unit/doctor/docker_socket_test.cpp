#include <catch2/catch.hpp>

#include <cstring>

#include <sys/socket.h>
#include <sys/un.h>

#include "common/posix.h"
#include "doctor/checks.h"
#include "tests/support/temp_dir.h"

namespace {

// A Unix socket bound at `path`, listening while it lives when `listening`.
kiln::UniqueFd bound_socket(const std::filesystem::path& path, bool listening) {
    kiln::UniqueFd fd(kiln::check_errno(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), "creating a socket"));
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    kiln::check_errno(::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address), "binding");
    if (listening) {
        kiln::check_errno(::listen(fd.get(), 1), "listening");
    }
    return fd;
}

}  // namespace

TEST_CASE("the docker socket check connects to the daemon's socket", "[doctor]") {
    const kiln::test::TempDir dir;
    const std::filesystem::path socket = dir / "docker.sock";
    kiln::doctor::Setup setup;
    setup.user.name = "git";
    setup.sudo = "sudo ";

    SECTION("a daemon listens") {
        const kiln::UniqueFd daemon = bound_socket(socket, true);
        const kiln::doctor::Check check = kiln::doctor::check_docker_socket(setup, socket);
        CHECK(check.ok);
        CHECK(check.detail == "git can reach " + socket.string());
    }
    SECTION("no socket") {
        const kiln::doctor::Check check = kiln::doctor::check_docker_socket(setup, socket);
        CHECK_FALSE(check.ok);
        CHECK(check.detail == "no Docker daemon: " + socket.string() + " does not exist");
        CHECK(check.fix ==
              "sudo apt-get install docker.io, or build without a daemon: env: {BUILDER: buildah} in .kiln.yml");
    }
    SECTION("a socket nobody listens on") {
        const kiln::UniqueFd stale = bound_socket(socket, false);
        const kiln::doctor::Check check = kiln::doctor::check_docker_socket(setup, socket);
        CHECK_FALSE(check.ok);
        CHECK(check.detail == "cannot connect to " + socket.string() + " (Connection refused)");
        CHECK(check.fix == "sudo systemctl start docker");
    }
}
