#include "runner/stop_abandoned.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include <signal.h>

#include <spdlog/spdlog.h>

#include "common/error.h"
#include "queue/leader_file.h"

namespace kiln::runner {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

/// How long a leader told to stop may take: its own grace (runner.kill_grace
/// defaults to 10 s) and its SIGKILL rounds.
constexpr std::chrono::seconds kLeaderStopWait{30};

/// Stops what `record` names; returns whether its leader was alive.
bool stop_leader(const queue::LeaderRecord& record) {
    const bool alive = leader_alive(record);
    if (alive) {
        ::kill(record.pid, SIGTERM);
        const auto give_up = Clock::now() + kLeaderStopWait;
        while (leader_alive(record) && Clock::now() < give_up) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        if (leader_alive(record)) {
            ::kill(record.pid, SIGKILL);
        }
    }
    kill_step_group(record);
    return alive;
}

}  // namespace

std::vector<AbandonedBuild> stop_abandoned_builds(const queue::StateLayout& layout) {
    std::vector<AbandonedBuild> stopped;
    std::error_code error;
    fs::recursive_directory_iterator it(layout.builds_root(), fs::directory_options::skip_permission_denied, error);
    if (error) {
        if (error == std::errc::no_such_file_or_directory) {
            return stopped;
        }
        throw StateError(describe("listing '" + layout.builds_root().string() + "'", error.message()));
    }
    std::vector<fs::path> leader_files;
    for (const fs::recursive_directory_iterator end; it != end; it.increment(error)) {
        if (error) {
            throw StateError(describe("listing '" + layout.builds_root().string() + "'", error.message()));
        }
        if (it->path().filename() == "leader" && it->is_regular_file(error)) {
            leader_files.push_back(it->path());
        }
    }
    for (const fs::path& file : leader_files) {
        const fs::path build_dir = file.parent_path();
        AbandonedBuild build;
        build.repo = build_dir.parent_path().lexically_relative(layout.builds_root()).generic_string();
        build.number = std::atoi(build_dir.filename().c_str());
        if (const std::optional<queue::LeaderRecord> record = queue::read_leader_file(file)) {
            build.leader_was_alive = stop_leader(*record);
            spdlog::info("build={}#{} event=abandoned_step_stopped leader={} leader_alive={}", build.repo,
                         build.number, record->pid, build.leader_was_alive);
        }
        fs::remove(file, error);
        stopped.push_back(build);
    }
    return stopped;
}

}  // namespace kiln::runner
