#pragma once

// The environment of what `kiln shell` runs, built from nothing: sshd passes
// on whatever the client sent that its AcceptEnv allows (GIT_CONFIG_PARAMETERS,
// KILN_CONFIG, LD_PRELOAD on a careless box), and none of it may reach git,
// kiln or the build.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/account.h"
#include "process/environment.h"

namespace kiln::access {

/// True when `value` is a GIT_PROTOCOL git itself sends: `version=N`, and
/// more colon-separated `key=value` items of `[a-z0-9.-]` at most (128
/// characters in all).
bool valid_git_protocol(std::string_view value);

/// The first variable of `env` (`NAME=VALUE` entries) that a client must not
/// send and kiln shell refuses rather than silently drops, so the attempt is
/// logged: any GIT_* but a valid GIT_PROTOCOL, any KILN_*, any LD_*. Nothing
/// when there is none.
std::optional<std::string> client_sent_variable(const std::vector<std::string>& env);

/// PATH (`path`, the builds' runner.path), HOME, USER and LOGNAME of
/// `account`, KILN_PUSHED_BY (the key's name, the identity the hook records)
/// and GIT_PROTOCOL when `git_protocol` is a valid one (protocol v2 needs it).
/// Nothing else.
process::Environment shell_environment(const Account& account, const std::string& path, const std::string& key,
                                       const std::optional<std::string>& git_protocol);

}  // namespace kiln::access
