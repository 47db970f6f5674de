#include <system_error>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/text.h"
#include "doctor/checks.h"
#include "queue/runner_lock.h"

namespace kiln::doctor {
namespace {

namespace fs = std::filesystem;

// Where systemd and `cmake --install` put the runner's unit.
bool runner_unit_installed() {
    std::error_code ignored;
    for (const char* dir : {"/etc/systemd/system", "/usr/local/lib/systemd/system", "/lib/systemd/system",
                            "/usr/lib/systemd/system"}) {
        if (fs::exists(fs::path(dir) / "kiln-runner.service", ignored)) {
            return true;
        }
    }
    return false;
}

bool systemd_runs() {
    std::error_code ignored;
    return fs::is_directory("/run/systemd/system", ignored);
}

}  // namespace

std::vector<Check> check_runner(const Setup& setup) {
    const queue::StateLayout layout(setup.config.state_dir);
    const std::string lock = layout.runner_lock().string();
    try {
        if (queue::runner_running(layout)) {
            std::string pid;
            try {
                const std::vector<std::string> lines = split_lines(read_file(layout.runner_lock()));
                pid = lines.empty() ? "" : std::string(trim(lines.front()));
            } catch (const Error&) {
                // The pid in the lock is for people; the flock alone says a runner lives.
            }
            return {passed("runner", pid.empty() ? "running (it holds " + lock + ")"
                                                 : "running, pid " + pid + " (it holds " + lock + ")")};
        }
    } catch (const Error& error) {
        return {failed("runner", error.what(), "make " + setup.config.state_dir.string() + " readable to " +
                                                   setup.user.name)};
    }
    const std::string fix = systemd_runs() && runner_unit_installed()
                                ? setup.sudo + "systemctl start kiln-runner"
                                : setup.kiln_command + " runner >>" + layout.runner_log().string() + " 2>&1 &";
    return {failed("runner", "no runner holds " + lock + ": queued builds wait until the next push starts one", fix)};
}

}  // namespace kiln::doctor
