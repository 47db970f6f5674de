#pragma once

// Who may read kiln's files. State (records, logs, jobs), secrets and a
// config holding registry.password are the build user's alone: another
// local user must not read a build's secrets, nor the reasons and logs that
// may quote them.

#include <filesystem>
#include <optional>
#include <string>

namespace kiln {

/// The mode of every file kiln writes under its state dir.
inline constexpr unsigned kPrivateFileMode = 0600;
/// The mode of every directory kiln creates under (and for) its state dir.
inline constexpr unsigned kPrivateDirMode = 0700;

/// Creates `dir` and its missing parents as kPrivateDirMode (whatever the
/// umask); directories that exist are left as they are. Throws StateError.
void create_private_dirs(const std::filesystem::path& dir);

/// The permission bits of `file` when they grant its group or others any
/// access; nothing when it is private or cannot be looked at.
std::optional<unsigned> loose_mode(const std::filesystem::path& file);

/// `0644`.
std::string mode_text(unsigned mode);

/// When `file` grants its group or others any access: `'<file>' (WHAT) can be
/// read by other users (mode 0644); fix: chmod 600 '<file>'`. Nothing when it
/// is private or cannot be looked at (a missing file is someone else's
/// message).
std::optional<std::string> readable_by_others(const std::filesystem::path& file, const std::string& what);

}  // namespace kiln
