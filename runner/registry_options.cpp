#include "runner/registry_options.h"

namespace kiln::runner {

registry::ClientOptions registry_options(const config::RegistryConfig& registry) {
    registry::ClientOptions options;
    options.url = registry.url;
    options.username = registry.username;
    options.password = registry.password;
    return options;
}

registry::ClientOptions registry_options_for(const config::RegistryConfig& registry, const registry::Reference& ref) {
    return registry::client_options_for(ref, registry_options(registry));
}

}  // namespace kiln::runner
