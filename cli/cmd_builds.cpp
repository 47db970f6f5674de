#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>

#include <spdlog/spdlog.h>

#include "cli/command.h"
#include "cli/json_output.h"
#include "common/error.h"
#include "common/names.h"
#include "common/units.h"
#include "queue/build_liveness.h"
#include "queue/build_record.h"

namespace kiln::cli {
namespace {

std::string duration_text(const queue::BuildRecord& record, std::int64_t now) {
    const std::optional<std::int64_t> seconds = record.duration_seconds(now);
    return seconds ? format_duration(std::chrono::seconds(*seconds)) : "-";
}

std::string age_text(const queue::BuildRecord& record, std::int64_t now) {
    if (!record.queued_at) {
        return "-";
    }
    return format_duration(std::chrono::seconds(std::max<std::int64_t>(0, now - *record.queued_at)));
}

// The newest `limit` builds of each repo: numbers grow with time within a
// repo, so no more than that can make the overall newest `limit`.
std::vector<queue::BuildRecord> newest_builds(const queue::StateLayout& layout,
                                               const std::vector<std::string>& repos, int limit) {
    std::vector<queue::BuildRecord> records;
    for (const std::string& repo : repos) {
        const std::vector<int> numbers = queue::build_numbers(layout, repo);
        int taken = 0;
        for (auto it = numbers.rbegin(); it != numbers.rend() && taken < limit; ++it) {
            try {
                if (std::optional<queue::BuildRecord> record = queue::find_record(layout, repo, *it)) {
                    records.push_back(queue::displayed_record(layout, std::move(*record)));
                    ++taken;
                }
            } catch (const StateError& error) {
                // One damaged record must not hide every other build.
                spdlog::warn("{}", error.what());
            }
        }
    }
    std::sort(records.begin(), records.end(), [](const queue::BuildRecord& a, const queue::BuildRecord& b) {
        const std::int64_t a_time = a.queued_at.value_or(0);
        const std::int64_t b_time = b.queued_at.value_or(0);
        return a_time != b_time       ? a_time > b_time
               : a.id.repo != b.id.repo ? a.id.repo < b.id.repo
                                        : a.id.number > b.id.number;
    });
    if (records.size() > static_cast<std::size_t>(limit)) {
        records.resize(static_cast<std::size_t>(limit));
    }
    return records;
}

}  // namespace

Handler define_builds(CLI::App& command) {
    auto repo = std::make_shared<std::string>();
    auto limit = std::make_shared<int>(20);
    auto json = std::make_shared<bool>(false);
    command.add_option("REPO", *repo, "Only this repository's builds");
    command.add_option("-n,--limit", *limit, "How many builds to list (default 20)")->check(CLI::PositiveNumber);
    command.add_flag("--json", *json, "Print JSON: an array of build records, as build.json holds them");
    command.footer("Newest first. STATUS is one of queued, running, success, failed, timeout, cancelled, skipped,\n"
                   "superseded, interrupted. A build recorded running that no live runner runs shows interrupted.\n"
                   "BY is the name of the key that pushed (or rebuilt) it; '-' when unknown (a plain login).");
    return [repo, limit, json](Context& context) {
        const queue::StateLayout layout(context.config().state_dir);
        const std::vector<std::string> repos =
            repo->empty() ? queue::build_repos(layout) : std::vector<std::string>{canonical_repo_name(*repo)};
        const std::vector<queue::BuildRecord> records = newest_builds(layout, repos, *limit);
        if (*json) {
            nlohmann::json list = nlohmann::json::array();
            for (const queue::BuildRecord& record : records) {
                list.push_back(queue::to_json(record));
            }
            print_json(list);
            return 0;
        }
        if (records.empty()) {
            std::cerr << (repo->empty() ? std::string("no builds yet") : "no builds of " + repos.front() + " yet")
                      << " (push to a repository, or run 'kiln rebuild REPO')\n";
            return 0;
        }
        const std::int64_t now = queue::unix_now();
        // BY is last: a key name may be long, and the columns before it keep their places.
        std::printf("%-20s %5s  %-16s %-8s  %-11s %8s %8s  %s\n", "REPO", "#", "BRANCH", "SHA", "STATUS", "DURATION",
                    "AGE", "BY");
        for (const queue::BuildRecord& record : records) {
            const std::string branch = record.id.branch();
            const std::string& by = record.id.pushed_by;
            std::printf("%-20s %5d  %-16s %-8s  %-11s %8s %8s  %s\n", record.id.repo.c_str(), record.id.number,
                        branch.empty() ? "-" : branch.c_str(), record.id.sha.substr(0, 8).c_str(),
                        queue::to_string(record.status).c_str(), duration_text(record, now).c_str(),
                        age_text(record, now).c_str(), by.empty() ? "-" : by.c_str());
        }
        return 0;
    };
}

}  // namespace kiln::cli
