#include "config/registry_file.h"

#include <vector>

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

// root[keys[0]][keys[1]]...; a missing key reads as an undefined node (a
// plain operator[] chain on one would throw, and assigning a Node writes
// through it, so each level gets its own variable).
YAML::Node lookup(const YAML::Node& node, const std::vector<const char*>& keys, std::size_t at = 0) {
    if (!node.IsDefined()) {
        return YAML::Node(YAML::NodeType::Undefined);
    }
    if (at == keys.size()) {
        return node;
    }
    if (!node.IsMap()) {
        return YAML::Node(YAML::NodeType::Undefined);
    }
    const YAML::Node child = node[keys[at]];
    return lookup(child, keys, at + 1);
}

std::string scalar_at(const YAML::Node& root, const std::vector<const char*>& keys,
                      const std::filesystem::path& source, const std::string& what) {
    const YAML::Node node = lookup(root, keys);
    if (!node.IsDefined() || !node.IsScalar() || node.Scalar().empty()) {
        throw ConfigError(source.string() + ": no " + what + " in the registry's config");
    }
    return node.Scalar();
}

}  // namespace

RegistryFile parse_registry_file(const std::string& text, const std::filesystem::path& source) {
    const YAML::Node root = load_mapping(text, source);
    RegistryFile file;
    file.addr = scalar_at(root, {"http", "addr"}, source, "http.addr");
    file.storage = scalar_at(root, {"storage", "filesystem", "rootdirectory"}, source,
                             "storage.filesystem.rootdirectory (kiln measures and collects only filesystem storage)");
    return file;
}

std::string registry_file_read_only(const std::string& text, const std::filesystem::path& source) {
    YAML::Node root = load_mapping(text, source);
    if (!lookup(root, {"storage"}).IsMap()) {
        throw ConfigError(source.string() + ": no storage mapping in the registry's config");
    }
    YAML::Node storage = root["storage"];
    if (!lookup(storage, {"maintenance"}).IsMap()) {
        storage["maintenance"] = YAML::Node(YAML::NodeType::Map);
    }
    YAML::Node maintenance = storage["maintenance"];
    YAML::Node read_only(YAML::NodeType::Map);
    read_only["enabled"] = true;
    maintenance["readonly"] = read_only;
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
