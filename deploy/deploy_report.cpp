#include "deploy/deploy_report.h"

#include <cerrno>
#include <climits>
#include <cstring>

#include <netdb.h>
#include <signal.h>
#include <unistd.h>

#include "common/error.h"
#include "common/names.h"
#include "deploy/bounded_request.h"
#include "process/spawn.h"

namespace kiln::registry {
namespace {

// After SIGTERM, how long ssh gets to close its connection before SIGKILL.
constexpr std::chrono::seconds kTermGrace{2};

// The canonical name the resolver gives `name`, as `hostname -f` prints it.
std::optional<std::string> canonical_name(const std::string& name) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_flags = AI_CANONNAME;
    addrinfo* found = nullptr;
    if (getaddrinfo(name.c_str(), nullptr, &hints, &found) != 0) {
        return std::nullopt;
    }
    std::optional<std::string> canonical;
    if (found != nullptr && found->ai_canonname != nullptr) {
        canonical = found->ai_canonname;
    }
    freeaddrinfo(found);
    return canonical;
}

}  // namespace

std::string this_host_name() {
    char buffer[HOST_NAME_MAX + 1] = {};
    if (gethostname(buffer, sizeof buffer - 1) != 0) {
        throw UsageError(describe("finding this host's name", std::string(strerror(errno)) + "; pass --host-name NAME"));
    }
    const std::string plain(buffer);
    if (std::optional<std::string> canonical = canonical_name(plain); canonical && is_host_name(*canonical)) {
        return *canonical;
    }
    if (!is_host_name(plain)) {
        throw UsageError(describe("using this host's name '" + plain + "' for --report",
                                  std::string(kHostNameRule) + "; pass --host-name NAME"));
    }
    return plain;
}

std::vector<std::string> report_argv(const ReportTarget& target, const DeployEvent& event) {
    // The user's ssh command is a command line (options, -i KEY, a wrapper), so
    // /bin/sh reads it; the words kiln adds reach ssh as "$@", never parsed.
    return {"/bin/sh", "-c",     target.ssh_command + " \"$@\"", "ssh",          target.destination,
            "kiln",    "deployed", event.name,                   event.digest,   "--host",
            target.host, "--status", releases::to_string(event.status),   "--exit",       std::to_string(event.exit)};
}

std::optional<std::string> send_report(const ReportTarget& target, const DeployEvent& event) {
    process::Command ssh;
    ssh.argv = report_argv(target, event);
    ssh.env = process::Environment::current();
    ssh.std_in = process::Redirect::null();
    ssh.std_out = process::Redirect::fd(STDERR_FILENO);
    // Its own group, so that a timeout ends the shell, ssh and any proxy command together.
    ssh.group = process::Group::new_group;
    try {
        process::Child child = process::spawn(ssh, process::OnDrop::kill, "running the --ssh-command");
        std::optional<process::ExitStatus> status = child.wait_until(std::chrono::steady_clock::now() + target.timeout);
        if (!status) {
            ::kill(-child.pid(), SIGTERM);
            status = child.wait_until(std::chrono::steady_clock::now() + kTermGrace);
            if (!status) {
                ::kill(-child.pid(), SIGKILL);
                child.wait();
            }
            return "killed after " + detail::timeout_text(target.timeout);
        }
        if (status->exited() && status->code() == 0) {
            return std::nullopt;
        }
        return status->exited() ? "exit " + std::to_string(status->code())
                                : "signal " + std::to_string(status->signal());
    } catch (const std::exception& error) {
        return error.what();
    }
}

}  // namespace kiln::registry
