#include "runner/retention.h"

#include <system_error>

#include <spdlog/spdlog.h>

#include "common/error.h"
#include "queue/build_record.h"

namespace kiln::runner {

std::vector<int> prune_builds(const queue::StateLayout& layout, const std::string& repo, int keep) {
    const std::vector<int> numbers = build_numbers(layout, repo);
    std::vector<int> removed;
    if (keep < 1 || numbers.size() <= static_cast<std::size_t>(keep)) {
        return removed;
    }
    const std::size_t excess = numbers.size() - static_cast<std::size_t>(keep);
    for (std::size_t i = 0; i < excess; ++i) {
        const int number = numbers[i];
        std::optional<queue::BuildRecord> record;
        try {
            record = find_record(layout, repo, number);
        } catch (const StateError&) {
            // A torn or foreign build.json in an old build: nothing to protect.
        }
        if (record && !is_final(record->status)) {
            continue;
        }
        std::error_code ec;
        std::filesystem::remove_all(layout.build_dir(repo, number), ec);
        if (ec) {
            throw StateError(describe("removing '" + layout.build_dir(repo, number).string() + "'", ec.message()));
        }
        removed.push_back(number);
    }
    return removed;
}

}  // namespace kiln::runner
