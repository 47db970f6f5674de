#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kiln::doctor {

/// One thing `kiln doctor` looked at, and what it found.
struct Check {
    std::string name;    ///< `config`, `state_dir`, `hook app`, ...
    bool ok = false;
    std::string detail;  ///< what was found (ok) or what is wrong
    std::string fix;     ///< what to run; empty when ok
};

/// A passed check.
Check passed(std::string name, std::string detail);
/// A failed check: what is wrong and what to run about it.
Check failed(std::string name, std::string problem, std::string fix);

/// True when every check passed (also for none).
bool all_ok(const std::vector<Check>& checks);

/// One line per check: `ok   NAME: detail` or `FAIL NAME: problem; fix: what to run`.
std::string format_text(const std::vector<Check>& checks);

/// `{"ok": bool, "checks": [{"name", "ok", "detail", "fix"}, ...]}`.
nlohmann::json to_json(const std::vector<Check>& checks);

}  // namespace kiln::doctor
