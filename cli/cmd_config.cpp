#include <algorithm>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/json_output.h"
#include "common/error.h"
#include "config/config_search.h"
#include "config/effective_yaml.h"
#include "config/repo_config_source.h"

namespace kiln::cli {
namespace {

struct CheckOptions {
    std::string file;
    bool print = false;
    bool json = false;
    bool repo = false;
};

nlohmann::json to_json(const config::RepoConfig& repo, std::chrono::seconds runner_timeout) {
    nlohmann::json result{
        {"branches", repo.branches},
        {"targets", repo.targets},
        {"timeout", repo.timeout.value_or(runner_timeout).count()},
        {"workspace", repo.workspace == config::Workspace::reuse ? "reuse" : "fresh"},
        {"env", repo.env},
        {"image", repo.no_image ? nlohmann::json(false) : nlohmann::json(nullptr)},
        {"notify", nlohmann::json::array()},
    };
    if (repo.image) {
        result["image"] = {{"name", repo.image->name},
                           {"archive", repo.image->archive},
                           {"tags", repo.image->tags},
                           {"keep", repo.image->keep}};
    }
    for (const config::NotifyConfig& notify : repo.notify) {
        if (notify.url_secret.empty()) {
            result["notify"].push_back({{"url", notify.url}});
        } else {
            result["notify"].push_back({{"url_secret", notify.url_secret}});
        }
    }
    return result;
}

nlohmann::json to_json(const config::Config& global) {
    return {
        {"source", global.source.empty() ? nlohmann::json(nullptr) : nlohmann::json(global.source.string())},
        {"git_root", global.git_root.string()},
        {"state_dir", global.state_dir.string()},
        {"secrets_dir", global.secrets_dir.string()},
        {"registry",
         {{"url", global.registry.url},
          {"username", global.registry.username},
          {"password", global.registry.password.empty() ? "" : "***"}}},
        {"runner",
         {{"jobs", global.runner.jobs},
          {"timeout", global.runner.timeout.count()},
          {"log_max", global.runner.log_max},
          {"keep_builds", global.runner.keep_builds},
          {"path", global.runner.path}}},
        {"defaults", to_json(global.defaults, global.runner.timeout)},
    };
}

// `.kiln.yml`, and copies named like `kiln.yml` or `app.kiln.yml`; global
// configs are `config.yaml` or `kiln.yaml`.
bool is_repo_file(const CheckOptions& options) {
    const std::string name = std::filesystem::path(options.file).filename().string();
    return options.repo || name == "kiln.yml" || name.ends_with(".kiln.yml");
}

// Prints the result of a successful check: `NAME: ok`, or the effective config
// (then `NAME: ok` goes to stderr, so stdout stays valid YAML or JSON).
int report_ok(const CheckOptions& options, const std::string& name, const std::string& yaml,
              const nlohmann::json& json) {
    if (options.json) {
        std::cerr << name << ": ok\n";
        print_json(json);
    } else if (options.print) {
        std::cerr << name << ": ok\n";
        std::cout << yaml;
    } else {
        std::cout << name << ": ok\n";
    }
    return kExitOk;
}

int check(Context& context, const CheckOptions& options) {
    if (options.file.empty() && options.repo) {
        throw UsageError("checking a .kiln.yml: name the file (kiln config check --repo FILE)");
    }
    try {
        if (is_repo_file(options)) {
            // The global defaults are the base a .kiln.yml lands on, so check it on them.
            const config::Config& global = context.config();
            const config::RepoConfig repo = config::load_repo_config_file(options.file, global.defaults);
            return report_ok(options, options.file, config::to_yaml(repo, global.runner.timeout),
                             to_json(repo, global.runner.timeout));
        }
        config::Config global;
        std::string name = "built-in defaults (no config file found)";
        if (!options.file.empty()) {
            global = config::load_config_file(options.file);
            name = options.file;
        } else if (const auto location = config::find_config_file(context.config_path())) {
            global = config::load_config(context.config_path());
            name = location->path.string();
        }
        return report_ok(options, name, config::to_yaml(global), to_json(global));
    } catch (const ConfigError& error) {
        const std::string lines = error.what();
        std::cerr << lines << '\n';
        const auto count = std::count(lines.begin(), lines.end(), '\n') + 1;
        if (count > 1) {
            std::cerr << count << " errors\n";
        }
        return kExitUsage;
    }
}

}  // namespace

Handler define_config(CLI::App& command) {
    CLI::App* check_command =
        command.add_subcommand("check", "Validate a global config or a .kiln.yml; print the effective config");
    auto options = std::make_shared<CheckOptions>();
    check_command->add_option("FILE", options->file,
                              "File to check (default: the config in effect); a file named .kiln.yml (or kiln.yml, "
                              "NAME.kiln.yml) is checked as a repo config");
    check_command->add_flag("--print", options->print, "Print the effective config (defaults filled in) as YAML");
    check_command->add_flag("--json", options->json, "Print the effective config as JSON");
    check_command->add_flag("--repo", options->repo, "Check FILE as a .kiln.yml, whatever its name");
    check_command->footer("Prints 'FILE: ok' and exits 0, or prints every problem as FILE:LINE:COL: what is wrong\n"
                          "and exits 1. A .kiln.yml is checked on top of the global config's defaults.");
    return dispatch_subcommands(command, {{check_command, [options](Context& context) {
                                               return check(context, *options);
                                           }}});
}

}  // namespace kiln::cli
