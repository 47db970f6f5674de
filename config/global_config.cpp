#include <spdlog/spdlog.h>

#include "common/error.h"
#include "config/config.h"
#include "config/config_file.h"
#include "config/config_search.h"
#include "config/repo_config_reader.h"
#include "config/value_checks.h"

namespace kiln::config {
namespace {

std::optional<std::filesystem::path> read_path(YamlReader& reader, const Field& field,
                                               const std::filesystem::path& base_dir) {
    const std::optional<std::string> text = reader.string(field);
    if (!text) {
        return std::nullopt;
    }
    if (text->empty()) {
        reader.error(field, "expected a path, got an empty string");
        return std::nullopt;
    }
    return (base_dir / *text).lexically_normal();
}

// `every: 0` turns the schedule off; durations are otherwise never zero.
std::optional<std::chrono::seconds> read_interval(YamlReader& reader, const Field& field) {
    if (field.value.IsScalar() && field.value.Scalar() == "0") {
        return std::chrono::seconds(0);
    }
    return reader.duration(field);
}

void read_registry_gc(YamlReader& reader, const Field& field, const std::filesystem::path& base_dir,
                      RegistryGcConfig& gc) {
    std::optional<Field> config_field;
    std::optional<Field> restart_field;
    std::optional<Field> scheduled_field;
    reader.for_each_key(field, {
        {"config", [&](const Field& value) {
             config_field = value;
             // Empty, as `kiln config check --print` shows the default: not managed.
             const std::optional<std::string> text = reader.string(value);
             gc.config = text && !text->empty() ? (base_dir / *text).lexically_normal() : std::filesystem::path();
         }},
        {"restart", [&](const Field& value) {
             restart_field = value;
             gc.restart = reader.string(value).value_or("");
         }},
        {"after_prune", [&](const Field& value) {
             gc.after_prune = reader.boolean(value).value_or(gc.after_prune);
             if (gc.after_prune) {
                 scheduled_field = value;
             }
         }},
        {"every", [&](const Field& value) {
             gc.every = read_interval(reader, value).value_or(gc.every);
             if (gc.every.count() != 0) {
                 scheduled_field = value;
             }
         }},
        {"delete_untagged",
         [&](const Field& value) { gc.delete_untagged = reader.boolean(value).value_or(gc.delete_untagged); }},
    });
    if (gc.config.empty() != gc.restart.empty()) {
        reader.error(gc.config.empty() ? *restart_field : *config_field,
                     "registry.gc.config and registry.gc.restart go together: kiln rewrites the registry's config "
                     "and restarts it to reread it");
    } else if (gc.config.empty() && scheduled_field) {
        reader.error(*scheduled_field, "the runner can collect garbage only in a registry kiln manages: set "
                                       "registry.gc.config and registry.gc.restart");
    }
}

void read_registry(YamlReader& reader, const Field& field, const std::filesystem::path& base_dir,
                   RegistryConfig& registry) {
    std::optional<Field> username_field;
    std::optional<Field> password_field;
    reader.for_each_key(field, {
        {"url", [&](const Field& value) {
             if (const auto url = reader.checked_string(value, registry_url_problem)) {
                 registry.url = url->back() == '/' ? url->substr(0, url->size() - 1) : *url;
             }
         }},
        {"username", [&](const Field& value) {
             username_field = value;
             registry.username = reader.string(value).value_or("");
         }},
        {"password", [&](const Field& value) {
             password_field = value;
             registry.password = reader.string(value).value_or("");
         }},
        {"gc", [&](const Field& value) { read_registry_gc(reader, value, base_dir, registry.gc); }},
    });
    if (registry.username.empty() != registry.password.empty()) {
        reader.error(registry.username.empty() ? *password_field : *username_field,
                     "registry.username and registry.password go together: set both or neither");
    }
}

std::optional<SandboxMode> read_sandbox(YamlReader& reader, const Field& field) {
    const std::optional<std::string> text = reader.string(field);
    if (text == "auto") {
        return SandboxMode::automatic;
    }
    if (text == "bubblewrap") {
        return SandboxMode::bubblewrap;
    }
    if (text == "none") {
        return SandboxMode::none;
    }
    if (text) {
        reader.error(field, "expected 'auto', 'bubblewrap' or 'none', got " + YamlReader::describe(field.value));
    }
    return std::nullopt;
}

void read_runner(YamlReader& reader, const Field& field, RunnerConfig& runner) {
    reader.for_each_key(field, {
        {"jobs", [&](const Field& value) { runner.jobs = reader.integer(value, 1).value_or(runner.jobs); }},
        {"timeout", [&](const Field& value) { runner.timeout = reader.duration(value).value_or(runner.timeout); }},
        {"log_max", [&](const Field& value) { runner.log_max = reader.size(value).value_or(runner.log_max); }},
        {"keep_builds",
         [&](const Field& value) { runner.keep_builds = reader.integer(value, 1).value_or(runner.keep_builds); }},
        {"path",
         [&](const Field& value) { runner.path = reader.checked_string(value, search_path_problem).value_or(runner.path); }},
        {"sandbox", [&](const Field& value) { runner.sandbox = read_sandbox(reader, value).value_or(runner.sandbox); }},
    });
}

}  // namespace

Config parse_config(const std::string& text, const std::filesystem::path& source) {
    static const std::string kUnderDefaults = "per-repo keys go under 'defaults:'";
    std::map<std::string, std::string> repo_key_hints;
    for (const std::string& key : repo_keys()) {
        repo_key_hints[key] = kUnderDefaults;
    }

    Config config;
    config.source = std::filesystem::absolute(source).lexically_normal();
    const std::filesystem::path base_dir = config.source.parent_path();
    config.secrets_dir = base_dir / "secrets";

    Diagnostics diagnostics(source.string());
    YamlReader reader(diagnostics);
    const std::optional<YAML::Node> document = load_document(text, diagnostics);
    if (document) {
        const auto path_key = [&](std::filesystem::path& target) {
            return [&reader, &target, &base_dir](const Field& value) {
                target = read_path(reader, value, base_dir).value_or(target);
            };
        };
        reader.for_each_key(
            document_field(*document),
            {
                {"git_root", path_key(config.git_root)},
                {"state_dir", path_key(config.state_dir)},
                {"secrets_dir", path_key(config.secrets_dir)},
                {"registry", [&](const Field& value) { read_registry(reader, value, base_dir, config.registry); }},
                {"runner", [&](const Field& value) { read_runner(reader, value, config.runner); }},
                {"defaults", [&](const Field& value) {
                     config.defaults = read_repo_keys(reader, value, RepoConfig{}, {});
                 }},
            },
            repo_key_hints);
    }
    diagnostics.throw_if_any();
    return config;
}

Config load_config(const std::optional<std::filesystem::path>& explicit_path) {
    const std::optional<ConfigLocation> location = find_config_file(explicit_path);
    if (!location) {
        spdlog::debug("no config file found; using built-in defaults");
        return Config{};
    }
    spdlog::debug("reading config {}", location->path.string());
    return parse_config(read_config_file(location->path, location->named_by), location->path);
}

Config load_config_file(const std::filesystem::path& path) {
    return parse_config(read_config_file(path), path);
}

}  // namespace kiln::config
