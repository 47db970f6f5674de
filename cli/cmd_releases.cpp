// `kiln releases APP [--json]`: the release ledger of a repository — each
// release newest first, what each tag names now, what runs where — and its
// history of pushes, rollbacks and deploy reports.

#include <cstdio>
#include <iostream>
#include <map>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/json_output.h"
#include "common/error.h"
#include "common/names.h"
#include "common/text.h"
#include "queue/build_record.h"
#include "registry-client/client.h"
#include "registry-client/image_list.h"
#include "registry-client/image_prune.h"
#include "registry-client/reference.h"
#include "releases/ledger.h"
#include "releases/release_history.h"
#include "runner/registry_options.h"

namespace kiln::cli {
namespace {

using releases::EventKind;
using releases::LedgerEvent;

// The tags other than build tags (the sha each build is pushed under) by the
// digest they name now; nothing when the registry cannot say.
std::optional<std::map<std::string, std::vector<std::string>>> tags_now(const config::Config& config,
                                                                        const LedgerEvent& newest) {
    try {
        const registry::Reference ref =
            registry::parse_reference(newest.image, registry::host_of_url(config.registry.url));
        registry::Client client(runner::registry_options_for(config.registry, ref));
        std::map<std::string, std::vector<std::string>> tags;
        for (const auto& [tag, digest] : registry::tag_digests(client, ref.name)) {
            if (!registry::looks_like_build_tag(tag)) {
                tags[digest].push_back(tag);
            }
        }
        return tags;
    } catch (const Error& error) {
        std::cerr << "kiln: warning: not showing what the tags name now: " << error.what() << "\n";
        return std::nullopt;
    }
}

std::vector<std::string> hosts_running(const std::map<std::string, LedgerEvent>& running, const std::string& digest) {
    std::vector<std::string> hosts;
    for (const auto& [host, report] : running) {
        if (report.digest == digest) {
            hosts.push_back(host);
        }
    }
    return hosts;
}

std::string short_digest(const std::string& digest) { return digest.substr(0, 19); }

std::string describe_event(const LedgerEvent& event) {
    const std::string by = event.by.empty() ? "" : " by " + event.by;
    switch (event.kind) {
    case EventKind::release:
        return "release  #" + std::to_string(event.number) + " " + event.sha.substr(0, 12) + " " +
               short_digest(event.digest) + by;
    case EventKind::rollback:
        return "rollback #" + std::to_string(event.number) + " " + short_digest(event.digest) + " (from " +
               (event.from_number > 0 ? "#" + std::to_string(event.from_number) + " " : std::string()) +
               short_digest(event.from_digest) + ")" + by + ": " + join(event.tags);
    case EventKind::deploy:
        return "deploy   " + event.host + " " + releases::to_string(event.status) + " " + short_digest(event.digest) +
               (event.exit_code ? " exit " + std::to_string(*event.exit_code) : std::string()) + by;
    }
    return "";
}

}  // namespace

Handler define_releases(CLI::App& command) {
    auto repo = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    command.add_option("APP", *repo, "Repository name")->required();
    command.add_flag("--json", *json, "Print JSON: releases, deployments and every ledger event");
    command.footer("A release is a successful build that made an image. TAGS NOW asks the registry which tags\n"
                   "(other than build tags) name each release's image now; RUNS ON is what deploy hosts reported\n"
                   "last (kiln watch --report). HISTORY lists the ledger, newest first: releases, rollbacks\n"
                   "(kiln rollback) and deploy reports.");
    return [repo, json](Context& context) {
        const config::Config& config = context.config();
        const std::string name = canonical_repo_name(*repo);
        const std::vector<LedgerEvent> events = releases::read_ledger(queue::StateLayout(config.state_dir), name);
        const std::vector<LedgerEvent> newest_first = releases::releases_newest_first(events);
        const std::map<std::string, LedgerEvent> running = releases::running_by_host(events);
        std::optional<std::map<std::string, std::vector<std::string>>> tags;
        if (!newest_first.empty()) {
            tags = tags_now(config, newest_first.front());
        }
        auto tags_of = [&tags](const std::string& digest) {
            const auto found = tags->find(digest);
            return found == tags->end() ? std::vector<std::string>{} : found->second;
        };
        if (*json) {
            nlohmann::json list = nlohmann::json::array();
            for (const LedgerEvent& release : newest_first) {
                nlohmann::json entry = releases::to_json(release);
                entry.erase("kind");
                entry["pushed_by"] = entry["by"];
                entry.erase("by");
                entry["tags_now"] = tags ? nlohmann::json(tags_of(release.digest)) : nlohmann::json(nullptr);
                entry["running_on"] = hosts_running(running, release.digest);
                list.push_back(std::move(entry));
            }
            nlohmann::json deployments = nlohmann::json::array();
            for (const auto& [host, report] : running) {
                deployments.push_back(releases::to_json(report));
            }
            nlohmann::json history = nlohmann::json::array();
            for (const LedgerEvent& event : events) {
                history.push_back(releases::to_json(event));
            }
            print_json({{"repo", name}, {"releases", list}, {"running", deployments}, {"events", history}});
            return 0;
        }
        if (newest_first.empty()) {
            std::cerr << "no releases of " << name << " yet (a release is a successful build that made an image)\n";
            return 0;
        }
        std::printf("%-8s %-12s %-19s %-16s %-12s %-20s %s\n", "RELEASE", "SHA", "DIGEST", "TAGS NOW", "BY",
                    "RELEASED", "RUNS ON");
        for (const LedgerEvent& release : newest_first) {
            const std::string now = tags ? join(tags_of(release.digest), ",") : "?";
            std::printf("%-8s %-12s %-19s %-16s %-12s %-20s %s\n", ("#" + std::to_string(release.number)).c_str(),
                        release.sha.substr(0, 12).c_str(), short_digest(release.digest).c_str(),
                        now.empty() ? "-" : now.c_str(), release.by.empty() ? "-" : release.by.c_str(),
                        queue::format_iso8601(release.at).c_str(),
                        join(hosts_running(running, release.digest), ",").c_str());
        }
        std::printf("\nHISTORY\n");
        for (auto event = events.rbegin(); event != events.rend(); ++event) {
            std::printf("%s  %s\n", queue::format_iso8601(event->at).c_str(), describe_event(*event).c_str());
        }
        return 0;
    };
}

}  // namespace kiln::cli
