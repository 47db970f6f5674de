#include "queue/build_liveness.h"

#include "queue/leader_file.h"
#include "queue/runner_lock.h"

namespace kiln::queue {

bool build_is_live(const StateLayout& layout, const std::string& repo, int number) {
    if (runner_running(layout)) {
        return true;
    }
    const std::optional<LeaderRecord> leader = read_leader_file(layout.leader_file(repo, number));
    return leader && leader_alive(*leader);
}

BuildRecord displayed_record(const StateLayout& layout, BuildRecord record) {
    if (record.status == BuildStatus::running && !build_is_live(layout, record.id.repo, record.id.number)) {
        record.status = BuildStatus::interrupted;
        record.reason = kAbandonedReason;
    }
    return record;
}

}  // namespace kiln::queue
