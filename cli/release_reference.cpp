#include "cli/release_reference.h"

#include "common/error.h"
#include "queue/state_layout.h"
#include "registry-client/reference.h"
#include "releases/release_history.h"
#include "releases/release_lookup.h"

namespace kiln::cli {
namespace {

constexpr std::size_t kFullSha = 40;

// The release `which` names among those of the repo that makes images named
// `name`; nothing when no repo here makes them.
std::optional<releases::LedgerEvent> lookup(const config::Config& config, const std::string& name,
                                            const std::string& which, const std::string& text) {
    const queue::StateLayout layout(config.state_dir);
    const std::optional<std::string> repo = releases::repo_of_image(layout, name);
    if (!repo) {
        return std::nullopt;
    }
    releases::ReleaseLookup found = releases::find_release(releases::read_ledger(layout, *repo), *repo, which);
    if (!found.release) {
        throw UsageError(describe("reading '" + text + "'", found.problem));
    }
    return found.release;
}

}  // namespace

std::string expand_release_reference(const config::Config& config, const std::string& text) {
    const std::string default_host = registry::host_of_url(config.registry.url);
    if (const std::size_t hash = text.rfind('#'); hash != std::string::npos) {
        const registry::Reference repository = registry::parse_repository(text.substr(0, hash), default_host);
        const std::string number = text.substr(hash + 1);
        const std::optional<releases::LedgerEvent> release = lookup(config, repository.name, "#" + number, text);
        if (!release) {
            throw UsageError(describe("reading '" + text + "'", "no repository here releases images named '" +
                                                                    repository.name + "' (see kiln releases)"));
        }
        return repository.host + "/" + repository.name + ":" + release->sha;
    }
    registry::Reference ref = registry::parse_reference(text, default_host);
    if (ref.tag.size() >= kFullSha || !releases::looks_like_sha_prefix(ref.tag)) {
        return text;
    }
    const std::optional<releases::LedgerEvent> release = lookup(config, ref.name, ref.tag, text);
    if (!release) {
        return text;
    }
    ref.tag = release->sha;
    return ref.str();
}

}  // namespace kiln::cli
