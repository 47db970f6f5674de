#pragma once

// Collects every problem found in one config file, so a user fixes them all in
// one round instead of one per run (mold's checkpoint), then fails once.

#include <string>
#include <vector>

namespace kiln::config {

/// A position in a config file, 1-based as editors show it.
struct Position {
    int line = 1;
    int column = 1;
};

class Diagnostics {
public:
    /// `source` names the file in every message: a path, or `app.git@1a2b3c4d:.kiln.yml`.
    explicit Diagnostics(std::string source) : source_(std::move(source)) {}

    /// Records `what` at `at`.
    void error(Position at, std::string what);

    bool empty() const { return problems_.empty(); }

    /// Throws ConfigError with one `SOURCE:LINE:COL: what` line per problem,
    /// in file order, when any was recorded.
    void throw_if_any() const;

    const std::string& source() const { return source_; }

private:
    struct Problem {
        Position at;
        std::string what;
    };

    std::string source_;
    std::vector<Problem> problems_;
};

}  // namespace kiln::config
