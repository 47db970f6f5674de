#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace kiln::repos {

/// What the installed post-receive stub runs: `kiln-hook` (or kiln itself,
/// which takes the same arguments), with the config that was in effect at
/// `kiln init`, so several kiln instances can share a box.
struct HookTarget {
    std::filesystem::path executable;
    std::optional<std::filesystem::path> config_file;

    bool operator==(const HookTarget&) const = default;
};

/// The text of `hooks/post-receive` for `target`: a three-line shell stub.
std::string post_receive_stub(const HookTarget& target);

/// What the stub `text` runs, when it is a stub post_receive_stub() wrote (its
/// `exec` line, however it was quoted); nothing for any other hook.
std::optional<HookTarget> parse_post_receive_stub(const std::string& text);

/// The hook `kiln init` installs for the kiln at `kiln_executable` reading the
/// config file `config_source` (empty: the built-in defaults): the kiln-hook
/// next to that kiln when it is executable there, else that kiln itself; the
/// config file made absolute.
HookTarget hook_target(const std::filesystem::path& kiln_executable, const std::filesystem::path& config_source);

}  // namespace kiln::repos
