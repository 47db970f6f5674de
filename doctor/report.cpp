#include "doctor/report.h"

#include <algorithm>

namespace kiln::doctor {

Check passed(std::string name, std::string detail) {
    return {std::move(name), true, std::move(detail), ""};
}

Check failed(std::string name, std::string problem, std::string fix) {
    return {std::move(name), false, std::move(problem), std::move(fix)};
}

bool all_ok(const std::vector<Check>& checks) {
    return std::all_of(checks.begin(), checks.end(), [](const Check& check) { return check.ok; });
}

std::string format_text(const std::vector<Check>& checks) {
    std::string text;
    for (const Check& check : checks) {
        text += (check.ok ? "ok   " : "FAIL ") + check.name + ": " + check.detail;
        if (!check.ok && !check.fix.empty()) {
            text += "; fix: " + check.fix;
        }
        text += '\n';
    }
    return text;
}

nlohmann::json to_json(const std::vector<Check>& checks) {
    nlohmann::json list = nlohmann::json::array();
    for (const Check& check : checks) {
        list.push_back({{"name", check.name}, {"ok", check.ok}, {"detail", check.detail}, {"fix", check.fix}});
    }
    return {{"ok", all_ok(checks)}, {"checks", list}};
}

}  // namespace kiln::doctor
