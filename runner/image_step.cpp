#include "runner/image_step.h"

#include <chrono>

#include "common/error.h"
#include "common/units.h"
#include "registry-client/client.h"
#include "registry-client/image_prune.h"
#include "image-archive/image_push.h"
#include "registry-client/image_tag.h"
#include "registry-client/reference.h"
#include "queue/build_log.h"
#include "queue/state_layout.h"
#include "releases/ledger.h"
#include "releases/release_history.h"
#include "runner/registry_options.h"

namespace kiln::runner {
namespace {

// The tag an image nobody promised gets, as `image: {}` would give it.
constexpr const char* kPushedImageTag = "latest";

// A `{branch}` tag cannot be made for a build without a branch (a rebuild of
// a bare sha): nothing, so the step skips it.
std::optional<std::string> tag_for_build(const std::string& tag, const std::string& branch) {
    if (branch.empty() && tag.find("{branch}") != std::string::npos) {
        return std::nullopt;
    }
    return config::expand_tag(tag, branch);
}

std::string elapsed_since(std::chrono::steady_clock::time_point start) {
    const auto elapsed = std::chrono::steady_clock::now() - start;
    return format_duration(std::chrono::duration_cast<std::chrono::seconds>(elapsed));
}

// The digest of the image under the build's sha: pushed from the archive, or
// found where the Makefile pushed it.
std::string land_image(const config::Config& config, const config::ImageConfig& image,
                       const registry::ClientOptions& options, registry::Client& client,
                       const registry::Reference& target, const std::filesystem::path& worktree, queue::BuildLog& log) {
    if (image.archive.empty()) {
        const std::optional<std::string> digest = client.manifest_digest(target.name, target.tag);
        if (!digest) {
            throw RegistryError("the Makefile did not push " + target.str() +
                                " ($IMAGE), and .kiln.yml sets no image.archive; if the Makefile pushes a name "
                                "of its own (a fixed name, or 'override IMAGE'), make it push $(IMAGE)");
        }
        return *digest;
    }
    const std::filesystem::path archive = worktree / image.archive;
    if (!std::filesystem::exists(archive)) {
        throw RegistryError("the build left no image archive at '" + image.archive + "' (image.archive in .kiln.yml)");
    }
    log.kiln("pushing " + image.archive + " to " + target.str());
    const auto start = std::chrono::steady_clock::now();
    registry::PushOptions push;
    push.cache_dir = config.state_dir / "cache";
    const registry::PushResult result = registry::push_image(options, target, archive, push);
    log.kiln("pushed " + std::to_string(result.blobs_uploaded) + " blobs (" + format_size(result.bytes_uploaded) +
             "), " + std::to_string(result.blobs_skipped + result.blobs_mounted) + " already there, in " +
             elapsed_since(start));
    return result.digest;
}

// No `image:` in .kiln.yml: the build promised nothing, yet a Makefile written
// for a plain post-receive hook pushes $IMAGE all the same. What it pushed is
// recorded and tagged like a promised image; what it did not push, or a
// registry that cannot say, leaves the build a success without an image.
ImageOutcome record_pushed_image(const registry::ClientOptions& options, const registry::Reference& target,
                                 queue::BuildLog& log) {
    ImageOutcome outcome;
    outcome.ok = true;
    // A build that promised no image must not wait out retries of a registry
    // that is down: one question, one answer.
    registry::ClientOptions probe = options;
    probe.retries = 0;
    try {
        registry::Client probe_client(probe);
        const std::optional<std::string> digest = probe_client.manifest_digest(target.name, target.tag);
        if (!digest) {
            return outcome;
        }
        outcome.image = target.str();
        outcome.digest = *digest;
    } catch (const Error& error) {
        log.kiln(std::string("no image recorded: ") + error.what());
        return outcome;
    }
    try {
        registry::Client client(options);
        registry::tag_image(client, target, kPushedImageTag);
        outcome.tags.push_back(kPushedImageTag);
        log.kiln("tagged " + target.host + "/" + target.name + ":" + kPushedImageTag);
    } catch (const Error& error) {
        log.kiln("image " + outcome.image + " " + outcome.digest + " not tagged " + kPushedImageTag + ": " +
                 error.what());
        return outcome;
    }
    log.kiln("image " + outcome.image + " " + outcome.digest);
    return outcome;
}

// image.keep: keeps `keep` distinct images of the build tags, never one
// rollback may still need: this build's own (images are ordered by creation
// time, which a reproducible build pins, often to 1970), the last `keep`
// releases' and every one a deploy host reported running. A ledger that
// cannot be read leaves everything in place rather than guess.
std::size_t prune_old_images(const config::Config& config, const queue::BuildIdentity& build,
                             const config::ImageConfig& image, const std::string& name, const std::string& digest,
                             registry::Client& client, queue::BuildLog& log) {
    registry::PruneOptions prune;
    prune.keep = image.keep;
    prune.counts = registry::looks_like_build_tag;
    try {
        std::vector<releases::LedgerEvent> events = releases::read_ledger(queue::StateLayout(config.state_dir), build.repo);
        // The runner records this build's release only once it is final:
        // counted here already, as the newest of the last `keep`.
        releases::LedgerEvent this_build;
        this_build.kind = releases::EventKind::release;
        this_build.number = build.number;
        this_build.digest = digest;
        events.push_back(this_build);
        prune.protected_digests = releases::digests_to_keep(events, image.keep);
    } catch (const StateError& error) {
        log.kiln(std::string("not pruning (image.keep): ") + error.what());
        return 0;
    }
    prune.protected_digests.insert(digest);
    const registry::PrunePlan plan = registry::prune_images(client, name, prune);
    if (!plan.deleted.empty()) {
        log.kiln("pruned " + std::to_string(plan.deleted.size()) + " old image" + (plan.deleted.size() == 1 ? "" : "s") +
                 " of " + name + " (image.keep " + std::to_string(image.keep) + ")");
    }
    return plan.deleted.size();
}

}  // namespace

ImageOutcome publish_image(const config::Config& config, const config::RepoConfig& repo_config,
                           const queue::BuildIdentity& build, const std::filesystem::path& worktree, queue::BuildLog& log,
                           const StepLimits& limits) {
    ImageOutcome outcome;
    if (repo_config.no_image) {
        outcome.ok = true;
        return outcome;
    }
    const std::string host = registry::host_of_url(config.registry.url);
    const std::string name = image_name(build.repo, repo_config);
    registry::Reference target;
    target.host = host;
    target.name = name;
    target.tag = build.sha;
    outcome.image = target.str();
    registry::ClientOptions options = registry_options(config.registry);
    options.deadline = limits.deadline;
    options.cancelled = limits.cancelled;
    if (!repo_config.image) {
        return record_pushed_image(options, target, log);
    }
    const config::ImageConfig& image = *repo_config.image;
    try {
        registry::Client client(options);
        outcome.digest = land_image(config, image, options, client, target, worktree, log);
        for (const std::string& tag : image.tags) {
            const std::optional<std::string> expanded = tag_for_build(tag, build.branch());
            if (!expanded) {
                log.kiln("not tagging '" + tag + "': this build has no branch");
                continue;
            }
            registry::tag_image(client, target, *expanded);
            outcome.tags.push_back(*expanded);
            log.kiln("tagged " + host + "/" + name + ":" + *expanded);
        }
        if (image.keep > 0) {
            outcome.images_pruned = prune_old_images(config, build, image, name, outcome.digest, client, log);
        }
    } catch (const Error& error) {
        outcome.reason = error.what();
        log.kiln("image failed: " + outcome.reason);
        return outcome;
    }
    log.kiln("image " + outcome.image + " " + outcome.digest);
    outcome.ok = true;
    return outcome;
}

}  // namespace kiln::runner
