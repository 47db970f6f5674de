#include "runner/process_tree.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/error.h"
#include "common/posix.h"
#include "runner/process.h"

namespace kiln::runner {
namespace {

/// Reads a small /proc file; empty when the process is gone or unreadable.
std::string read_proc_file(const std::string& path, std::size_t limit) {
    const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) {
        return {};
    }
    std::string content;
    std::array<char, 4096> buffer{};
    while (content.size() < limit) {
        const ssize_t got = ::read(fd.get(), buffer.data(), buffer.size());
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            break;
        }
        content.append(buffer.data(), static_cast<std::size_t>(got));
    }
    return content;
}

/// `pid (comm) state ppid pgrp ...`; comm may hold spaces and parentheses.
std::optional<ProcEntry> read_stat(pid_t pid) {
    const std::string stat = read_proc_file("/proc/" + std::to_string(pid) + "/stat", 1024);
    const auto close = stat.rfind(')');
    if (close == std::string::npos || close + 2 >= stat.size()) {
        return std::nullopt;
    }
    ProcEntry entry;
    entry.pid = pid;
    int ppid = 0;
    int pgrp = 0;
    // Fields 3 to 22 of proc(5): state ppid pgrp ... starttime.
    if (std::sscanf(stat.c_str() + close + 2,
                    "%c %d %d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu", &entry.state,
                    &ppid, &pgrp, &entry.start_time) != 4) {
        return std::nullopt;
    }
    entry.ppid = ppid;
    entry.pgrp = pgrp;
    return entry;
}

bool has_step_id(pid_t pid, const std::string& marker) {
    const std::string environ = '\0' + read_proc_file("/proc/" + std::to_string(pid) + "/environ", 1 << 20);
    return environ.find(marker) != std::string::npos;
}

}  // namespace

std::vector<ProcEntry> list_processes() {
    std::vector<ProcEntry> processes;
    const std::unique_ptr<DIR, int (*)(DIR*)> proc(::opendir("/proc"), ::closedir);
    if (!proc) {
        throw ProcessError(describe("listing processes in /proc", std::strerror(errno)));
    }
    while (const dirent* entry = ::readdir(proc.get())) {
        char* end = nullptr;
        const long pid = std::strtol(entry->d_name, &end, 10);
        if (pid <= 0 || *end != '\0') {
            continue;
        }
        if (const auto stat = read_stat(static_cast<pid_t>(pid))) {
            processes.push_back(*stat);
        }
    }
    return processes;
}

LiveSteps& live_steps() {
    static LiveSteps steps;
    return steps;
}

StepTree::StepTree(pid_t main_pid, const std::string& step_id)
    : main_(main_pid), marker_(std::string(1, '\0') + kStepIdVariable + "=" + step_id + '\0') {}

std::vector<ProcEntry> StepTree::processes() {
    const std::vector<ProcEntry> all = list_processes();
    const pid_t self = ::getpid();
    std::set<pid_t> members;
    for (const ProcEntry& process : all) {
        if (process.pid == self) {
            continue;
        }
        const auto known = known_.find(process.pid);
        const bool seed = (known != known_.end() && known->second == process.start_time) ||
                          (main_alive_ && process.pid == main_) || process.pgrp == main_ ||
                          (!process.zombie() && has_step_id(process.pid, marker_));
        if (seed) {
            members.insert(process.pid);
        }
    }
    // Descendants of members are members: a child that left the group
    // with a fresh environment is still found through its parent.
    for (bool grew = true; grew;) {
        grew = false;
        for (const ProcEntry& process : all) {
            if (process.pid != self && members.count(process.ppid) != 0 && members.insert(process.pid).second) {
                grew = true;
            }
        }
    }
    // A member stays one: a zombie has no environment left, and one
    // re-parented to us no longer shows its group's ancestry.
    known_.clear();
    std::vector<ProcEntry> result;
    for (const ProcEntry& process : all) {
        if (members.count(process.pid) != 0) {
            result.push_back(process);
            known_.emplace(process.pid, process.start_time);
        }
    }
    return result;
}

int StepTree::count_alive(const std::vector<ProcEntry>& processes) {
    return static_cast<int>(std::count_if(processes.begin(), processes.end(),
                                          [](const ProcEntry& p) { return !p.zombie(); }));
}

void StepTree::signal_group(int signal) const {
    ::kill(-main_, signal);
}

void StepTree::signal_each(const std::vector<ProcEntry>& processes, int signal) const {
    for (const ProcEntry& process : processes) {
        if (!process.zombie()) {
            ::kill(process.pid, signal);
        }
    }
}

void StepTree::reap(const std::vector<ProcEntry>& processes) const {
    const pid_t self = ::getpid();
    const std::lock_guard lock(live_steps().mutex);
    for (const ProcEntry& process : processes) {
        if (process.zombie() && process.ppid == self && process.pid != main_ &&
            live_steps().mains.count(process.pid) == 0) {
            ::waitpid(process.pid, nullptr, WNOHANG);
        }
    }
}

}  // namespace kiln::runner
