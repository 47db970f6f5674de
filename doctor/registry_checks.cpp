#include "common/error.h"
#include "config/config_search.h"
#include "doctor/checks.h"
#include "registry-client/client.h"
#include "runner/registry_options.h"

namespace kiln::doctor {
namespace {

// The repository the delete probe names; it need not exist, and nothing in it is deleted.
constexpr const char* kProbeRepository = "kiln-doctor";

}  // namespace

std::vector<Check> check_registry(const Setup& setup) {
    registry::ClientOptions options = runner::registry_options(setup.config.registry);
    // A registry that is down is the answer here, not something to wait out.
    options.retries = 0;
    registry::Client client(options);
    const std::string& url = setup.config.registry.url;
    const std::string config_file =
        (setup.config.source.empty() ? config::kSystemConfigFile : setup.config.source).string();
    try {
        client.ping();
    } catch (const Error& error) {
        return {failed("registry", error.what(),
                       "start the registry at " + url + ", or set registry.url in " + config_file +
                           " to one that runs")};
    }
    std::vector<Check> checks{passed("registry", url + " answers")};
    try {
        if (client.deletes_enabled(kProbeRepository)) {
            checks.push_back(passed("registry deletes", url + " deletes manifests"));
        } else {
            checks.push_back(failed("registry deletes",
                                    url + " does not delete manifests: image.keep and kiln image rm/prune fail",
                                    "set storage.delete.enabled: true in the registry's config, then restart it"));
        }
    } catch (const Error& error) {
        checks.push_back(failed("registry deletes", error.what(), "check the registry's log"));
    }
    return checks;
}

}  // namespace kiln::doctor
