#include <cerrno>
#include <cstring>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/posix.h"
#include "common/text.h"
#include "doctor/checks.h"
#include "doctor/subids.h"
#include "process/executable_search.h"

namespace kiln::doctor {
namespace {

namespace fs = std::filesystem;

const fs::path kDockerSocket = "/var/run/docker.sock";

// Debian's package for the tools doctor knows; nothing for any other.
std::optional<std::string> package_of(const std::string& tool) {
    if (tool == "docker") {
        return "docker.io";
    }
    if (tool == "git" || tool == "make" || tool == "buildah" || tool == "podman") {
        return tool;
    }
    return std::nullopt;
}

std::string used_by(const std::vector<std::string>& repos) {
    return repos.empty() ? "" : ", used by " + join(repos, ", ");
}

Check check_program(const Setup& setup, const std::string& tool, const std::vector<std::string>& repos) {
    if (const std::optional<fs::path> found = find_on_path(tool, setup.config.runner.path)) {
        return passed(tool, found->string() + used_by(repos));
    }
    const std::optional<std::string> package = package_of(tool);
    return failed(tool, "not found on runner.path (" + setup.config.runner.path + ")" + used_by(repos),
                  package ? setup.sudo + "apt-get install " + *package
                          : "install " + tool + ", or add its directory to runner.path");
}

// buildah and podman as a user other than root map the image's uids and gids
// to the user's subordinate ranges, and fail without them ("error setting
// supplemental groups list").
Check check_subids(const Setup& setup, const std::string& kind, const std::string& tool) {
    const std::string name = "sub" + kind;
    const fs::path file = "/etc/sub" + kind;
    std::string text;
    try {
        text = read_file(file);
    } catch (const Error&) {
        // No file: no ranges, which the fix below gives.
    }
    std::uint64_t count = 0;
    std::string ranges;
    for (const SubidRange& range : subid_ranges(text, setup.user.name, setup.user.uid)) {
        count += range.count;
        ranges += (ranges.empty() ? "" : ", ") + std::to_string(range.start) + "-" +
                  std::to_string(range.start + range.count - 1);
    }
    const std::uint64_t start = free_subid_start(text);
    const std::string fix = setup.sudo + "usermod --add-sub" + kind + "s " + std::to_string(start) + "-" +
                            std::to_string(start + kSubidsNeeded - 1) + " " + setup.user.name;
    if (count == 0) {
        return failed(name, setup.user.name + " has no range in " + file.string() + ": " + tool + " cannot build images",
                      fix);
    }
    if (count < kSubidsNeeded) {
        return failed(name, setup.user.name + " has only " + std::to_string(count) + " ids in " + file.string() +
                                " (" + tool + " needs " + std::to_string(kSubidsNeeded) + ")", fix);
    }
    return passed(name, setup.user.name + " has " + ranges + " in " + file.string());
}

}  // namespace

std::optional<fs::path> find_on_path(const std::string& tool, const std::string& path) {
    return process::search_path(tool, path);
}

// docker builds through the daemon's socket, which the user must be allowed to connect to.
Check check_docker_socket(const Setup& setup, const fs::path& socket) {
    const std::string name = "docker socket";
    const std::string socket_path = socket.string();
    UniqueFd fd(check_errno(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), "creating a socket"));
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, socket_path.c_str(), sizeof address.sun_path - 1);
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) {
        return passed(name, setup.user.name + " can reach " + socket_path);
    }
    const int error = errno;
    if (error == EACCES || error == EPERM) {
        return failed(name, setup.user.name + " may not connect to " + socket_path + " (" + std::strerror(error) + ")",
                      setup.sudo + "usermod -aG docker " + setup.user.name + ", then restart the runner");
    }
    if (error == ENOENT) {
        return failed(name, "no Docker daemon: " + socket_path + " does not exist",
                      setup.sudo + "apt-get install docker.io, or build without a daemon: env: {BUILDER: buildah} "
                                   "in .kiln.yml");
    }
    return failed(name, "cannot connect to " + socket_path + " (" + std::strerror(error) + ")",
                  setup.sudo + "systemctl start docker");
}

std::vector<Check> check_tools(const Setup& setup, const ToolUsers& tools) {
    std::vector<Check> checks{check_program(setup, "git", {}), check_program(setup, "make", {})};
    for (const auto& [tool, repos] : tools) {
        checks.push_back(check_program(setup, tool, repos));
        if ((tool == "buildah" || tool == "podman") && setup.user.uid != 0) {
            checks.push_back(check_subids(setup, "uid", tool));
            checks.push_back(check_subids(setup, "gid", tool));
        } else if (tool == "docker") {
            checks.push_back(check_docker_socket(setup, kDockerSocket));
        }
    }
    return checks;
}

}  // namespace kiln::doctor
