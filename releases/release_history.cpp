#include "releases/release_history.h"

#include <algorithm>

namespace kiln::releases {

std::vector<LedgerEvent> releases_newest_first(const std::vector<LedgerEvent>& events) {
    std::vector<LedgerEvent> releases;
    for (const LedgerEvent& event : events) {
        if (event.kind == EventKind::release) {
            releases.push_back(event);
        }
    }
    std::stable_sort(releases.begin(), releases.end(),
                     [](const LedgerEvent& a, const LedgerEvent& b) { return a.number > b.number; });
    return releases;
}

std::map<std::string, LedgerEvent> running_by_host(const std::vector<LedgerEvent>& events) {
    std::map<std::string, LedgerEvent> running;
    for (const LedgerEvent& event : events) {
        if (event.kind != EventKind::deploy) {
            continue;
        }
        // A later report replaces an earlier one; one that leaves the host
        // running something else (failed, unhealthy) says nothing of what
        // runs, so the last running report stands.
        if (runs_reported_digest(event.status)) {
            running[event.host] = event;
        }
    }
    return running;
}

std::set<std::string> digests_to_keep(const std::vector<LedgerEvent>& events, int releases) {
    std::set<std::string> keep;
    int kept = 0;
    for (const LedgerEvent& release : releases_newest_first(events)) {
        if (kept >= releases) {
            break;
        }
        if (!release.digest.empty() && keep.insert(release.digest).second) {
            ++kept;
        }
    }
    for (const auto& [host, report] : running_by_host(events)) {
        keep.insert(report.digest);
    }
    return keep;
}

std::optional<LedgerEvent> release_numbered(const std::vector<LedgerEvent>& events, int number) {
    for (const LedgerEvent& event : events) {
        if (event.kind == EventKind::release && event.number == number) {
            return event;
        }
    }
    return std::nullopt;
}

std::string image_name_of(const std::string& image) {
    std::string rest = image.substr(0, image.find('@'));
    const std::size_t slash = rest.find('/');
    if (slash != std::string::npos) {
        rest = rest.substr(slash + 1);
    }
    const std::size_t colon = rest.rfind(':');
    return colon == std::string::npos ? rest : rest.substr(0, colon);
}

std::optional<std::string> repo_of_image(const queue::StateLayout& layout, const std::string& image_name) {
    const std::vector<std::string> repos = ledger_repos(layout);
    for (const std::string& repo : repos) {
        for (const LedgerEvent& event : read_ledger(layout, repo)) {
            if (event.kind == EventKind::release && image_name_of(event.image) == image_name) {
                return repo;
            }
        }
    }
    if (std::find(repos.begin(), repos.end(), image_name) != repos.end()) {
        return image_name;
    }
    return std::nullopt;
}

}  // namespace kiln::releases
