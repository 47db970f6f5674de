#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/json_output.h"
#include "common/units.h"
#include "repos/repositories.h"

namespace kiln::cli {
namespace {

nlohmann::json to_json(const repos::RepositorySummary& repo) {
    nlohmann::json entry{{"name", repo.name}, {"path", repo.path.string()}, {"size_bytes", repo.size_bytes}};
    entry["newest_commit"] = nullptr;
    if (repo.newest_sha) {
        entry["newest_commit"] = {{"sha", *repo.newest_sha},
                                  {"branch", *repo.newest_branch},
                                  {"subject", *repo.newest_subject},
                                  {"time", *repo.newest_time}};
    }
    return entry;
}

}  // namespace

Handler define_repos(CLI::App& command) {
    auto json = std::make_shared<bool>(false);
    command.add_flag("--json", *json, "Print JSON");
    return [json](Context& context) {
        const std::vector<repos::RepositorySummary> repos = repos::list_repositories(context.config().git_root);
        if (*json) {
            nlohmann::json list = nlohmann::json::array();
            for (const repos::RepositorySummary& repo : repos) {
                list.push_back(to_json(repo));
            }
            print_json(list);
            return 0;
        }
        if (repos.empty()) {
            std::cerr << "no repositories under " << context.config().git_root.string()
                      << " (create one with 'kiln init NAME')\n";
            return 0;
        }
        std::printf("%-24s %8s  %-10s %-8s %s\n", "REPO", "SIZE", "BRANCH", "COMMIT", "SUBJECT");
        for (const repos::RepositorySummary& repo : repos) {
            std::printf("%-24s %8s  %-10s %-8s %s\n", repo.name.c_str(), format_size(repo.size_bytes).c_str(),
                        repo.newest_branch.value_or("-").c_str(),
                        repo.newest_sha ? repo.newest_sha->substr(0, 8).c_str() : "-",
                        repo.newest_subject.value_or("(empty)").c_str());
        }
        return 0;
    };
}

}  // namespace kiln::cli
