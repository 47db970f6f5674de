#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/runner_start.h"
#include "common/error.h"
#include "common/kiln_lines.h"
#include "common/names.h"
#include "queue/build_identity.h"
#include "queue/enqueue.h"
#include "runner/rebuild.h"

namespace kiln::cli {

Handler define_rebuild(CLI::App& command) {
    auto repo = std::make_shared<std::string>();
    auto what = std::make_shared<std::string>();
    command.add_option("REPO", *repo, "Repository name")->required();
    command.add_option("WHAT", *what,
                       "A branch (builds its tip) or a commit; default: the branch of the last build, else the repo's default branch");
    command.footer("Queues a new build and starts a runner when none runs; follow it with 'kiln logs REPO N -f'.\n"
                   "It is recorded as pushed by the key that ran it (KILN_PUSHED_BY, set by 'kiln shell').");
    return [repo, what](Context& context) {
        const config::Config& config = context.config();
        const std::string name = canonical_repo_name(*repo);
        const std::filesystem::path repo_path = bare_repo_path(config.git_root, name);
        if (!std::filesystem::is_directory(repo_path)) {
            throw UsageError(describe("rebuilding " + name, "no repository '" + repo_path.string() +
                                                                "' (create it with 'kiln init " + name + "')"));
        }
        const queue::StateLayout layout(config.state_dir);
        queue::BuildIdentity target = runner::resolve_rebuild_target(layout, name, repo_path, *what);
        target.pushed_by = queue::pushed_by_from_environment();  // the key that asked for it
        const queue::BuildRecord record = queue::enqueue_build(layout, target, repo_path);
        std::cout << queued_line(record.id.label(), follow_command(name, record.id.number)) << std::endl;
        start_runner_unless_running(config);
        return 0;
    };
}

}  // namespace kiln::cli
