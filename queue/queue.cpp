#include "queue/queue.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <map>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/file_modes.h"
#include "common/posix.h"
#include "queue/build_record.h"
#include "queue/record_life.h"

namespace kiln::queue {
namespace {

nlohmann::json job_to_json(const Job& job) {
    nlohmann::json json{{"repo_path", job.repo_path.string()}, {"queued_at", job.queued_at}, {"order", job.order}};
    add_identity(json, job.id);
    return json;
}

std::optional<Job> read_job(const std::filesystem::path& file) {
    std::string text;
    try {
        text = read_file(file);
    } catch (const StateError&) {
        return std::nullopt;  // claimed or cancelled between listing and reading
    }
    const nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
    try {
        if (json.is_discarded()) {
            throw StateError("not valid JSON");
        }
        Job job;
        job.id = identity_from_json(json);
        job.id.sha = json.at("sha").get<std::string>();  // a job without its commit builds nothing
        job.repo_path = json.value("repo_path", std::string());
        job.queued_at = json.value("queued_at", std::int64_t{0});
        job.order = json.value("order", job.id.number);
        return job;
    } catch (const std::exception& error) {
        spdlog::warn("job={} problem=\"unreadable job file, left alone: {}\"", file.string(), error.what());
        return std::nullopt;
    }
}

std::vector<Job> list_jobs(const std::filesystem::path& dir) {
    std::vector<Job> jobs;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() != ".json") {
            continue;  // a job still being written (`.json.tmp.<pid>`)
        }
        if (std::optional<Job> job = read_job(it->path())) {
            jobs.push_back(std::move(*job));
        }
    }
    if (ec && ec != std::errc::no_such_file_or_directory) {
        throw StateError(describe("listing '" + dir.string() + "'", ec.message()));
    }
    std::sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) {
        return a.queued_at != b.queued_at ? a.queued_at < b.queued_at
               : a.id.repo != b.id.repo   ? a.id.repo < b.id.repo
                                          : a.id.number < b.id.number;
    });
    return jobs;
}

void ensure_dir(const std::filesystem::path& dir) {
    create_private_dirs(dir);
}

}  // namespace

std::string Job::file_name() const {
    return StateLayout::job_file_name(id.repo, id.number);
}

Job job_for(const BuildRecord& record, const std::filesystem::path& repo_path) {
    Job job;
    job.id = record.id;
    job.repo_path = repo_path;
    job.queued_at = record.queued_at.value_or(0);
    job.order = record.order;
    return job;
}

void write_job(const StateLayout& layout, const Job& job) {
    ensure_dir(layout.queue_dir());
    write_file_atomic(layout.queue_dir() / job.file_name(), job_to_json(job).dump(2) + "\n");
}

std::vector<Job> list_queued(const StateLayout& layout) {
    return list_jobs(layout.queue_dir());
}

std::vector<Job> list_claimed(const StateLayout& layout) {
    return list_jobs(layout.running_dir());
}

bool claim_job(const StateLayout& layout, const Job& job) {
    ensure_dir(layout.running_dir());
    const std::filesystem::path from = layout.queue_dir() / job.file_name();
    const std::filesystem::path to = layout.running_dir() / job.file_name();
    if (std::rename(from.c_str(), to.c_str()) != 0) {
        if (errno == ENOENT) {
            return false;
        }
        check_errno(-1, "claiming job '" + from.string() + "'");
    }
    return true;
}

void release_job(const StateLayout& layout, const Job& job) {
    const std::filesystem::path file = layout.running_dir() / job.file_name();
    if (::unlink(file.c_str()) != 0 && errno != ENOENT) {
        check_errno(-1, "removing job '" + file.string() + "'");
    }
}

void unclaim_job(const StateLayout& layout, const Job& job) {
    ensure_dir(layout.queue_dir());
    const std::filesystem::path from = layout.running_dir() / job.file_name();
    const std::filesystem::path to = layout.queue_dir() / job.file_name();
    check_errno(std::rename(from.c_str(), to.c_str()), "returning job '" + from.string() + "' to the queue");
}

std::vector<Job> coalesce_queued(const StateLayout& layout, const std::vector<Job>& queued) {
    // By branch: the job of the newest push, as (order, number).
    std::map<std::string, std::pair<int, int>> newest;
    for (const Job& job : queued) {
        std::pair<int, int>& best = newest[job.branch_key()];
        best = std::max(best, std::make_pair(job.order, job.id.number));
    }
    std::vector<Job> kept;
    for (const Job& job : queued) {
        const int winner = newest[job.branch_key()].second;
        if (job.id.number == winner) {
            kept.push_back(job);
            continue;
        }
        if (!claim_job(layout, job)) {
            continue;
        }
        supersede(layout, job, winner);
        release_job(layout, job);
    }
    return kept;
}

std::optional<int> newer_push(const StateLayout& layout, const Job& job) {
    std::optional<std::pair<int, int>> newest;  // (order, number)
    for (const int number : build_numbers(layout, job.id.repo)) {
        if (number == job.id.number) {
            continue;
        }
        std::optional<BuildRecord> record;
        try {
            record = find_record(layout, job.id.repo, number);
        } catch (const StateError&) {
            continue;  // a damaged record is no push; kiln builds warns about it
        }
        if (record && record->id.branch() == job.id.branch() && record->order > job.order) {
            newest = std::max(newest.value_or(std::make_pair(0, 0)), std::make_pair(record->order, number));
        }
    }
    if (!newest) {
        return std::nullopt;
    }
    return newest->second;
}

void supersede(const StateLayout& layout, const Job& job, int winner) {
    std::optional<BuildRecord> record = find_record(layout, job.id.repo, job.id.number);
    if (!record) {
        return;
    }
    record->status = BuildStatus::superseded;
    record->reason = superseded_reason(winner);
    if (finish_record(layout, *record)) {
        spdlog::info("build={} status=superseded by={}#{}", record->id.label(), job.id.repo, winner);
    }
}

}  // namespace kiln::queue
