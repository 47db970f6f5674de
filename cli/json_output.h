#pragma once

#include <nlohmann/json.hpp>

namespace kiln::cli {

/// Writes `value` to stdout, indented, followed by a newline: the `--json` form
/// of every read command.
void print_json(const nlohmann::json& value);

}  // namespace kiln::cli
