#include "runner/runner.h"

#include "common/error.h"
#include "common/file_modes.h"
#include "common/names.h"
#include "config/repo_config_source.h"
#include "runner/build_executor.h"
#include "queue/build_log.h"
#include "queue/registry_lock.h"
#include "runner/image_step.h"
#include "runner/secrets.h"

namespace kiln::runner {
namespace {

// A secrets file, or a config holding registry.password, that other local
// users can read leaks every secret in it without any build printing one.
// The runner still builds: the box's owner fixes the mode, kiln says how.
void warn_about_readable_secrets(const config::Config& config, const std::string& repo, queue::BuildLog& log) {
    if (auto problem = readable_by_others(secrets_file(config.secrets_dir, repo), "the secrets of " + repo)) {
        log.kiln("warning: " + *problem);
    }
    if (!config.registry.password.empty() && !config.source.empty()) {
        if (auto problem = readable_by_others(config.source, "it holds registry.password")) {
            log.kiln("warning: " + *problem);
        }
    }
}

}  // namespace

JobResult run_job(const config::Config& config, const queue::Job& job, int slot,
                  const std::function<bool()>& cancel_requested) {
    const queue::StateLayout layout(config.state_dir);
    queue::BuildLog log(layout.log_file(job.id.repo, job.id.number), config.runner.log_max);
    // The registry password reaches the image step's tools, whose errors
    // the log and the reason may quote.
    log.add_secrets(std::vector<std::string>{config.registry.password});
    warn_about_readable_secrets(config, job.id.repo, log);
    // A job from an older kiln, or a recovered one, may not name its repository.
    const std::filesystem::path repo_path =
        job.repo_path.empty() ? bare_repo_path(config.git_root, job.id.repo) : job.repo_path;

    JobResult result;
    config::RepoConfig repo_config;
    try {
        repo_config = config::load_repo_config(repo_path, job.id.sha, config.defaults);
    } catch (const ConfigError& error) {
        log.kiln(std::string("error: ") + error.what());
        result.status = queue::BuildStatus::failed;
        result.reason = "invalid " + std::string(config::kRepoConfigFile);
        return result;
    }
    result.targets = repo_config.targets;

    // A build may push from make on (a Makefile that pushes $IMAGE) until its
    // image step ends; `kiln image gc` must not run meanwhile, nor this
    // build's pushes while it does.
    std::optional<queue::RegistryLock> registry_lock;
    if (!repo_config.no_image) {
        queue::RegistryLock::Wait wait;
        wait.cancelled = cancel_requested;
        wait.on_wait = [&log] { log.kiln("waiting for kiln image gc to finish"); };
        registry_lock = queue::RegistryLock::acquire(layout, queue::RegistryLock::Mode::shared, wait);
        if (!registry_lock) {
            result.status = queue::BuildStatus::cancelled;
            result.reason = "cancelled while waiting for kiln image gc";
            return result;
        }
    }

    BuildPlan plan;
    plan.config = &config;
    plan.id = job.id;
    plan.repo_path = repo_path;
    plan.repo_config = repo_config;
    plan.worktree_root = layout.work_dir(job.id.repo);
    plan.slot = slot;
    plan.leader_file = layout.leader_file(job.id.repo, job.id.number);
    // The image step reads what make wrote (image.archive), so it runs while
    // the worktree is still held; its failure fails the build.
    plan.after_make = [&](const std::filesystem::path& worktree,
                          std::chrono::steady_clock::time_point deadline) -> std::optional<BuildOutcome> {
        const ImageOutcome image =
            publish_image(config, repo_config, job.id, worktree, log, {deadline, cancel_requested});
        registry_lock.reset();
        result.image = image.image;
        result.digest = image.digest;
        result.tags = image.tags;
        result.images_pruned = image.images_pruned;
        if (image.ok) {
            return std::nullopt;
        }
        return BuildOutcome{queue::BuildStatus::failed, std::nullopt, image.reason};
    };
    const BuildOutcome outcome = execute_build(plan, log, cancel_requested);
    result.status = outcome.status;
    result.exit_code = outcome.exit_code;
    result.reason = outcome.reason;
    result.secrets = log.secrets();
    return result;
}

}  // namespace kiln::runner
