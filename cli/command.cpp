#include "cli/command.h"

namespace kiln::cli {

const config::Config& Context::config() {
    if (!config_) {
        config_ = config::load_config(config_path_);
    }
    return *config_;
}

Handler dispatch_subcommands(CLI::App& parent, std::vector<std::pair<CLI::App*, Handler>> children) {
    parent.require_subcommand(1);
    return [children = std::move(children)](Context& context) {
        for (const auto& [child, handler] : children) {
            if (child->parsed()) {
                return handler(context);
            }
        }
        return 1;
    };
}

}  // namespace kiln::cli
