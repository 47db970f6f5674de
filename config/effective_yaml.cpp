#include "config/effective_yaml.h"

#include <array>
#include <utility>

#include <yaml-cpp/yaml.h>

namespace kiln::config {
namespace {

void emit_list(YAML::Emitter& out, const std::vector<std::string>& items) {
    out << YAML::Flow << YAML::BeginSeq;
    for (const std::string& item : items) {
        out << item;
    }
    out << YAML::EndSeq;
}

void emit_repo(YAML::Emitter& out, const RepoConfig& config, std::chrono::seconds runner_timeout) {
    out << YAML::BeginMap;
    out << YAML::Key << "branches" << YAML::Value;
    emit_list(out, config.branches);
    out << YAML::Key << "targets" << YAML::Value;
    emit_list(out, config.targets);
    out << YAML::Key << "timeout" << YAML::Value << exact_duration(config.timeout.value_or(runner_timeout));
    if (!config.timeout) {
        out << YAML::Comment("runner.timeout");
    }
    out << YAML::Key << "workspace" << YAML::Value << (config.workspace == Workspace::reuse ? "reuse" : "fresh");
    out << YAML::Key << "env" << YAML::Value;
    if (config.env.empty()) {
        out << YAML::Flow;
    }
    out << YAML::BeginMap;
    for (const auto& [name, value] : config.env) {
        out << YAML::Key << name << YAML::Value << YAML::DoubleQuoted << value;
    }
    out << YAML::EndMap;
    out << YAML::Key << "image" << YAML::Value;
    if (config.no_image) {
        out << false << YAML::Comment("no image: kiln does not look for $IMAGE");
    } else if (!config.image) {
        out << YAML::Null << YAML::Comment("none promised: kiln records $IMAGE if the build pushed it");
    } else {
        out << YAML::BeginMap;
        out << YAML::Key << "name" << YAML::Value << config.image->name;
        if (config.image->name.empty()) {
            out << YAML::Comment("the repository's name");
        }
        out << YAML::Key << "archive" << YAML::Value << config.image->archive;
        if (config.image->archive.empty()) {
            out << YAML::Comment("none: the Makefile pushes $IMAGE");
        }
        out << YAML::Key << "tags" << YAML::Value;
        emit_list(out, config.image->tags);
        out << YAML::Key << "keep" << YAML::Value << config.image->keep;
        if (config.image->keep == 0) {
            out << YAML::Comment("keep every build tag");
        }
        out << YAML::EndMap;
    }
    out << YAML::Key << "notify" << YAML::Value;
    if (config.notify.empty()) {
        out << YAML::Flow;
    }
    out << YAML::BeginSeq;
    for (const NotifyConfig& notify : config.notify) {
        out << YAML::BeginMap;
        if (notify.url_secret.empty()) {
            out << YAML::Key << "url" << YAML::Value << notify.url;
        } else {
            out << YAML::Key << "url_secret" << YAML::Value << notify.url_secret;
        }
        out << YAML::EndMap;
    }
    out << YAML::EndSeq;
    out << YAML::EndMap;
}

std::string finish(const YAML::Emitter& out) {
    return std::string(out.c_str()) + "\n";
}

}  // namespace

std::string sandbox_name(SandboxMode mode) {
    switch (mode) {
    case SandboxMode::automatic: return "auto";
    case SandboxMode::bubblewrap: return "bubblewrap";
    case SandboxMode::none: break;
    }
    return "none";
}

std::string exact_duration(std::chrono::seconds duration) {
    static constexpr std::array<std::pair<long long, char>, 4> kUnits{{{86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}}};
    long long left = duration.count();
    std::string text;
    for (const auto& [seconds, unit] : kUnits) {
        if (left >= seconds) {
            text += std::to_string(left / seconds) + unit;
            left %= seconds;
        }
    }
    return text.empty() ? "0s" : text;
}

std::string exact_size(std::uint64_t bytes) {
    static constexpr std::array<std::pair<std::uint64_t, const char*>, 6> kUnits{{
        {1000ULL * 1000 * 1000, "GB"},
        {1024ULL * 1024 * 1024, "GiB"},
        {1000ULL * 1000, "MB"},
        {1024ULL * 1024, "MiB"},
        {1000, "kB"},
        {1024, "KiB"},
    }};
    for (const auto& [factor, unit] : kUnits) {
        if (bytes != 0 && bytes % factor == 0) {
            return std::to_string(bytes / factor) + unit;
        }
    }
    return std::to_string(bytes) + "B";
}

std::string to_yaml(const Config& config) {
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "git_root" << YAML::Value << config.git_root.string();
    out << YAML::Key << "state_dir" << YAML::Value << config.state_dir.string();
    out << YAML::Key << "secrets_dir" << YAML::Value << config.secrets_dir.string();
    out << YAML::Key << "registry" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "url" << YAML::Value << config.registry.url;
    out << YAML::Key << "username" << YAML::Value << config.registry.username;
    out << YAML::Key << "password" << YAML::Value << (config.registry.password.empty() ? "" : "***");
    const RegistryGcConfig& gc = config.registry.gc;
    out << YAML::Key << "gc" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "config" << YAML::Value << gc.config.string();
    out << YAML::Key << "restart" << YAML::Value << gc.restart;
    out << YAML::Key << "after_prune" << YAML::Value << gc.after_prune;
    out << YAML::Key << "every" << YAML::Value << (gc.every.count() == 0 ? "0" : exact_duration(gc.every));
    out << YAML::Key << "delete_untagged" << YAML::Value << gc.delete_untagged;
    out << YAML::EndMap;
    out << YAML::EndMap;
    out << YAML::Key << "runner" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "jobs" << YAML::Value << config.runner.jobs;
    out << YAML::Key << "timeout" << YAML::Value << exact_duration(config.runner.timeout);
    out << YAML::Key << "log_max" << YAML::Value << exact_size(config.runner.log_max);
    out << YAML::Key << "keep_builds" << YAML::Value << config.runner.keep_builds;
    out << YAML::Key << "path" << YAML::Value << config.runner.path;
    out << YAML::Key << "sandbox" << YAML::Value << sandbox_name(config.runner.sandbox);
    out << YAML::EndMap;
    out << YAML::Key << "defaults" << YAML::Value;
    emit_repo(out, config.defaults, config.runner.timeout);
    out << YAML::EndMap;
    return finish(out);
}

std::string to_yaml(const RepoConfig& config, std::chrono::seconds runner_timeout) {
    YAML::Emitter out;
    emit_repo(out, config, runner_timeout);
    return finish(out);
}

}  // namespace kiln::config
