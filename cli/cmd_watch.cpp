// `kiln watch REF --exec CMD`, for deploy hosts: runs CMD each time the image
// REF names changes in the registry.

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <spdlog/spdlog.h>

#include "cli/command.h"
#include "common/error.h"
#include "common/names.h"
#include "common/units.h"
#include "registry-client/client.h"
#include "registry-client/reference.h"
#include "deploy/deploy_report.h"
#include "deploy/health_check.h"
#include "deploy/watch.h"
#include "process/spawn.h"
#include "runner/registry_options.h"

namespace kiln::cli {
namespace {

// CMD is a command line the user wrote for their own host, so it goes to
// /bin/sh -c (pipes, &&, variables work); kiln builds no shell strings itself.
int run_shell(const std::string& command, const std::string& image, const std::string& digest) {
    process::Command shell;
    shell.argv = {"/bin/sh", "-c", command};
    shell.env = process::Environment::current().set("KILN_IMAGE", image).set("KILN_DIGEST", digest);
    process::Child child = process::spawn(shell, process::OnDrop::wait, "running '" + command + "'");
    const process::ExitStatus status = child.wait();
    return status.exited() ? status.code() : 128 + status.signal();
}

// Each report is logged and bounded by send_report; a failed one is not
// retried, since the next deploy's report tells the build box what runs now.
registry::DeployReporter report_over_ssh(registry::ReportTarget target) {
    return [target](const registry::DeployEvent& event) {
        const std::optional<std::string> problem = registry::send_report(target, event);
        if (problem) {
            spdlog::warn("watch report=failed to={} digest={} status={} error=\"{}\"", target.destination, event.digest,
                         releases::to_string(event.status), *problem);
        } else {
            spdlog::info("watch report=sent to={} digest={} status={} exit={}", target.destination, event.digest,
                         releases::to_string(event.status), event.exit);
        }
    };
}

}  // namespace

Handler define_watch(CLI::App& command) {
    struct Settings {
        std::string ref;
        std::string exec;
        std::string interval = "10s";
        bool now = false;
        bool once = false;
        std::string listen;
        std::string token;
        std::string token_file;
        std::string health;
        std::string health_window = "30s";
        std::string report;
        std::string ssh_command = registry::ReportTarget{}.ssh_command;
        std::string host_name;
    };
    // ssh would read a DEST that starts with '-' as an option.
    auto report_target = [](const Settings& settings) {
        if (settings.report.front() == '-') {
            throw UsageError(describe("reading --report '" + settings.report + "'", "expected [USER@]HOST of the build box"));
        }
        registry::ReportTarget target;
        target.destination = settings.report;
        target.ssh_command = settings.ssh_command;
        target.host = settings.host_name.empty() ? registry::this_host_name() : settings.host_name;
        if (!is_host_name(target.host)) {
            throw UsageError(describe("reading --host-name '" + target.host + "'", registry::kHostNameRule));
        }
        return target;
    };
    auto settings = std::make_shared<Settings>();
    command.add_option("REF", settings->ref, "Image to watch, [HOST:PORT/]NAME[:TAG] (tag defaults to latest)")
        ->required();
    command.add_option("--exec", settings->exec,
                       "Command run by /bin/sh -c when the digest changes, with KILN_IMAGE (HOST/NAME@DIGEST) and "
                       "KILN_DIGEST set; one at a time")
        ->required();
    command.add_option("--interval", settings->interval, "Time between checks, e.g. 10s, 1m")->capture_default_str();
    command.add_flag("--now", settings->now, "Also run the command for the digest found at start");
    command.add_flag("--once", settings->once, "Check once (running the command if --now), then exit");
    command.add_option("--listen", settings->listen,
                       "HOST:PORT to accept POST /hook (any body up to 64 KiB, e.g. a build's notify JSON), which triggers a "
                       "check at once; each connection gets 10s in all");
    command.add_option("--token", settings->token,
                       "Token /hook requires, as 'Authorization: Bearer T' or '?token=T'; anything else gets 403. "
                       "Every local user sees it in ps: prefer --token-file");
    command.add_option("--token-file", settings->token_file,
                       "Read the --token from the first line of FILE (keep it chmod 600; a warning says when other users "
                       "can read it)")
        ->excludes("--token");
    command.add_option("--health", settings->health,
                       "After a deploy exits 0, GET this URL (about every 500ms, each GET at most 5s) until it answers "
                       "2xx; if none does within --health-window, run the command again with the digest that ran before "
                       "and skip the bad digest until the tag names another");
    command.add_option("--health-window", settings->health_window, "How long --health waits for a 2xx, e.g. 30s, 2m")
        ->capture_default_str();
    command.add_option("--report", settings->report,
                       "[USER@]HOST of the build box: after each deploy and revert, run 'ssh DEST kiln deployed NAME DIGEST "
                       "--host HOST --status deployed|failed|unhealthy|reverted --exit N' there (needs a key of role "
                       "write); a report gets 30s, and one that fails is logged, never retried");
    command.add_option("--ssh-command", settings->ssh_command,
                       "The ssh that --report runs, by /bin/sh, like git's core.sshCommand")
        ->capture_default_str();
    command.add_option("--host-name", settings->host_name,
                       "This host's name in --report (letters, digits, '.', '_', '-'); default: its canonical name, as "
                       "hostname -f prints it");
    command.footer("Logs go to stderr as key=value lines. A registry failure is logged and ridden out, checking less often "
                   "(up to every 60s) until it answers; each check gives up after 30s. "
                   "Exit codes: 0 after --once, 1 bad arguments, 2 --once could not check.");
    return [settings, report_target](Context& context) {
        std::optional<std::chrono::seconds> interval = parse_duration(settings->interval);
        if (!interval || interval->count() < 1) {
            throw UsageError(describe("reading --interval '" + settings->interval + "'",
                                      "expected a duration of at least 1s, e.g. 10s or 1m"));
        }
        const config::RegistryConfig& configured = context.config().registry;
        registry::Reference ref = registry::parse_reference(settings->ref, registry::host_of_url(configured.url));
        registry::Client client(runner::registry_options_for(configured, ref));
        registry::WatchOptions options;
        options.interval = *interval;
        options.now = settings->now;
        options.once = settings->once;
        options.listen = settings->listen;
        options.token = settings->token_file.empty() ? settings->token : registry::read_token_file(settings->token_file);
        if (!settings->health.empty()) {
            registry::validate_health_url(settings->health);
        }
        std::optional<std::chrono::seconds> window = parse_duration(settings->health_window);
        if (!window || window->count() < 1) {
            throw UsageError(describe("reading --health-window '" + settings->health_window + "'",
                                      "expected a duration of at least 1s, e.g. 30s or 2m"));
        }
        options.health_url = settings->health;
        options.health.window = *window;
        registry::DeployReporter reporter;
        if (!settings->report.empty()) {
            reporter = report_over_ssh(report_target(*settings));
        }
        if (spdlog::get_level() > spdlog::level::info) {
            spdlog::set_level(spdlog::level::info);   // watch reports what it did by default
        }
        std::string exec = settings->exec;
        registry::Watcher watcher(
            client, ref, options,
            [exec](const std::string& image, const std::string& digest) { return run_shell(exec, image, digest); },
            reporter);
        watcher.start_listener();
        watcher.run();
        return 0;
    };
}

}  // namespace kiln::cli
