// `kiln watch REF --exec CMD`, for deploy hosts: runs CMD each time the image
// REF names changes in the registry.

#include <chrono>
#include <memory>
#include <string>

#include <spdlog/spdlog.h>

#include "cli/command.h"
#include "common/error.h"
#include "common/units.h"
#include "registry-client/client.h"
#include "registry-client/reference.h"
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
    command.footer("Logs go to stderr as key=value lines. A registry failure is logged and ridden out, checking less often "
                   "(up to every 60s) until it answers; each check gives up after 30s. "
                   "Exit codes: 0 after --once, 1 bad arguments, 2 --once could not check.");
    return [settings](Context& context) {
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
        if (spdlog::get_level() > spdlog::level::info) {
            spdlog::set_level(spdlog::level::info);   // watch reports what it did by default
        }
        std::string exec = settings->exec;
        registry::Watcher watcher(client, ref, options, [exec](const std::string& image, const std::string& digest) {
            return run_shell(exec, image, digest);
        });
        watcher.start_listener();
        watcher.run();
        return 0;
    };
}

}  // namespace kiln::cli
