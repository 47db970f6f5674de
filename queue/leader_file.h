#pragma once

// The record of a build step's leader (`kiln build-leader`), kept in
// builds/<repo>/<n>/leader while the step runs: enough to tell, after the
// runner is gone, whether the leader still lives and which process group to
// kill if it does not. No /proc scan: one process is looked up by its pid.

#include <filesystem>
#include <optional>

#include <nlohmann/json.hpp>

#include <sys/types.h>

namespace kiln::queue {

struct LeaderRecord {
    pid_t pid = 0;                      ///< the leader
    unsigned long long start_time = 0;  ///< its /proc/<pid>/stat field 22, so a reused pid is never taken for it
    pid_t group = 0;                    ///< the step's process group (its main process's pid)
    unsigned long long group_start_time = 0;  ///< the main process's start time
};

/// Writes `record` to `path` atomically (JSON: pid, start_time, group,
/// group_start_time). Throws StateError.
void write_leader_file(const std::filesystem::path& path, const LeaderRecord& record);

/// The record in `path`; nothing when the file is missing or unreadable as one.
std::optional<LeaderRecord> read_leader_file(const std::filesystem::path& path);

/// The JSON in `path` (the leader file, the step's status file); nothing when
/// it is missing or not valid JSON. The leader and the runner write both
/// atomically, so a reader sees a whole file or none.
std::optional<nlohmann::json> read_json_file(const std::filesystem::path& path);

/// The start time of process `pid` (clock ticks after boot, /proc/<pid>/stat
/// field 22); nothing when no such process exists.
std::optional<unsigned long long> process_start_time(pid_t pid);

/// True when the process `record` names is alive: same pid, same start time,
/// and not a zombie.
bool leader_alive(const LeaderRecord& record);

/// SIGKILL to the step's process group of `record`, unless its id now names
/// another process (a pid in use as a group id is never given out again, so
/// a process with the group's pid and another start time means the group
/// is gone).
void kill_step_group(const LeaderRecord& record);

}  // namespace kiln::queue
