#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiln::process {

/// The whole environment of a child, as `NAME=VALUE` entries in order. A child
/// gets exactly these: nothing is inherited that is not in here.
class Environment {
public:
    /// An empty environment.
    Environment() = default;

    /// This process's environment (`environ`), in its order.
    static Environment current();

    /// Sets NAME to VALUE, as the last entry (any earlier NAME is removed).
    Environment& set(std::string_view name, std::string_view value);
    /// Removes NAME; nothing when it is not there.
    Environment& unset(std::string_view name);
    /// Removes every variable whose name starts with `prefix` (`GIT_`).
    Environment& unset_prefix(std::string_view prefix);

    /// NAME's value; nothing when it is not set.
    std::optional<std::string> get(std::string_view name) const;
    /// The `NAME=VALUE` entries, in order.
    const std::vector<std::string>& entries() const { return entries_; }

private:
    std::vector<std::string> entries_;
};

}  // namespace kiln::process
