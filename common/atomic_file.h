#pragma once

#include <filesystem>
#include <string_view>

namespace kiln {

/// Replaces `path` with `content` so that a reader sees the old file or the new
/// one, never a torn one, even across a crash: writes `path.tmp.<pid>`, fsyncs
/// it, renames it over `path` and fsyncs the directory. `mode` is the new file's
/// permission bits: the build user's alone by default, as all of kiln's state
/// is (common/file_modes.h). Throws StateError (`writing '<path>': <why>`, e.g. `No
/// space left on device`) when any step fails; the temp file is then removed.
void write_file_atomic(const std::filesystem::path& path, std::string_view content, unsigned mode = 0600);

/// Reads a whole file. Throws StateError when it cannot be opened.
std::string read_file(const std::filesystem::path& path);

/// fsyncs a directory so that a rename or mkdir inside it survives a crash.
void sync_directory(const std::filesystem::path& dir);

}  // namespace kiln
