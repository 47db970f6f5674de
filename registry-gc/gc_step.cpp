#include "registry-gc/gc_step.h"

#include <chrono>
#include <csignal>
#include <cstdlib>

#include <sys/stat.h>
#include <unistd.h>

#include "common/error.h"
#include "common/posix.h"
#include "process/spawn.h"

namespace kiln::registry_gc {
namespace {

constexpr off_t kOutputKept = 64 * 1024;

// An unlinked temp file rather than a pipe: a restart command that starts the
// registry in the background passes the descriptor on to it, and a pipe would
// then never reach its end.
UniqueFd output_file(const std::string& doing) {
    const char* tmpdir = std::getenv("TMPDIR");
    std::string path = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/kiln-gc-XXXXXX";
    UniqueFd fd(check_errno(::mkostemp(path.data(), O_CLOEXEC), describe(doing, "creating a file for its output")));
    check_errno(::unlink(path.c_str()), describe(doing, "removing '" + path + "'"));
    return fd;
}

std::string tail_of(const UniqueFd& fd) {
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0) {
        return "";
    }
    const off_t start = info.st_size > kOutputKept ? info.st_size - kOutputKept : 0;
    std::string text(static_cast<std::size_t>(info.st_size - start), '\0');
    const ssize_t got = ::pread(fd.get(), text.data(), text.size(), start);
    text.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
    return text;
}

}  // namespace

StepResult run_step(const std::vector<std::string>& argv, const std::function<bool()>& stop, bool stoppable,
                    const std::string& doing) {
    const UniqueFd output = output_file(doing);
    process::Command command;
    command.argv = argv;
    command.search_path = true;
    command.env = process::Environment::current();
    command.std_in = process::Redirect::null();
    command.std_out = process::Redirect::fd(output.get());
    command.std_err = process::Redirect::fd(output.get());
    command.group = process::Group::new_group;
    command.default_signals = {SIGPIPE};
    process::Child child = process::spawn(command, process::OnDrop::kill, doing);

    bool signalled = false;
    std::optional<process::ExitStatus> status;
    while (!(status = child.wait_until(std::chrono::steady_clock::now() + std::chrono::milliseconds(200)))) {
        if (stoppable && !signalled && stop && stop()) {
            child.signal(SIGTERM);
            signalled = true;
        }
    }
    StepResult result;
    result.ok = status->exited() && status->code() == 0;
    result.how = status->exited() ? "exited " + std::to_string(status->code())
                                  : "killed by signal " + std::to_string(status->signal());
    result.output = tail_of(output);
    return result;
}

}  // namespace kiln::registry_gc
