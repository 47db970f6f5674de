#pragma once

// The registry's own config file (distribution's config.yml), as far as
// `kiln image gc` reads and rewrites it. YAML stays in config/.

#include <filesystem>
#include <string>

namespace kiln::config {

/// What gc needs to know of a registry's config.
struct RegistryFile {
    std::string addr;               ///< http.addr, e.g. `127.0.0.1:5000` or `:5000`
    std::filesystem::path storage;  ///< storage.filesystem.rootdirectory
};

/// Reads http.addr and storage.filesystem.rootdirectory from `text`; `source`
/// names the file in messages. Throws ConfigError when the text is no YAML
/// mapping or either key is missing (a registry on another storage driver
/// keeps no files kiln could measure).
RegistryFile parse_registry_file(const std::string& text, const std::filesystem::path& source);

/// `text` with storage.maintenance.readonly.enabled set to true, every other
/// key as it was (comments are lost: the caller keeps the original bytes to
/// put back). Throws ConfigError.
std::string registry_file_read_only(const std::string& text, const std::filesystem::path& source);

/// The port of an http.addr (`127.0.0.1:5000`, `:5000`, `[::1]:5000`): the
/// digits after the last `:`, "" when there are none.
std::string addr_port(const std::string& addr);

}  // namespace kiln::config
