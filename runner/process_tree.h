#pragma once

// Finding every process of a build step in /proc, killing and reaping them.
// Used by runner/process.cpp; no Boost.Process here.

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <sys/types.h>

namespace kiln::runner {

/// Main processes of running steps, not yet reaped. Boost.Process reaps them
/// (waitpid on their pid); the orphan reaper must leave them alone, and a
/// launch holds the lock so that a child dying at once cannot be reaped before
/// it is registered.
struct LiveSteps {
    std::mutex mutex;
    std::set<pid_t> mains;
};

/// The one registry of this process.
LiveSteps& live_steps();

/// One line of /proc/<pid>/stat, the fields kiln needs.
struct ProcEntry {
    pid_t pid = 0;
    pid_t ppid = 0;
    pid_t pgrp = 0;
    char state = '?';
    unsigned long long start_time = 0;  ///< clock ticks after boot: with pid, names a process for good
    bool zombie() const { return state == 'Z' || state == 'X'; }
};

/// Every process on the machine, as far as /proc lets us read it. Throws
/// ProcessError when /proc cannot be listed.
std::vector<ProcEntry> list_processes();

/// The processes of one launched step (see runner/process.h): the main
/// process and its descendants, its process group, the processes carrying its
/// KILN_STEP_ID, their descendants, and whatever was found before.
class StepTree {
public:
    StepTree(pid_t main_pid, const std::string& step_id);

    /// Boost.Process collected the main process: its pid may be reused now.
    void main_reaped() { main_alive_ = false; }

    /// Every process of the step, zombies included.
    std::vector<ProcEntry> processes();

    static int count_alive(const std::vector<ProcEntry>& processes);

    /// Sends `signal` to the step's process group.
    void signal_group(int signal) const;
    /// Sends `signal` to each live process of `processes`.
    void signal_each(const std::vector<ProcEntry>& processes, int signal) const;

    /// Reaps the zombies among `processes` that are our children (orphans
    /// re-parented to the subreaper), but never the main process: Boost.Process
    /// reaps that one and needs its status.
    void reap(const std::vector<ProcEntry>& processes) const;

private:
    pid_t main_;
    bool main_alive_ = true;
    std::map<pid_t, unsigned long long> known_;  ///< members seen by the last scan, with start times
    std::string marker_;  ///< `\0KILN_STEP_ID=<id>\0`, as it appears in /proc/<pid>/environ
};

}  // namespace kiln::runner
