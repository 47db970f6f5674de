#include "doctor/checks.h"
#include "doctor/disk_space.h"

namespace kiln::doctor {
namespace {

// Where Debian's docker-registry, and the one install.sh sets up, keep images.
const std::filesystem::path kRegistryStorage = "/var/lib/docker-registry";

Check judge(const std::string& name, const std::filesystem::path& path, const DiskSpace& space,
            const std::string& fix) {
    if (disk_low(space)) {
        return failed(name, path.string() + " has only " + describe_space(space) + " (builds need 1 GiB and 5%)", fix);
    }
    return passed(name, path.string() + ": " + describe_space(space));
}

// Nothing for a path that does not exist: its own check says so.
void check_disk(std::vector<Check>& checks, const std::string& name, const std::filesystem::path& path,
                const std::string& fix) {
    const std::optional<DiskSpace> space = disk_space(path);
    if (space) {
        checks.push_back(judge(name, path, *space, fix));
    }
}

}  // namespace

std::vector<Check> check_disks(const Setup& setup) {
    const std::filesystem::path& state = setup.config.state_dir;
    std::vector<Check> checks;
    check_disk(checks, "disk state_dir", state,
               "free space there: old builds go with a lower runner.keep_builds, worktrees with rm -r " +
                   (state / "work").string());
    check_disk(checks, "disk registry", kRegistryStorage,
               setup.kiln_command + " image prune REPO --keep N, then " + setup.sudo + setup.kiln_command +
                   " image gc frees image layers");
    return checks;
}

}  // namespace kiln::doctor
