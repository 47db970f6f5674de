#include "queue/record_life.h"

#include <cstdint>
#include <limits>
#include <system_error>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/file_modes.h"
#include "queue/build_log.h"
#include "queue/cancel.h"

namespace kiln::queue {
namespace {

std::filesystem::path request_file(const StateLayout& layout, const std::string& repo, int number) {
    return layout.notify_dir() / StateLayout::job_file_name(repo, number);
}

void write_notify_request(const StateLayout& layout, const BuildRecord& record) {
    create_private_dirs(layout.notify_dir());
    const nlohmann::json request{{"repo", record.id.repo}, {"number", record.id.number}};
    write_file_atomic(request_file(layout, record.id.repo, record.id.number), request.dump() + "\n");
}

}  // namespace

std::string cancelled_runner_died_reason() {
    return std::string(kCancelledByUser) + "; its runner died before it stopped";
}

std::string superseded_reason(int winner) {
    return "superseded by #" + std::to_string(winner);
}

std::string interrupted_reason(int requeued) {
    return "the runner died while it ran; queued again as #" + std::to_string(requeued);
}

void record_queued(const StateLayout& layout, const BuildRecord& record) {
    if (record.status != BuildStatus::queued) {
        throw Error("queuing build " + record.id.label() + ": its status is '" + to_string(record.status) +
                    "', not 'queued'");
    }
    write_record(layout, record);
}

bool record_running(const StateLayout& layout, BuildRecord& record) {
    const std::optional<BuildRecord> current = find_record(layout, record.id.repo, record.id.number);
    if (!current || current->status != BuildStatus::queued) {
        return false;
    }
    BuildRecord running = *current;
    running.status = BuildStatus::running;
    running.started_at = unix_now();
    write_record(layout, running);
    record = std::move(running);
    return true;
}

BuildRecord masked_record(BuildRecord record, const SecretMask& secrets) {
    if (secrets.empty()) {
        return record;
    }
    record.reason = secrets.apply(record.reason);
    for (std::string& target : record.targets) {
        target = secrets.apply(target);
    }
    record.image = secrets.apply(record.image);
    record.digest = secrets.apply(record.digest);
    for (NotifyDelivery& delivery : record.notify) {
        delivery.url = secrets.apply(delivery.url);
        delivery.error = secrets.apply(delivery.error);
    }
    return record;
}

bool finish_record(const StateLayout& layout, BuildRecord record, std::string_view log_line,
                   const SecretMask& secrets) {
    if (!is_final(record.status)) {
        throw Error("recording build " + record.id.label() + " as final: '" + to_string(record.status) +
                    "' is not a final status");
    }
    const std::optional<BuildRecord> current = find_record(layout, record.id.repo, record.id.number);
    if (!current || is_final(current->status)) {
        return false;
    }
    if (record.status == BuildStatus::cancelled && record.cancelled_by.empty()) {
        record.cancelled_by = cancel_requester(layout, record.id.repo, record.id.number);
    }
    if (!record.finished_at) {
        record.finished_at = unix_now();
    }
    record = masked_record(std::move(record), secrets);
    if (!log_line.empty()) {
        // The runner's own lines pass the size cap (BuildLog), so no cap here.
        BuildLog log(layout.log_file(record.id.repo, record.id.number), std::numeric_limits<std::uint64_t>::max());
        log.add_secrets(secrets);
        log.kiln(log_line);
    }
    // The request first: when the record cannot be written after it, the
    // notifier finds a build that is not final yet and leaves it for later.
    write_notify_request(layout, record);
    write_record(layout, record);
    std::error_code ignored;
    std::filesystem::remove(layout.cancel_file(record.id.repo, record.id.number), ignored);
    return true;
}

bool record_notified(const StateLayout& layout, const BuildIdentity& build, const std::vector<NotifyDelivery>& notify) {
    std::optional<BuildRecord> current = find_record(layout, build.repo, build.number);
    if (!current || !is_final(current->status)) {
        return false;
    }
    current->notify = notify;
    write_record(layout, *current);
    return true;
}

std::vector<NotifyRequest> pending_notifications(const StateLayout& layout) {
    std::vector<NotifyRequest> requests;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(layout.notify_dir(), ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() != ".json") {
            continue;  // one still being written
        }
        try {
            const nlohmann::json json = nlohmann::json::parse(read_file(it->path()));
            requests.push_back({json.at("repo").get<std::string>(), json.at("number").get<int>()});
        } catch (const std::exception& error) {
            spdlog::warn("notify_request={} problem=\"unreadable, removed: {}\"", it->path().string(), error.what());
            std::error_code ignored;
            std::filesystem::remove(it->path(), ignored);
        }
    }
    if (ec && ec != std::errc::no_such_file_or_directory) {
        throw StateError(describe("listing '" + layout.notify_dir().string() + "'", ec.message()));
    }
    return requests;
}

void remove_notify_request(const StateLayout& layout, const NotifyRequest& request) {
    const std::filesystem::path file = request_file(layout, request.repo, request.number);
    std::error_code ec;
    std::filesystem::remove(file, ec);
    if (ec) {
        throw StateError(describe("removing '" + file.string() + "'", ec.message()));
    }
}

}  // namespace kiln::queue
