#pragma once

// The release ledger: one append-only file per repository,
// <state_dir>/releases/<repo>.jsonl, a JSON object per line, oldest first.
// It records what happened to a repository's images from push to running
// digest: each release (a successful build that made an image), each
// rollback, each deploy a deploy host reported. Unlike build records, which
// image.keep and runner.keep_builds prune, the ledger is never rewritten, so
// rollback and retention can always look back at what was released and what
// runs where.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "queue/state_layout.h"

namespace kiln::releases {

enum class EventKind { release, rollback, deploy };

/// `release`, `rollback`, `deploy`: the spelling of `kind` in the file.
std::string to_string(EventKind kind);

/// What a deploy host reported (`kiln deployed --status`).
enum class DeployStatus {
    deployed,   ///< the deploy command exited 0 (and the health check passed)
    failed,     ///< the deploy command exited non-zero
    unhealthy,  ///< it exited 0, but the health URL never answered 2xx in time
    reverted,   ///< the host went back to the digest that ran before
};

std::string to_string(DeployStatus status);
std::optional<DeployStatus> parse_deploy_status(const std::string& text);
/// True when, after this report, the host runs the reported digest.
bool runs_reported_digest(DeployStatus status);

/// One line of the ledger. Which fields a kind uses is said per field; the
/// others stay empty.
struct LedgerEvent {
    EventKind kind = EventKind::release;
    std::int64_t at = 0;            ///< unix seconds (ISO 8601 UTC in the file)
    std::string by;                 ///< the key name (KILN_PUSHED_BY) behind it; empty when unknown
    int number = 0;                 ///< release: its build; rollback: the release rolled back to
    std::string sha;                ///< release, rollback: that build's commit
    std::string image;              ///< release, rollback: `host:port/name:<sha>`
    std::string digest;             ///< release: its image; rollback: the digest moved to; deploy: the digest reported
    std::vector<std::string> tags;  ///< release: the tags it got; rollback: the tags moved
    int from_number = 0;            ///< rollback: the release `latest` named before (0: none known)
    std::string from_digest;        ///< rollback: the digest `latest` named before
    std::string host;               ///< deploy: the reporting host
    DeployStatus status = DeployStatus::deployed;  ///< deploy
    std::optional<int> exit_code;   ///< deploy: the deploy command's exit status
};

/// The event as its line in the file holds it; `kiln releases --json` prints the same.
nlohmann::json to_json(const LedgerEvent& event);

/// <state_dir>/releases/<repo>.jsonl.
std::filesystem::path ledger_file(const queue::StateLayout& layout, const std::string& repo);

/// Appends `event` as one line: under an flock, in one write, then fsync, so
/// concurrent writers (the runner, `kiln rollback`, `kiln deployed`) never
/// interleave and a crash loses at most the line being written. Creates the
/// file 0600 and its folders 0700. Throws StateError (a full disk says so).
void append_event(const queue::StateLayout& layout, const std::string& repo, const LedgerEvent& event);

/// Every event of `repo`, oldest first; none when it has no ledger. A line
/// that does not parse (a torn last line after a crash, a hand edit) is
/// skipped with a warning, never fatal. Throws StateError when the file exists
/// but cannot be read.
std::vector<LedgerEvent> read_ledger(const queue::StateLayout& layout, const std::string& repo);

/// Every repo that has a ledger (`app`, `team/app`), sorted.
std::vector<std::string> ledger_repos(const queue::StateLayout& layout);

}  // namespace kiln::releases
