// `kiln rollback APP [BUILD|SHA]`: an earlier release back under latest and
// the branch tag, at once, without a rebuild (runner/rollback.h).

#include <iostream>
#include <memory>

#include "cli/command.h"
#include "common/kiln_lines.h"
#include "common/names.h"
#include "common/text.h"
#include "queue/build_identity.h"
#include "runner/rollback.h"

namespace kiln::cli {

Handler define_rollback(CLI::App& command) {
    auto repo = std::make_shared<std::string>();
    auto which = std::make_shared<std::string>();
    command.add_option("APP", *repo, "Repository name")->required();
    command.add_option("RELEASE", *which,
                       "Build number (42 or #42) or a unique commit prefix of at least 7 hex digits; default: the "
                       "release before the current one");
    command.footer("The current release is the one whose image 'latest' names now. Rolling back moves the tags the\n"
                   "chosen release got (latest, its branch's) to its digest by manifest copy, records who did it in\n"
                   "the release ledger (kiln releases APP) and POSTs the repo's notify: URLs at once, so a deploy\n"
                   "host's kiln watch --listen deploys it within a second. The next push moves the tags forward\n"
                   "again. Exit codes: 0 rolled back (or already there), 1 nothing to roll back to or bad\n"
                   "arguments, 2 registry or state error.");
    return [repo, which](Context& context) {
        const std::string name = canonical_repo_name(*repo);
        const runner::RollbackResult result =
            runner::roll_back(context.config(), name, *which, queue::pushed_by_from_environment());
        const std::string to = name + "#" + std::to_string(result.to.number) + " (" + result.to.sha.substr(0, 12) +
                               ") " + result.to.digest;
        if (result.unchanged) {
            std::cout << kLinePrefix << name << " is at " << to << " already; nothing moved\n";
            return 0;
        }
        std::cout << kLinePrefix << "rolled back " << name << " to " << to << "\n";
        std::cout << kLinePrefix << "moved " << join(result.tags) << " from "
                  << (result.from_number > 0 ? "#" + std::to_string(result.from_number) + " " : std::string())
                  << (result.from_digest.empty() ? "nothing" : result.from_digest) << "\n";
        for (const queue::NotifyDelivery& delivery : result.notified) {
            if (delivery.error.empty()) {
                std::cout << kLinePrefix << "notified " << delivery.url << "\n";
            } else {
                std::cout << kLinePrefix << "notify " << delivery.url << " failed: " << delivery.error << "\n";
            }
        }
        return 0;
    };
}

}  // namespace kiln::cli
