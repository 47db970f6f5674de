#include "config/registry_file.h"

#include <yaml-cpp/yaml.h>

#include "common/error.h"

namespace kiln::config {
namespace {

YAML::Node load_mapping(const std::string& text, const std::filesystem::path& source) {
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& error) {
        throw ConfigError(source.string() + ":" + std::to_string(error.mark.line + 1) + ":" +
                          std::to_string(error.mark.column + 1) + ": " + error.msg);
    }
    if (!root.IsMap()) {
        throw ConfigError(source.string() + ": expected a registry config (a YAML mapping)");
    }
    return root;
}

std::string scalar_at(const YAML::Node& root, const char* section, const char* sub, const char* key,
                      const std::filesystem::path& source, const std::string& dotted) {
    YAML::Node node = root[section];
    if (node.IsMap() && sub) {
        node = node[sub];
    }
    if (node.IsMap()) {
        node = node[key];
    }
    if (!node.IsDefined() || !node.IsScalar() || node.Scalar().empty()) {
        throw ConfigError(source.string() + ": no " + dotted + " in the registry's config");
    }
    return node.Scalar();
}

}  // namespace

RegistryFile parse_registry_file(const std::string& text, const std::filesystem::path& source) {
    const YAML::Node root = load_mapping(text, source);
    RegistryFile file;
    file.addr = scalar_at(root, "http", nullptr, "addr", source, "http.addr");
    file.storage = scalar_at(root, "storage", "filesystem", "rootdirectory", source,
                             "storage.filesystem.rootdirectory (kiln measures and collects only filesystem storage)");
    return file;
}

std::string registry_file_read_only(const std::string& text, const std::filesystem::path& source) {
    YAML::Node root = load_mapping(text, source);
    if (!root["storage"].IsMap()) {
        throw ConfigError(source.string() + ": storage in the registry's config is not a mapping");
    }
    YAML::Node storage = root["storage"];
    if (storage["maintenance"] && !storage["maintenance"].IsMap()) {
        storage["maintenance"] = YAML::Node(YAML::NodeType::Map);
    }
    YAML::Node maintenance = storage["maintenance"];
    maintenance["readonly"] = YAML::Node(YAML::NodeType::Map);
    maintenance["readonly"]["enabled"] = true;
    YAML::Emitter out;
    out << root;
    return std::string(out.c_str()) + "\n";
}

std::string addr_port(const std::string& addr) {
    const std::size_t colon = addr.rfind(':');
    if (colon == std::string::npos || colon + 1 == addr.size()) {
        return "";
    }
    const std::string port = addr.substr(colon + 1);
    return port.find_first_not_of("0123456789") == std::string::npos ? port : "";
}

}  // namespace kiln::config
