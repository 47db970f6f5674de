#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "queue/build_identity.h"
#include "queue/state_layout.h"

namespace kiln::queue {

/// A build's status as build.json records it. queued and running are the only
/// non-final ones.
enum class BuildStatus { queued, running, success, failed, timeout, cancelled, skipped, superseded, interrupted };

/// `queued`, `running`, `success`, ...: the spelling in build.json and tables.
std::string to_string(BuildStatus status);
/// The status spelled `text`, or nothing.
std::optional<BuildStatus> parse_status(std::string_view text);
/// True for every status a build never leaves.
bool is_final(BuildStatus status);

/// How one notify POST of a final build went.
struct NotifyDelivery {
    std::string url;    ///< without its query, which may hold a token
    std::string error;  ///< empty when the URL answered 2xx
};

/// Everything build.json holds (docs/state.md lists the JSON fields). Times
/// are unix seconds here and ISO 8601 UTC strings (`2024-05-01T12:00:00Z`) in
/// the file.
struct BuildRecord {
    BuildIdentity id;
    BuildStatus status = BuildStatus::queued;
    std::optional<std::int64_t> queued_at;
    std::optional<std::int64_t> started_at;
    std::optional<std::int64_t> finished_at;
    std::optional<int> exit_code;          ///< make's exit code, when make ran and exited
    std::vector<std::string> targets;      ///< make targets, recorded when the build ends
    std::string image;                     ///< `host:port/name:sha`, when an image was made
    std::string digest;                    ///< `sha256:...` of that image
    std::string reason;                    ///< why it ended as it did, for anything but success
    /// The key that ran `kiln cancel` on it (KILN_PUSHED_BY), once it is
    /// `cancelled` so; empty otherwise. finish_record takes it from the cancel
    /// file of a build that was running.
    std::string cancelled_by;
    /// Where this build stands among the pushes to its branch: the number of
    /// the push (or rebuild) it builds. Its own number, except for a retry of
    /// an interrupted build, which keeps the interrupted build's order, so a
    /// push made after the interrupted one always wins over its retry.
    int order = 0;
    std::vector<NotifyDelivery> notify;    ///< one per `notify:` URL, once the notifications went out

    /// finished - started, or now - started while running; nothing before it started.
    std::optional<std::int64_t> duration_seconds(std::int64_t now) const;
};

/// The build.json form (null for unset optional fields).
nlohmann::json to_json(const BuildRecord& record);
/// Parses build.json content. Throws StateError naming `source` when malformed.
BuildRecord record_from_json(const nlohmann::json& json, const std::string& source);

/// Reads builds/<repo>/<n>/build.json. Throws StateError: `reading build app#42:
/// no such build` when the build does not exist.
BuildRecord read_record(const StateLayout& layout, const std::string& repo, int number);
/// Same, but nothing when the build does not exist.
std::optional<BuildRecord> find_record(const StateLayout& layout, const std::string& repo, int number);
/// Writes build.json atomically (tmp + fsync + rename), whatever is on disk.
/// kiln changes a record only through queue/record_life.h, which keeps final
/// records final; tests call this to set up a state. Throws StateError.
void write_record(const StateLayout& layout, const BuildRecord& record);

/// Build numbers of `repo` that have a folder under builds/, ascending.
std::vector<int> build_numbers(const StateLayout& layout, const std::string& repo);
/// Every repo with a folder under builds/ (`app`, `team/app`), sorted.
std::vector<std::string> build_repos(const StateLayout& layout);

/// Seconds since the epoch, now.
std::int64_t unix_now();
/// `2024-05-01T12:00:00Z`.
std::string format_iso8601(std::int64_t unix_seconds);
/// The inverse of format_iso8601; nothing when malformed.
std::optional<std::int64_t> parse_iso8601(std::string_view text);

}  // namespace kiln::queue
