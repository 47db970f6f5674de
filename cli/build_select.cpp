#include "cli/build_select.h"

#include <charconv>

#include "common/error.h"
#include "common/names.h"

namespace kiln::cli {

queue::BuildRecord select_build(const queue::StateLayout& layout, const std::string& repo, const std::string& which) {
    const std::string name = canonical_repo_name(repo);
    const std::string see = "list them with 'kiln builds " + name + "'";
    int number = 0;
    if (which == "last") {
        const std::vector<int> numbers = queue::build_numbers(layout, name);
        if (numbers.empty()) {
            throw UsageError(describe("finding the last build of " + name, "it has no builds yet"));
        }
        number = numbers.back();
    } else {
        const auto [end, ec] = std::from_chars(which.data(), which.data() + which.size(), number);
        if (ec != std::errc() || end != which.data() + which.size() || number <= 0) {
            throw UsageError(describe("finding build '" + which + "' of " + name,
                                      "expected a build number or 'last'"));
        }
    }
    std::optional<queue::BuildRecord> record = queue::find_record(layout, name, number);
    if (!record) {
        throw UsageError(describe("finding build " + name + "#" + std::to_string(number), "no such build; " + see));
    }
    return *record;
}

}  // namespace kiln::cli
