#include "registry-gc/registry_gc.h"

#include <cstdio>
#include <thread>

#include <spdlog/spdlog.h>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/text.h"
#include "common/units.h"
#include "config/registry_file.h"
#include "queue/registry_lock.h"
#include "registry-client/reference.h"
#include "registry-gc/gc_step.h"
#include "registry-gc/read_only_config.h"
#include "registry-gc/storage_size.h"

namespace kiln::registry_gc {
namespace {

constexpr auto kRegistryStart = std::chrono::seconds(60);
constexpr const char* kDocs = "docs/registry-gc.md";

std::string url_port(const std::string& url) {
    const std::string host = registry::host_of_url(url);
    const std::string port = config::addr_port(host);
    if (!port.empty()) {
        return port;
    }
    return url.rfind("https://", 0) == 0 ? "443" : "80";
}

config::RegistryFile read_registry_file(const std::filesystem::path& path) {
    std::string text;
    try {
        text = read_file(path);
    } catch (const StateError& error) {
        throw ConfigError(describe("reading the registry's config (registry.gc.config)", error.what()));
    }
    return config::parse_registry_file(text, path);
}

// The restart command, then /v2/ until it answers (read-only or not, it does).
void restart_registry(const config::RegistryGcConfig& gc, const registry::ClientOptions& client,
                      const std::string& why) {
    const std::string doing = "restarting the registry " + why + " (registry.gc.restart: " + gc.restart + ")";
    spdlog::debug("gc step=restart why=\"{}\"", why);
    const StepResult result = run_step({"/bin/sh", "-c", gc.restart}, {}, false, doing);
    if (!result.ok) {
        throw ProcessError(describe(doing, result.how + (result.output.empty() ? "" : ": " + std::string(trim(result.output)))));
    }
    registry::ClientOptions probe = client;
    probe.retries = 0;
    probe.request_timeout = std::chrono::seconds(2);
    probe.deadline = std::chrono::steady_clock::time_point::max();
    const auto deadline = std::chrono::steady_clock::now() + kRegistryStart;
    for (;;) {
        try {
            registry::Client(probe).ping();
            return;
        } catch (const Error& error) {
            if (std::chrono::steady_clock::now() >= deadline) {
                throw RegistryError(describe(doing, "it did not answer within " + format_duration(kRegistryStart) +
                                                        ": " + error.what()));
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

// The line of garbage-collect's output that sums up what it found.
std::string summary_of(const std::string& output) {
    std::string summary;
    for (const std::string& line : split_lines(output)) {
        if (line.find("eligible for deletion") != std::string::npos && line.find("marked") != std::string::npos) {
            summary = std::string(trim(line));
        }
    }
    return summary;
}

StepResult garbage_collect(const config::Config& config, const GcOptions& options) {
    std::vector<std::string> argv{"docker-registry", "garbage-collect"};
    if (options.dry_run) {
        argv.emplace_back("--dry-run");
    }
    if (options.delete_untagged) {
        argv.emplace_back("--delete-untagged");
    }
    argv.push_back(config.registry.gc.config.string());
    const std::string doing = "running " + join(argv, " ");
    StepResult result = run_step(argv, options.stop_requested, true, doing);
    if (!result.ok) {
        // Its output is long and only of use when it failed.
        std::fputs(result.output.c_str(), stderr);
        throw ProcessError(describe(doing, result.how + " (its output is above)"));
    }
    return result;
}

void check_stop(const GcOptions& options) {
    if (options.stop_requested && options.stop_requested()) {
        throw Error("collecting garbage: stopped by a signal; the registry is put back as it was");
    }
}

}  // namespace

std::optional<std::string> unmanaged_reason(const config::RegistryConfig& registry) {
    const config::RegistryGcConfig& gc = registry.gc;
    if (gc.config.empty()) {
        return "kiln does not manage the registry " + registry.url +
               ": registry.gc.config is not set; set registry.gc.config (the registry's own config file) and "
               "registry.gc.restart (a command that restarts it) in kiln's config, see " + kDocs;
    }
    const config::RegistryFile file = read_registry_file(gc.config);
    const std::string port = config::addr_port(file.addr);
    if (port != url_port(registry.url)) {
        return "kiln does not manage the registry " + registry.url + ": registry.gc.config (" + gc.config.string() +
               ") is for a registry on port " + (port.empty() ? "(none)" : port) + " (http.addr " + file.addr +
               "); set registry.gc.config to the config of the registry registry.url names";
    }
    return std::nullopt;
}

GcResult collect_garbage(const config::Config& config, const registry::ClientOptions& client,
                         const GcOptions& options) {
    const std::string doing = "collecting garbage in " + config.registry.url;
    if (const std::optional<std::string> why = unmanaged_reason(config.registry)) {
        throw Error(describe(doing, *why));
    }
    const config::RegistryGcConfig& gc = config.registry.gc;
    const config::RegistryFile file = read_registry_file(gc.config);
    GcResult result;
    // garbage-collect fails ("Path not found") on a registry that never held
    // an image; there is nothing to free either.
    std::error_code ec;
    if (!std::filesystem::is_directory(file.storage / "docker/registry/v2/repositories", ec)) {
        result.summary = "no repositories yet";
        return result;
    }
    if (options.dry_run) {
        result.before = result.after = storage_bytes(file.storage);
        result.summary = summary_of(garbage_collect(config, options).output);
        return result;
    }

    const queue::StateLayout layout(config.state_dir);
    if (!std::filesystem::is_directory(layout.root(), ec)) {
        throw StateError(describe(doing, "state_dir '" + layout.root().string() +
                                             "' does not exist, so kiln cannot take its registry lock; is kiln "
                                             "installed with this config?"));
    }
    queue::RegistryLock::Wait wait;
    wait.deadline = std::chrono::steady_clock::now() + options.wait;
    wait.cancelled = options.stop_requested;
    wait.on_wait = [&] {
        if (options.progress) {
            options.progress("waiting up to " + format_duration(options.wait) +
                             " for running builds (and any other kiln image gc) to finish with the registry");
        }
    };
    const std::optional<queue::RegistryLock> lock =
        queue::RegistryLock::acquire(layout, queue::RegistryLock::Mode::exclusive, wait);
    check_stop(options);
    if (!lock) {
        throw Error(describe(doing, "builds still use the registry after waiting " + format_duration(options.wait) +
                                        "; nothing was changed. Try again later, or with a longer --wait"));
    }
    if (ReadOnlyConfig::restore_leftover(gc.config)) {
        spdlog::warn("gc problem=\"an earlier gc died with the registry read-only\" action=\"restored {}\"",
                     gc.config.string());
    }
    result.before = storage_bytes(file.storage);
    {
        ReadOnlyConfig read_only(gc.config, [&] { restart_registry(gc, client, "to make it writable again"); });
        restart_registry(gc, client, "to make it read-only");
        check_stop(options);
        garbage_collect(config, options);
        check_stop(options);
        read_only.restore();
    }
    result.after = storage_bytes(file.storage);
    return result;
}

std::string describe_freed(const GcResult& result) {
    const std::uint64_t freed = result.before > result.after ? result.before - result.after : 0;
    return "freed " + std::to_string(freed) + " bytes (" + format_size(result.before) + " → " +
           format_size(result.after) + ")";
}

}  // namespace kiln::registry_gc
