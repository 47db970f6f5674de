#pragma once

// Who a pusher logs in as, and where, to run kiln on this box: what the hook
// names in the commands it prints (`ssh git@buildbox kiln logs app 42 -f`).

#include <istream>
#include <optional>
#include <string>

namespace kiln::hooks {

/// This machine's host name (gethostname), empty when it has none. Not the
/// resolver's canonical name: a push must never wait on DNS.
std::string host_name();

/// The name of the user the hook runs as (the effective uid) in /etc/passwd,
/// empty when that file does not list it.
std::string user_name();

/// The name of the first entry of `passwd` (the format of /etc/passwd) whose
/// uid is `uid`; nothing when there is none.
std::optional<std::string> passwd_name(std::istream& passwd, unsigned uid);

}  // namespace kiln::hooks
