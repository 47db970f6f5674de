#pragma once

// The registry client's options from the config's `registry:`, for every
// part that talks to the configured registry (the runner's image step, `kiln
// image`, `kiln watch`). It lives here, not in config/ or registry-client/:
// config/ must not link the registry client (the hook links config/), and the
// registry client knows nothing of kiln's config; the runner links both, and
// the cli links the runner.

#include "config/config.h"
#include "registry-client/client.h"
#include "registry-client/reference.h"

namespace kiln::runner {

/// Options for the configured registry: its URL and credentials, the
/// client's defaults for everything else.
registry::ClientOptions registry_options(const config::RegistryConfig& registry);

/// Options for the registry `ref` names: registry_options() when that is the
/// configured one, else the same scheme for the other host, anonymously
/// (registry::client_options_for).
registry::ClientOptions registry_options_for(const config::RegistryConfig& registry, const registry::Reference& ref);

}  // namespace kiln::runner
