#include "queue/build_identity.h"

#include <cstdlib>
#include <string_view>

#include <spdlog/spdlog.h>

#include "common/names.h"

namespace kiln::queue {
namespace {

std::string read_string(const nlohmann::json& json, const char* key) {
    return json.contains(key) && json[key].is_string() ? json[key].get<std::string>() : std::string();
}

}  // namespace

std::string retry_trigger(int interrupted) {
    return "retry of #" + std::to_string(interrupted);
}

std::string branch_of_ref(const std::string& ref) {
    constexpr std::string_view kHeads = "refs/heads/";
    return ref.rfind(kHeads, 0) == 0 ? ref.substr(kHeads.size()) : std::string();
}

std::string BuildIdentity::branch() const {
    return branch_of_ref(ref);
}

void add_identity(nlohmann::json& json, const BuildIdentity& build) {
    json["repo"] = build.repo;
    json["number"] = build.number;
    json["ref"] = build.ref;
    json["branch"] = build.branch();
    json["sha"] = build.sha;
    json["trigger"] = build.trigger;
    json["pushed_by"] = build.pushed_by;
}

BuildIdentity identity_from_json(const nlohmann::json& json) {
    BuildIdentity build;
    build.repo = json.at("repo").get<std::string>();
    build.number = json.at("number").get<int>();
    build.ref = read_string(json, "ref");
    build.sha = read_string(json, "sha");
    build.trigger = read_string(json, "trigger");
    build.pushed_by = read_string(json, "pushed_by");
    return build;
}

bool is_key_name(const std::string& name) {
    return !key_name_problem(name);
}

std::string pushed_by_from_environment() {
    const char* value = std::getenv(kPushedByVariable);
    if (value == nullptr || *value == '\0') {
        return {};
    }
    const std::string name(value);
    if (!is_key_name(name)) {
        // Not quoted: a value that is no name may hold terminal escapes, and
        // this line reaches the pusher's terminal.
        spdlog::warn("{} is not a key name (letters, digits, '.', '_', '-'): recorded without pushed_by",
                     kPushedByVariable);
        return {};
    }
    return name;
}

}  // namespace kiln::queue
