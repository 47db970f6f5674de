#pragma once

// What a build is: which commit of which repository, under which number, and
// why it was queued. Fixed when the build is queued and the same in the hook,
// the queue, the runner and the commands; every struct that describes a build
// holds one of these by value and adds only what it adds itself.

#include <string>

#include <nlohmann/json.hpp>

namespace kiln::queue {

/// The trigger of a build queued by a push.
inline constexpr const char* kTriggerPush = "push";
/// The trigger of a build queued by `kiln rebuild`.
inline constexpr const char* kTriggerRebuild = "rebuild";
/// `retry of #41`: the trigger of the build recovery queued again for
/// interrupted build `interrupted`.
std::string retry_trigger(int interrupted);

struct BuildIdentity {
    std::string repo;     ///< canonical: `app`, `team/app`
    int number = 0;       ///< per repo, from 1; 0 until enqueue_build allocates it
    std::string ref;      ///< `refs/heads/main`; empty for a rebuild of a commit no branch points at
    std::string sha;      ///< full hex commit id, built exactly
    std::string trigger;  ///< kTriggerPush, kTriggerRebuild, retry_trigger()
    /// The name of the key that pushed (or ran `kiln rebuild`), from
    /// KILN_PUSHED_BY; empty when unknown (a plain login, an old record). A
    /// retry of an interrupted build keeps it.
    std::string pushed_by;

    /// `main` for `refs/heads/main`; empty for any other ref (branch_of_ref).
    std::string branch() const;
    /// `app#42`: how logs and messages name a build.
    std::string label() const { return repo + "#" + std::to_string(number); }
};

/// The branch name of `ref` (`main` for `refs/heads/main`); empty otherwise.
/// The one place a branch is derived from a ref.
std::string branch_of_ref(const std::string& ref);

/// Sets the identity's fields of build.json and of a job file in `json`:
/// `repo`, `number`, `ref`, `branch` (derived from ref), `sha`, `trigger`,
/// `pushed_by`.
void add_identity(nlohmann::json& json, const BuildIdentity& build);

/// The identity in `json` (build.json or a job file). `repo` and `number` are
/// required: a nlohmann::json::exception when either is missing or mistyped.
/// `ref`, `sha`, `trigger` and `pushed_by` are empty when missing or not
/// strings (records written before kiln knew who pushed have no `pushed_by`);
/// `branch` is not read, since it follows from `ref`.
BuildIdentity identity_from_json(const nlohmann::json& json);

/// The variable that names the key a push or a command comes from: `kiln
/// shell NAME`, the forced command of each SSH key, sets it to NAME.
inline constexpr const char* kPushedByVariable = "KILN_PUSHED_BY";

/// True when `name` can name a key (common/names.h key_name_problem, the
/// rule `kiln key add` applies).
bool is_key_name(const std::string& name);

/// KILN_PUSHED_BY when it is_key_name(); empty when it is unset, or anything
/// else, which is logged as a warning and never fails the push or command:
/// the build is then recorded without a pusher.
std::string pushed_by_from_environment();

}  // namespace kiln::queue
