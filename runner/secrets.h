#pragma once

// A repo's secrets: `<secrets_dir>/<repo>.env`, read by the runner for each
// build and passed to make as environment variables; their values are masked
// as `***` in the build log (queue/build_log.h).

#include <filesystem>
#include <map>
#include <string>

#include "common/secret_mask.h"

namespace kiln::runner {

/// The secrets file of `repo` (canonical name): `<secrets_dir>/app.env`, and
/// `<secrets_dir>/team/app.env` for `team/app`.
std::filesystem::path secrets_file(const std::filesystem::path& secrets_dir, const std::string& repo);

/// Parses the text of a secrets file; `source` names it in errors. One
/// `KEY=VALUE` per line, optionally prefixed by `export `; blank lines and lines
/// starting with `#` are skipped; whitespace around key and value is dropped.
/// A value in double quotes may use \n \t \" \\ escapes; one in single quotes is
/// taken literally; an unquoted value is taken as written (a `#` in it is part
/// of the value, as in a password). Keys are [A-Za-z_][A-Za-z0-9_]*; the last
/// of two equal keys wins. Throws ConfigError(`SOURCE:LINE: what is wrong`),
/// listing every bad line.
std::map<std::string, std::string> parse_secrets(const std::string& text, const std::string& source);

/// Reads the secrets of `repo`; an empty map when the file does not exist.
/// Throws ConfigError for a bad line, StateError when the file cannot be read.
std::map<std::string, std::string> load_secrets(const std::filesystem::path& secrets_dir, const std::string& repo);

}  // namespace kiln::runner

namespace kiln::runner {

/// What the secrets of `repo` are masked with; empty when it has none, or
/// when its file cannot be read or parsed (the build says why). Never throws:
/// for texts about a build written after it ran (its record, a notification).
SecretMask secret_mask_of(const std::filesystem::path& secrets_dir, const std::string& repo);

}  // namespace kiln::runner
