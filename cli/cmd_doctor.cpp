#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/json_output.h"
#include "common/error.h"
#include "common/posix.h"
#include "config/config_search.h"
#include "doctor/doctor.h"
#include "doctor/kiln_user.h"
#include "process/executable_search.h"

namespace kiln::cli {
namespace {

namespace fs = std::filesystem;

// `kiln` when that name finds this kiln on $PATH, else its full path.
std::string kiln_name(const fs::path& kiln) {
    const char* path = std::getenv("PATH");
    const std::optional<std::string> found = process::search_path("kiln", path != nullptr ? path : "");
    std::error_code error;
    return found && fs::equivalent(*found, kiln, error) && !error ? "kiln" : kiln.string();
}

// How a fix runs kiln as `user`: with --config unless a plain `kiln` run as
// that user finds the same file.
std::string kiln_command(const fs::path& kiln, const config::Config& config, const doctor::User& user,
                         bool started_as_root) {
    std::string command = (started_as_root && user.uid != 0 ? "sudo -u " + user.name + " " : "") + kiln_name(kiln);
    const std::optional<config::ConfigLocation> found = config::find_config_file(std::nullopt);
    const bool found_by_search = found && found->named_by.empty() && found->path == config.source;
    if (!config.source.empty() && !found_by_search) {
        command += " --config " + config.source.string();
    }
    return command;
}

std::vector<doctor::Check> run(Context& context) {
    const std::optional<config::ConfigLocation> location = config::find_config_file(context.config_path());
    const std::string file = (location ? location->path : config::kSystemConfigFile).string();
    config::Config config;
    try {
        config = context.config();
    } catch (const ConfigError& error) {
        return doctor::config_failures(error.what(), file, kiln_name(current_executable()));
    }
    const bool started_as_root = ::geteuid() == 0;
    doctor::Setup setup;
    setup.user = doctor::become_kiln_user(config.git_root);
    setup.kiln = current_executable();
    setup.kiln_command = kiln_command(setup.kiln, config, setup.user, started_as_root);
    setup.sudo = started_as_root ? "" : "sudo ";
    setup.config = std::move(config);
    return doctor::run_checks(setup);
}

}  // namespace

Handler define_doctor(CLI::App& command) {
    auto json = std::make_shared<bool>(false);
    command.add_flag("--json", *json, R"(Print {"ok": bool, "checks": [{"name", "ok", "detail", "fix"}]})");
    command.footer("Checks the config, git_root, state_dir and secrets_dir, each repository's hook and .kiln.yml, the\n"
                   "runner, the registry (answering, deleting), git, make and the image tools the repositories use,\n"
                   "and free disk. One line per check: 'ok   NAME: detail' or 'FAIL NAME: problem; fix: what to run'.\n"
                   "Run by root, it checks as the owner of git_root. Exits 0 when every check passes, else 1.");
    return [json](Context& context) {
        const std::vector<doctor::Check> checks = run(context);
        if (*json) {
            print_json(doctor::to_json(checks));
        } else {
            std::cout << doctor::format_text(checks);
        }
        return doctor::all_ok(checks) ? kExitOk : kExitUsage;
    };
}

}  // namespace kiln::cli
