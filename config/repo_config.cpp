#include "config/repo_config_reader.h"

#include "config/value_checks.h"

namespace kiln::config {
namespace {

std::optional<Workspace> read_workspace(YamlReader& reader, const Field& field) {
    const std::optional<std::string> text = reader.string(field);
    if (text == "reuse") {
        return Workspace::reuse;
    }
    if (text == "fresh") {
        return Workspace::fresh;
    }
    if (text) {
        reader.error(field, "expected 'reuse' or 'fresh', got " + YamlReader::describe(field.value));
    }
    return std::nullopt;
}

// Values may be written as numbers or booleans (`GOMAXPROCS: 4`): the build sees
// the text as written, so `1.10` stays `1.10`.
void read_env(YamlReader& reader, const Field& field, std::map<std::string, std::string>& env) {
    reader.for_each_entry(field, [&](const std::string& name, Position key_at, const Field& value) {
        if (const std::optional<std::string> problem = env_name_problem(name)) {
            reader.error({field.path, key_at, value.value}, *problem);
            return;
        }
        if (!value.value.IsScalar()) {
            reader.error(value, "expected a string, number or boolean, got " + YamlReader::describe(value.value));
            return;
        }
        env[name] = value.value.Scalar();
    });
}

// An empty name or archive means the default (the repo's name; no archive), as
// `kiln config check --print` writes them, so its output reads back.
std::optional<std::string> name_or_empty_problem(const std::string& name) {
    return name.empty() ? std::nullopt : image_name_problem(name);
}

std::optional<std::string> archive_or_empty_problem(const std::string& path) {
    return path.empty() ? std::nullopt : archive_path_problem(path);
}

// A plain (unquoted) `true` or `false`; `image: "false"` names an image.
bool is_plain(const YAML::Node& node, const char* text) {
    return node.IsScalar() && node.Tag() == "?" && node.Scalar() == text;
}

void read_image(YamlReader& reader, const Field& field, std::optional<ImageConfig>& image, bool& no_image) {
    no_image = is_plain(field.value, "false");
    if (field.value.IsNull() || no_image) {
        image.reset();
        return;
    }
    ImageConfig result = image.value_or(ImageConfig{});
    if (is_plain(field.value, "true")) {
        image = result;
        return;
    }
    if (field.value.IsScalar()) {  // `image: app` is short for `image: {name: app}`
        if (const std::optional<std::string> name = reader.checked_string(field, image_name_problem)) {
            result.name = *name;
        }
        image = result;
        return;
    }
    reader.for_each_key(field, {
        {"name", [&](const Field& value) {
             if (const auto name = reader.checked_string(value, name_or_empty_problem)) {
                 result.name = *name;
             }
         }},
        {"archive", [&](const Field& value) {
             if (const auto archive = reader.checked_string(value, archive_or_empty_problem)) {
                 result.archive = *archive;
             }
         }},
        {"tags", [&](const Field& value) {
             if (auto tags = reader.string_list(value, image_tag_problem)) {
                 result.tags = std::move(*tags);
             }
         }},
        {"keep", [&](const Field& value) {
             if (const auto keep = reader.integer(value, 0)) {
                 result.keep = *keep;
             }
         }},
    });
    image = result;
}

std::optional<NotifyConfig> read_notify_entry(YamlReader& reader, const Field& field) {
    if (field.value.IsScalar()) {
        const std::optional<std::string> url = reader.checked_string(field, notify_url_problem);
        return url ? std::optional<NotifyConfig>(NotifyConfig{*url, {}}) : std::nullopt;
    }
    if (!field.value.IsMap()) {
        reader.error(field, "expected a URL or a mapping with 'url' or 'url_secret', got " +
                                YamlReader::describe(field.value));
        return std::nullopt;
    }
    std::optional<std::string> url;
    std::optional<std::string> url_secret;
    bool has_url = false;
    bool has_secret = false;
    reader.for_each_key(field, {{"url", [&](const Field& value) {
                                     has_url = true;
                                     url = reader.checked_string(value, notify_url_problem);
                                 }},
                                {"url_secret", [&](const Field& value) {
                                     has_secret = true;
                                     url_secret = reader.checked_string(value, secret_key_problem);
                                 }}});
    if (has_url == has_secret) {
        reader.error(field, has_url ? "give 'url' or 'url_secret', not both" : "missing 'url' (or 'url_secret')");
        return std::nullopt;
    }
    if (url) {
        return NotifyConfig{*url, {}};
    }
    return url_secret ? std::optional<NotifyConfig>(NotifyConfig{{}, *url_secret}) : std::nullopt;
}

void read_notify(YamlReader& reader, const Field& field, std::vector<NotifyConfig>& notify) {
    if (field.value.IsScalar()) {
        if (const std::optional<NotifyConfig> entry = read_notify_entry(reader, field)) {
            notify = {*entry};
        }
        return;
    }
    std::vector<NotifyConfig> result;
    reader.for_each_element(field, [&](const Field& element) {
        if (const std::optional<NotifyConfig> entry = read_notify_entry(reader, element)) {
            result.push_back(*entry);
        }
    });
    notify = std::move(result);
}

}  // namespace

const std::vector<std::string>& repo_keys() {
    static const std::vector<std::string> kKeys{"branches", "targets", "timeout", "workspace",
                                                "env",      "image",   "notify"};
    return kKeys;
}

RepoConfig read_repo_keys(YamlReader& reader, const Field& field, const RepoConfig& base,
                          const std::map<std::string, std::string>& hints) {
    RepoConfig config = base;
    reader.for_each_key(
        field,
        {
            {"branches", [&](const Field& value) {
                 if (auto branches = reader.string_list(value, branch_glob_problem)) {
                     config.branches = std::move(*branches);
                 }
             }},
            {"targets", [&](const Field& value) {
                 auto targets = reader.string_list(value, make_target_problem);
                 if (targets && targets->empty()) {
                     reader.error(value, "expected at least one make target");
                 } else if (targets) {
                     config.targets = std::move(*targets);
                 }
             }},
            {"timeout", [&](const Field& value) {
                 if (const auto timeout = reader.duration(value)) {
                     config.timeout = *timeout;
                 }
             }},
            {"workspace", [&](const Field& value) {
                 if (const auto workspace = read_workspace(reader, value)) {
                     config.workspace = *workspace;
                 }
             }},
            {"env", [&](const Field& value) { read_env(reader, value, config.env); }},
            {"image", [&](const Field& value) { read_image(reader, value, config.image, config.no_image); }},
            {"notify", [&](const Field& value) { read_notify(reader, value, config.notify); }},
        },
        hints);
    return config;
}

RepoConfig parse_repo_config(const std::string& text, const std::string& source, const RepoConfig& defaults) {
    static const std::string kElsewhere = "it belongs in the global config, not in .kiln.yml";
    static const std::map<std::string, std::string> kHints{
        {"git_root", kElsewhere}, {"state_dir", kElsewhere}, {"secrets_dir", kElsewhere},
        {"registry", kElsewhere}, {"runner", kElsewhere},    {"defaults", kElsewhere},
    };
    Diagnostics diagnostics(source);
    YamlReader reader(diagnostics);
    RepoConfig config = defaults;
    if (const std::optional<YAML::Node> document = load_document(text, diagnostics)) {
        config = read_repo_keys(reader, document_field(*document), defaults, kHints);
    }
    diagnostics.throw_if_any();
    return config;
}

}  // namespace kiln::config
