#pragma once

// `kiln watch --report DEST`: each deploy told to the build box as
// `ssh DEST kiln deployed NAME DIGEST --host HOST --status STATUS --exit N`,
// which records it in the release ledger there.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "releases/ledger.h"

namespace kiln::registry {

/// What a host name for reports may be, for errors (common/names.h is_host_name).
constexpr const char* kHostNameRule = "a host name is 1 to 253 of letters, digits, '.', '_' and '-', not starting with '-'";

/// One deploy as the build box records it.
struct DeployEvent {
    std::string name;       ///< the image's repository name, e.g. `app`
    std::string digest;     ///< the digest that ran
    releases::DeployStatus status = releases::DeployStatus::deployed;   ///< as the ledger words it
    int exit = 0;           ///< the deploy command's exit status
};

/// Where and how reports go.
struct ReportTarget {
    std::string destination;   ///< ssh's DEST, `[user@]host`
    std::string ssh_command = "ssh -o BatchMode=yes -o ConnectTimeout=10";  ///< run by /bin/sh, like core.sshCommand
    std::string host;          ///< this host's name as the ledger shows it
    std::chrono::milliseconds timeout{std::chrono::seconds(30)};  ///< then its group gets SIGTERM, then SIGKILL
};

/// This host's name for reports: its canonical name (as `hostname -f`
/// finds it), else gethostname()'s. Throws UsageError when neither is a
/// host name as the ledger takes it (common/names.h is_host_name).
std::string this_host_name();

/// The ssh command's argv for `event` (argv[0] `/bin/sh`), which passes
/// every word to the remote `kiln deployed` as a separate argument.
std::vector<std::string> report_argv(const ReportTarget& target, const DeployEvent& event);

/// Runs the report (stdin /dev/null; ssh's output goes to stderr, beside the
/// watcher's log) and waits at most `target.timeout`. Nothing when it exited
/// 0, else why not (`exit 255`, `killed after 30 s`). Throws nothing: a
/// report that fails must not stop the watcher.
std::optional<std::string> send_report(const ReportTarget& target, const DeployEvent& event);

}  // namespace kiln::registry
