#include <iostream>
#include <memory>

#include "cli/command.h"
#include "common/names.h"
#include "common/posix.h"
#include "repos/repositories.h"

namespace kiln::cli {
namespace {

// kiln init says so when the hook it installs runs kiln itself: no kiln-hook
// sits next to this kiln.
void note_slow_hook(const repos::HookTarget& hook, const std::filesystem::path& kiln) {
    if (hook.executable == kiln) {
        std::cerr << "kiln: note: no kiln-hook next to " << kiln.string() << "; the hook runs kiln itself, which adds "
                  << "tens of milliseconds to every push\n";
    }
}

}  // namespace

Handler define_init(CLI::App& command) {
    auto name = std::make_shared<std::string>();
    command.add_option("NAME", *name, "Repository name: 'app' or 'team/app' ('.git' optional)")->required();
    command.footer("Creates NAME.git under git_root with a post-receive hook that runs kiln-hook (next to this kiln)\n"
                   "with the config in effect now. On an existing repository, rewrites the hook only.");
    return [name](Context& context) {
        const std::string canonical = canonical_repo_name(*name);
        const config::Config& config = context.config();
        const std::filesystem::path kiln = current_executable();
        const repos::HookTarget hook = repos::hook_target(kiln, config.source);
        note_slow_hook(hook, kiln);
        const repos::InitResult result = repos::init_repository(config.git_root, canonical, hook);
        if (result.created) {
            std::cout << "created " << result.path.string() << '\n';
        } else {
            std::cout << "refreshed the hook of existing " << result.path.string() << '\n';
        }
        return 0;
    };
}

}  // namespace kiln::cli
