// `kiln deployed NAME DIGEST --host H --status S --exit N`: a deploy host's
// report (what `kiln watch --report` sends over SSH), recorded in the release
// ledger so that `kiln releases` shows what runs where and retention keeps it.

#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "common/error.h"
#include "common/image_names.h"
#include "common/kiln_lines.h"
#include "common/names.h"
#include "queue/build_identity.h"
#include "queue/build_record.h"
#include "releases/ledger.h"
#include "releases/release_history.h"

namespace kiln::cli {
Handler define_deployed(CLI::App& command) {
    struct Settings {
        std::string name;
        std::string digest;
        std::string host;
        std::string status;
        int exit_code = 0;
    };
    auto settings = std::make_shared<Settings>();
    command.add_option("NAME", settings->name, "The image's repository in the registry (app), or the kiln repo")
        ->required();
    command.add_option("DIGEST", settings->digest, "The digest deployed, sha256:<64 hex digits>")->required();
    command.add_option("--host", settings->host, "The deploy host reporting")->required();
    command.add_option("--status", settings->status,
                       "deployed (the deploy command exited 0 and the host is healthy), failed (it exited non-zero), "
                       "unhealthy (the health URL never answered 2xx), reverted (back on the digest that ran before)")
        ->required();
    command.add_option("--exit", settings->exit_code, "The deploy command's exit status")->required();
    command.footer("kiln watch --report sends this over SSH after each deploy; a key needs the write role. The "
                   "report is a line of the repo's release ledger (<state_dir>/releases/<repo>.jsonl), by the "
                   "reporting key (KILN_PUSHED_BY).");
    return [settings](Context& context) {
        const std::string doing = "recording the deploy of " + settings->name + " on " + settings->host;
        const std::optional<releases::DeployStatus> status = releases::parse_deploy_status(settings->status);
        if (!status) {
            throw UsageError(describe(doing, "--status must be deployed, failed, unhealthy or reverted, not '" +
                                                 settings->status + "'"));
        }
        if (!is_sha256_digest(settings->digest)) {
            throw UsageError(describe(doing, "'" + settings->digest + "' is not a digest (sha256:<64 hex digits>)"));
        }
        if (!is_host_name(settings->host)) {
            throw UsageError(describe(doing, "'" + settings->host + "' is not a host name"));
        }
        if (settings->exit_code < 0 || settings->exit_code > 255) {
            throw UsageError(describe(doing, "--exit must be 0 to 255"));
        }
        const config::Config& config = context.config();
        const queue::StateLayout layout(config.state_dir);
        std::optional<std::string> repo = releases::repo_of_image(layout, settings->name);
        if (!repo && !repo_name_problem(settings->name) &&
            std::filesystem::is_directory(bare_repo_path(config.git_root, canonical_repo_name(settings->name)))) {
            repo = canonical_repo_name(settings->name);
        }
        if (!repo) {
            throw UsageError(describe(doing, "no repository here releases images named '" + settings->name +
                                                 "' (see kiln repos and kiln releases REPO)"));
        }
        releases::LedgerEvent report;
        report.kind = releases::EventKind::deploy;
        report.at = queue::unix_now();
        report.by = queue::pushed_by_from_environment();
        report.host = settings->host;
        report.digest = settings->digest;
        report.status = *status;
        report.exit_code = settings->exit_code;
        releases::append_event(layout, *repo, report);
        std::cout << kLinePrefix << "recorded: " << settings->host << " " << settings->status << " " << *repo << " "
                  << settings->digest << " (exit " << settings->exit_code << ")\n";
        return 0;
    };
}

}  // namespace kiln::cli
