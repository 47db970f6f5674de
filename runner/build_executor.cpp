#include "runner/build_executor.h"

#include <cstdio>
#include <initializer_list>
#include <system_error>
#include <variant>
#include <vector>

#include "common/build_variables.h"
#include "common/error.h"
#include "common/makefile_names.h"
#include "common/units.h"
#include "runner/build_env.h"
#include "queue/build_log.h"
#include "runner/process.h"
#include "runner/sandbox.h"
#include "runner/secrets.h"
#include "runner/worktree.h"

namespace kiln::runner {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

/// Output of `make -q` kept to look for "No rule to make target".
constexpr std::size_t kProbeOutputMax = 64 * 1024;

std::string seconds_text(Clock::duration elapsed) {
    const double seconds = std::chrono::duration<double>(elapsed).count();
    if (seconds >= 60) {
        return format_duration(std::chrono::duration_cast<std::chrono::seconds>(elapsed));
    }
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1fs", seconds);
    return buffer;
}

bool has_makefile(const fs::path& dir) {
    std::error_code error;
    for (const char* name : kMakefileNames) {
        if (fs::is_regular_file(dir / name, error)) {
            return true;
        }
    }
    return false;
}

/// What the build is running with, shared by its steps.
struct Context {
    const BuildPlan& plan;
    queue::BuildLog& log;
    const std::function<bool()>& cancel_requested;
    Clock::time_point deadline;
    std::chrono::seconds timeout;
    fs::path dir;
    Environment env;
    std::vector<std::string> sandbox;  ///< ProcessSpec::wrapper of every step; empty: none
};

RunOptions run_options(const Context& context) {
    RunOptions options;
    options.deadline = context.deadline;
    options.cancel_requested = context.cancel_requested;
    options.grace = context.plan.kill_grace;
    options.leader_file = context.plan.leader_file;
    options.leader_program = context.plan.leader_program;
    return options;
}

/// A stopped step as the build's outcome, or nothing when it ended by itself.
std::optional<BuildOutcome> stopped(const Context& context, const ProcessResult& result) {
    if (result.ending == Ending::timed_out) {
        const std::string reason = "timed out after " + format_duration(context.timeout);
        context.log.kiln(reason + "; the build was stopped");
        return BuildOutcome{queue::BuildStatus::timeout, std::nullopt, reason};
    }
    if (result.ending == Ending::cancelled) {
        context.log.kiln("cancelled; the build was stopped");
        return BuildOutcome{queue::BuildStatus::cancelled, std::nullopt, "cancelled"};
    }
    return std::nullopt;
}

/// `make [OPTIONS] IMAGE=... REGISTRY=... TARGET`: make's command-line
/// variables win over the Makefile's own assignments (a plain post-receive
/// Makefile sets `IMAGE = localhost:5000/app:latest`), so the image goes where
/// kiln looks for it.
std::vector<std::string> make_argv(const Context& context, const std::vector<std::string>& options,
                                   const std::string& target) {
    std::vector<std::string> argv{"make"};
    argv.insert(argv.end(), options.begin(), options.end());
    for (const char* name : {kImageVariable, kRegistryVariable}) {
        argv.push_back(std::string(name) + "=" + context.env.at(name));
    }
    argv.push_back(target);
    return argv;
}

/// The build's outcome when its time ran out or it was cancelled, for a step
/// that is not a process (the image step).
std::optional<BuildOutcome> limit_reached(const Context& context) {
    ProcessResult result;
    if (context.cancel_requested && context.cancel_requested()) {
        result.ending = Ending::cancelled;
    } else if (Clock::now() >= context.deadline) {
        result.ending = Ending::timed_out;
    }
    return stopped(context, result);
}

enum class Probe { exists, missing };

/// Asks make whether the Makefile can make `target`, without running recipes.
/// Returns the outcome instead when the build was stopped meanwhile.
std::variant<Probe, BuildOutcome> probe_target(const Context& context, const std::string& target) {
    ProcessSpec spec{make_argv(context, {"-q"}, target), context.dir, context.env, context.sandbox};
    spec.env["LC_ALL"] = "C";  // the message below is translated otherwise
    std::string output;
    RunOptions options = run_options(context);
    options.on_output = [&output](std::string_view chunk) {
        output.append(chunk.substr(0, kProbeOutputMax - std::min(output.size(), kProbeOutputMax)));
    };
    const ProcessResult result = run_process(spec, options);
    if (auto outcome = stopped(context, result)) {
        return *outcome;
    }
    const bool no_rule = result.exit_code == 2 && (output.find("No rule to make target '" + target + "'.") != std::string::npos ||
                                                   output.find("No rule to make target `" + target + "'.") != std::string::npos);
    return no_rule ? Probe::missing : Probe::exists;
}

/// Runs `make target`; the outcome when it failed or was stopped.
std::optional<BuildOutcome> make(const Context& context, const std::string& target) {
    const std::string command = "make " + target;
    context.log.kiln("$ " + command);
    RunOptions options = run_options(context);
    options.on_output = [&context](std::string_view chunk) { context.log.output(chunk); };
    options.on_quiet = [&context] { context.log.flush_partial(); };
    const ProcessResult result = run_process({make_argv(context, {}, target), context.dir, context.env, context.sandbox}, options);
    context.log.finish_output();
    if (result.leftovers > 0) {
        context.log.kiln("stopped " + std::to_string(result.leftovers) + " process" +
                         (result.leftovers == 1 ? "" : "es") + " that " + command + " left running");
    }
    if (auto outcome = stopped(context, result)) {
        return outcome;
    }
    if (result.ending == Ending::exited && result.exit_code == 0) {
        context.log.kiln(command + " done in " + seconds_text(result.elapsed));
        return std::nullopt;
    }
    const std::string reason = command + " " + describe_ending(result);
    context.log.kiln(reason);
    return BuildOutcome{queue::BuildStatus::failed, result.exit_code, reason};
}

BuildOutcome run_build(const BuildPlan& plan, queue::BuildLog& log, const std::function<bool()>& cancel_requested) {
    const auto start = Clock::now();
    const config::Config& config = *plan.config;
    const std::chrono::seconds timeout = plan.repo_config.timeout.value_or(config.runner.timeout);
    const std::string short_sha = plan.id.sha.substr(0, 7);

    std::optional<SlotLock> slot;
    std::optional<Worktree> worktree;
    if (plan.repo_config.workspace == config::Workspace::fresh) {
        worktree.emplace(Worktree::fresh(plan.repo_path, plan.worktree_root, plan.id.sha));
        log.kiln("checkout " + short_sha + " into a fresh folder: " + std::to_string(worktree->changes()) +
                 " files in " + seconds_text(worktree->elapsed()));
    } else {
        slot.emplace(acquire_slot(plan.worktree_root, plan.slot));
        worktree.emplace(Worktree::reuse(plan.repo_path, plan.worktree_root, *slot, plan.id.sha));
        if (!worktree->start_over_reason().empty()) {
            log.kiln("worktree slot " + std::to_string(slot->slot()) +
                     " started over: " + worktree->start_over_reason());
        }
        log.kiln("checkout " + short_sha + " into slot " + std::to_string(slot->slot()) +
                 (worktree->started_over() ? " (new)" : "") + ": " + std::to_string(worktree->changes()) +
                 " files changed in " + seconds_text(worktree->elapsed()));
    }

    const std::map<std::string, std::string> secrets = load_secrets(config.secrets_dir, plan.id.repo);
    std::vector<std::string> secret_values;
    for (const auto& [key, value] : secrets) {
        secret_values.push_back(value);
    }
    log.add_secrets(secret_values);
    if (!secrets.empty()) {
        log.kiln(std::to_string(secrets.size()) + " secret" + (secrets.size() == 1 ? "" : "s") + " from " +
                 secrets_file(config.secrets_dir, plan.id.repo).string());
    }

    if (!has_makefile(worktree->dir())) {
        log.kiln("no Makefile in " + short_sha + "; nothing to build");
        return {queue::BuildStatus::skipped, std::nullopt, "no Makefile"};
    }

    const SandboxChoice& sandbox = sandbox_choice(config);
    if (!sandbox.problem.empty()) {
        log.kiln("error: " + sandbox.problem);
        return {queue::BuildStatus::failed, std::nullopt, sandbox.problem};
    }
    log.kiln(sandbox.summary);
    Environment env = build_environment(config, plan.repo_config, plan.id, secrets, current_build_user());
    std::vector<std::string> wrapper;
    if (sandbox.on) {
        const fs::path home = sandbox_home(config, plan.id.repo);
        sandbox_environment(env, home);
        wrapper = sandbox_argv(sandbox, config, worktree->dir(), home);
    }
    const Context context{plan,     log, cancel_requested, start + timeout, timeout, worktree->dir(), std::move(env),
                          std::move(wrapper)};
    std::vector<std::string> missing;
    for (const std::string& target : plan.repo_config.targets) {
        if (target.empty() || target[0] == '-') {
            const std::string reason = "'" + target + "' is not a make target";
            log.kiln("error: " + reason);
            return {queue::BuildStatus::failed, std::nullopt, reason};
        }
        const auto probe = probe_target(context, target);
        if (const auto* outcome = std::get_if<BuildOutcome>(&probe)) {
            return *outcome;
        }
        if (std::get<Probe>(probe) == Probe::missing) {
            log.kiln("Makefile has no target '" + target + "'; nothing to build");
            missing.push_back(target);
            continue;
        }
        if (auto outcome = make(context, target)) {
            return *outcome;
        }
    }
    if (!plan.repo_config.targets.empty() && missing.size() == plan.repo_config.targets.size()) {
        std::string reason = "Makefile has no target";
        for (std::size_t i = 0; i < missing.size(); ++i) {
            reason += (i == 0 ? " '" : ", '") + missing[i] + "'";
        }
        return {queue::BuildStatus::skipped, std::nullopt, reason};
    }
    if (plan.after_make) {
        if (auto outcome = plan.after_make(worktree->dir(), context.deadline)) {
            if (auto stop = limit_reached(context)) {
                return *stop;
            }
            return *outcome;
        }
    }
    return {queue::BuildStatus::success, 0, ""};
}

}  // namespace

BuildOutcome execute_build(const BuildPlan& plan, queue::BuildLog& log, const std::function<bool()>& cancel_requested) {
    if (plan.config == nullptr) {
        throw Error("executing build " + plan.id.label() + ": no config given");
    }
    try {
        return run_build(plan, log, cancel_requested);
    } catch (const Error& error) {
        // Writing this line throws again when the log itself is what failed.
        log.kiln(std::string("error: ") + error.what());
        return {queue::BuildStatus::failed, std::nullopt, error.what()};
    }
}

}  // namespace kiln::runner
