#include <iostream>
#include <memory>

#include "cli/build_select.h"
#include "cli/command.h"
#include "cli/runner_start.h"
#include "common/error.h"
#include "common/kiln_lines.h"
#include "queue/build_identity.h"
#include "queue/cancel.h"

namespace kiln::cli {

Handler define_cancel(CLI::App& command) {
    auto repo = std::make_shared<std::string>();
    auto which = std::make_shared<std::string>();
    command.add_option("REPO", *repo, "Repository name")->required();
    command.add_option("N", *which, "Build number, or 'last'")->required();
    command.footer("A queued build is cancelled at once. A running one is stopped by its runner within a second or\n"
                   "two (SIGTERM to make's process group, SIGKILL after a grace period) and recorded 'cancelled',\n"
                   "its cancelled_by naming the key that asked (KILN_PUSHED_BY, set by 'kiln shell').");
    return [repo, which](Context& context) {
        const queue::StateLayout layout(context.config().state_dir);
        const queue::BuildRecord record = select_build(layout, *repo, *which);
        const queue::CancelOutcome outcome = queue::cancel_build(layout, record.id.repo, record.id.number,
                                                                 queue::pushed_by_from_environment());
        switch (outcome.result) {
        case queue::CancelResult::cancelled:
            std::cout << kLinePrefix << "build " << record.id.label() << " cancelled (it had not started)\n";
            start_runner_unless_running(context.config());  // it sends the build's notifications
            return 0;
        case queue::CancelResult::requested:
            std::cout << kLinePrefix << "build " << record.id.label() << " is being cancelled (follow: "
                      << follow_command(record.id.repo, record.id.number) << ")\n";
            return 0;
        case queue::CancelResult::already_final:
            break;
        }
        throw UsageError(describe("cancelling build " + record.id.label(),
                                  "it already ended (" + queue::to_string(outcome.record.status) + ")"));
    };
}

}  // namespace kiln::cli
