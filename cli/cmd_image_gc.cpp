// `kiln image gc`: frees the disk that deleted images leave in a registry
// kiln manages (registry-gc/registry_gc.h).

#include <array>
#include <atomic>
#include <csignal>
#include <iostream>
#include <memory>
#include <string>

#include "cli/command.h"
#include "common/error.h"
#include "common/units.h"
#include "registry-gc/registry_gc.h"
#include "runner/registry_options.h"

namespace kiln::cli {
namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_gc_signal(int) { g_stop = true; }

// While a gc has the registry read-only, a Ctrl-C, SIGTERM or a closed
// terminal must not end kiln before it puts the registry back: the signals
// only ask it to stop, and it stops after the step it is in.
class StopSignals {
public:
    StopSignals() {
        struct sigaction action {};
        action.sa_handler = on_gc_signal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        for (std::size_t i = 0; i < kSignals.size(); ++i) {
            ::sigaction(kSignals[i], &action, &old_[i]);
        }
    }
    ~StopSignals() {
        for (std::size_t i = 0; i < kSignals.size(); ++i) {
            ::sigaction(kSignals[i], &old_[i], nullptr);
        }
    }
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

private:
    static constexpr std::array<int, 3> kSignals{SIGINT, SIGTERM, SIGHUP};
    std::array<struct sigaction, 3> old_{};
};

}  // namespace

Handler define_image_gc(CLI::App& command) {
    auto delete_untagged = std::make_shared<bool>(false);
    auto dry_run = std::make_shared<bool>(false);
    auto wait = std::make_shared<std::string>("10m");
    command.add_flag("--delete-untagged", *delete_untagged,
                     "Also delete manifests no tag names (on distribution 2.8 this breaks multi-arch images)");
    command.add_flag("--dry-run", *dry_run, "Ask garbage-collect what it would delete; change nothing");
    command.add_option("--wait", *wait, "How long to wait for running builds to finish their pushes (default 10m)");
    command.footer("Only for a registry kiln manages (registry.gc.config and registry.gc.restart in kiln's config). "
                   "Takes the registry lock (builds that start meanwhile wait), switches the registry read-only "
                   "and restarts it, runs docker-registry garbage-collect, switches it back, restarts it again, "
                   "and prints the bytes freed. Needs rights over the registry's config, storage and process: "
                   "sudo kiln image gc on an installed box.");
    return [=](Context& context) {
        const std::optional<std::chrono::seconds> wait_for = parse_duration(*wait);
        if (!wait_for) {
            throw UsageError(describe("reading --wait '" + *wait + "'", "expected a duration like 10m or 90s"));
        }
        const config::Config& config = context.config();
        registry_gc::GcOptions options;
        options.delete_untagged = *delete_untagged || config.registry.gc.delete_untagged;
        options.dry_run = *dry_run;
        options.wait = *wait_for;
        options.stop_requested = [] { return g_stop.load(); };
        options.progress = [](const std::string& line) { std::cerr << "kiln: " << line << "\n"; };
        const StopSignals signals;
        const registry_gc::GcResult result =
            registry_gc::collect_garbage(config, runner::registry_options(config.registry), options);
        if (*dry_run) {
            std::cout << "dry run: " << (result.summary.empty() ? "garbage-collect found nothing to report"
                                                                : result.summary)
                      << " (storage " << format_size(result.before) << ")\n";
            return 0;
        }
        std::cout << registry_gc::describe_freed(result) << "\n";
        return 0;
    };
}

}  // namespace kiln::cli
