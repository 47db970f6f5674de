#include "queue/enqueue.h"

#include <algorithm>
#include <cerrno>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/file_modes.h"
#include "common/posix.h"
#include "queue/queue.h"
#include "queue/record_life.h"

namespace kiln::queue {
namespace {

// Numbers come from an exclusive mkdir: of two hooks racing for #42, one
// creates the folder and the other gets EEXIST and tries #43.
int allocate_number(const StateLayout& layout, const std::string& repo) {
    const std::filesystem::path dir = layout.builds_dir(repo);
    create_private_dirs(dir);
    const std::vector<int> existing = build_numbers(layout, repo);
    int number = existing.empty() ? 1 : existing.back() + 1;
    for (;; ++number) {
        const std::filesystem::path candidate = layout.build_dir(repo, number);
        if (::mkdir(candidate.c_str(), kPrivateDirMode) == 0) {
            sync_directory(dir);
            return number;
        }
        if (errno != EEXIST) {
            check_errno(-1, "creating '" + candidate.string() + "'");
        }
    }
}

void create_empty_log(const std::filesystem::path& log) {
    UniqueFd fd(check_errno(::open(log.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, kPrivateFileMode), "creating '" + log.string() + "'"));
}

// The job file is in queue/ (or a runner already took it to running/).
bool job_landed(const StateLayout& layout, const BuildRecord& record) {
    const std::string job = StateLayout::job_file_name(record.id.repo, record.id.number);
    std::error_code ignored;
    return std::filesystem::exists(layout.queue_dir() / job, ignored) ||
           std::filesystem::exists(layout.running_dir() / job, ignored);
}

}  // namespace

BuildRecord enqueue_build(const StateLayout& layout, BuildIdentity build, const std::filesystem::path& repo_path,
                          std::optional<int> order) {
    build.number = allocate_number(layout, build.repo);
    BuildRecord record;
    record.id = std::move(build);
    record.status = BuildStatus::queued;
    record.queued_at = unix_now();
    record.order = order.value_or(record.id.number);
    try {
        create_empty_log(layout.log_file(record.id.repo, record.id.number));
        record_queued(layout, record);
        write_job(layout, job_for(record, repo_path));
    } catch (const StateError&) {
        if (job_landed(layout, record)) {
            return record;  // only the queue folder's fsync failed: the build is queued
        }
        // A number whose folder stays without a job would be burnt (the next
        // push takes the one after it) and look like a lost build. The folder
        // is ours alone: our mkdir made it.
        std::error_code ignored;
        std::filesystem::remove_all(layout.build_dir(record.id.repo, record.id.number), ignored);
        throw;
    }
    return record;
}

}  // namespace kiln::queue
