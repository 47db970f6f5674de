#include "config/diagnostics.h"

#include <algorithm>

#include "common/error.h"

namespace kiln::config {

void Diagnostics::error(Position at, std::string what) {
    problems_.push_back({at, std::move(what)});
}

void Diagnostics::throw_if_any() const {
    if (problems_.empty()) {
        return;
    }
    // Keys are walked in the order the code handles them, not the file's: sort
    // so the report reads top to bottom (stable, so one spot keeps its order).
    std::vector<Problem> sorted = problems_;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Problem& a, const Problem& b) {
        return a.at.line != b.at.line ? a.at.line < b.at.line : a.at.column < b.at.column;
    });
    std::string message;
    for (const Problem& problem : sorted) {
        if (!message.empty()) {
            message += '\n';
        }
        message += source_ + ':' + std::to_string(problem.at.line) + ':' + std::to_string(problem.at.column) + ": " +
                   problem.what;
    }
    throw ConfigError(message);
}

}  // namespace kiln::config
