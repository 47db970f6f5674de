#include "runner/runner.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "common/error.h"
#include "common/file_modes.h"
#include "common/posix.h"
#include "queue/cancel.h"
#include "queue/build_log.h"
#include "queue/record_life.h"
#include "runner/gc_schedule.h"
#include "runner/notifier.h"
#include "runner/recovery.h"
#include "runner/retention.h"
#include "runner/sandbox.h"
#include "runner/secrets.h"
#include "queue/runner_lock.h"
#include "releases/ledger.h"
#include "runner/stop_abandoned.h"

namespace kiln::runner {
namespace {

constexpr char kWakeSignal = 'S';
constexpr char kWakeDone = 'D';
/// How often a final record that could not be written is tried again.
constexpr std::chrono::seconds kRecordRetry{2};

// The write end of the daemon's wake pipe, for the signal handler: write() is
// async-signal-safe, and unlike a blocked signal mask nothing of this leaks
// into the builds' processes.
std::atomic<int> g_wake_fd{-1};

extern "C" void on_stop_signal(int) {
    const int saved_errno = errno;
    const int fd = g_wake_fd.load();
    if (fd >= 0) {
        [[maybe_unused]] const ssize_t ignored = ::write(fd, &kWakeSignal, 1);
    }
    errno = saved_errno;
}

// Installs the SIGTERM/SIGINT handlers for the daemon's life, then restores
// the previous ones.
class StopSignals {
public:
    explicit StopSignals(int wake_fd) {
        g_wake_fd = wake_fd;
        struct sigaction action {};
        action.sa_handler = on_stop_signal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        ::sigaction(SIGTERM, &action, &old_term_);
        ::sigaction(SIGINT, &action, &old_int_);
    }
    ~StopSignals() {
        ::sigaction(SIGTERM, &old_term_, nullptr);
        ::sigaction(SIGINT, &old_int_, nullptr);
        g_wake_fd = -1;
    }
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

private:
    struct sigaction old_term_ {};
    struct sigaction old_int_ {};
};

std::string seconds_text(std::int64_t seconds) {
    return std::to_string(seconds) + "s";
}

class Daemon {
public:
    Daemon(const config::Config& config, const RunnerOptions& options, const JobRunner& job_runner)
        : config_(config), layout_(config.state_dir), options_(options), job_runner_(job_runner) {
        int fds[2];
        check_errno(::pipe2(fds, O_CLOEXEC | O_NONBLOCK), "creating the runner's wake pipe");
        wake_read_ = UniqueFd(fds[0]);
        wake_write_ = UniqueFd(fds[1]);
    }

    int run() {
        const StopSignals signals(wake_write_.get());
        create_private_dirs(layout_.queue_dir());
        const UniqueFd watch(check_errno(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK), "watching the queue"));
        check_errno(::inotify_add_watch(watch.get(), layout_.queue_dir().c_str(), IN_MOVED_TO | IN_CLOSE_WRITE),
                    "watching '" + layout_.queue_dir().string() + "'");
        spdlog::info("event=started pid={} jobs={} state_dir={} once={}", ::getpid(), config_.runner.jobs,
                     layout_.root().string(), options_.once);
        notifier_.emplace(config_, options_.rescan);
        if (GcSchedule::wanted(config_)) {
            gc_.emplace(config_);
        }
        for (;;) {
            reap_finished();
            bool queue_empty = true;
            if (!stopping_) {
                try {
                    queue_empty = start_queued();
                } catch (const Error& error) {
                    // A bad job or a full disk must not take the daemon down; the
                    // next event or rescan tries again.
                    spdlog::error("event=scan_failed problem=\"{}\"", error.what());
                }
            }
            if (active_count() == 0 && (stopping_ || (options_.once && queue_empty))) {
                break;
            }
            wait_for_event(watch.get());
            notifier_->wake();
        }
        if (!stopping_) {
            notifier_->drain();  // --once: what ended gets its notifications before we exit
            if (gc_) {
                gc_->drain();
            }
        }
        gc_.reset();
        notifier_.reset();
        spdlog::info("event=stopped");
        return kExitOk;
    }

private:
    struct Active {
        std::thread thread;
        std::string repo;
        int slot = 0;
        bool done = false;
    };

    std::size_t active_count() {
        const std::lock_guard lock(mutex_);
        return active_.size();
    }

    // Returns true when the queue held nothing to run.
    bool start_queued() {
        const std::vector<queue::Job> jobs = coalesce_queued(layout_, list_queued(layout_));
        for (const queue::Job& job : jobs) {
            if (active_count() >= static_cast<std::size_t>(std::max(1, config_.runner.jobs))) {
                break;
            }
            bool busy = false;
            {
                const std::lock_guard lock(mutex_);
                busy = active_.count(job.branch_key()) != 0;
            }
            if (!busy) {
                start(job);
            }
        }
        // A job that ended before it ran (superseded, cancelled) left the queue.
        return list_queued(layout_).empty();
    }

    void start(const queue::Job& job) {
        if (!claim_job(layout_, job)) {
            return;  // cancelled, or another runner was quicker
        }
        std::optional<queue::BuildRecord> record;
        try {
            record = find_record(layout_, job.id.repo, job.id.number);
        } catch (const StateError& error) {
            spdlog::error("build={}#{} problem=\"{}\"", job.id.repo, job.id.number, error.what());
        }
        if (!record || is_final(record->status)) {
            release_job(layout_, job);  // cancelled meanwhile, or its record is gone
            return;
        }
        // Build numbers are not the order of the pushes: a retry of an
        // interrupted build gets a new number but builds an older push.
        if (const std::optional<int> newer = newer_push(layout_, job)) {
            supersede(layout_, job, *newer);
            release_job(layout_, job);
            return;
        }
        if (cancel_requested(layout_, job.id.repo, job.id.number)) {
            record->status = queue::BuildStatus::cancelled;
            record->reason = queue::kCancelledBeforeStart;
            finish_record(layout_, *record);
            release_job(layout_, job);
            spdlog::info("build={} status=cancelled", record->id.label());
            return;
        }
        if (!record_running(layout_, *record)) {
            release_job(layout_, job);  // it ended meanwhile
            return;
        }

        const std::lock_guard lock(mutex_);
        const int slot = free_slot(job.id.repo);
        spdlog::info("build={} status=running branch={} sha={} slot={}", record->id.label(), job.id.branch(),
                     job.id.sha.substr(0, 8), slot);
        Active& active = active_[job.branch_key()];
        active.repo = job.id.repo;
        active.slot = slot;
        active.thread = std::thread([this, job, slot] { build(job, slot); });
    }

    // The lowest slot no running build of `repo` uses; needs mutex_.
    int free_slot(const std::string& repo) const {
        std::set<int> used;
        for (const auto& [key, active] : active_) {
            if (active.repo == repo) {
                used.insert(active.slot);
            }
        }
        int slot = 0;
        while (used.count(slot) != 0) {
            ++slot;
        }
        return slot;
    }

    // One build, on its own thread; nothing it throws may escape.
    void build(const queue::Job& job, int slot) {
        const std::function<bool()> cancel = [this, &job] {
            return cancel_all_.load() || cancel_requested(layout_, job.id.repo, job.id.number);
        };
        JobResult result;
        try {
            result = job_runner_(config_, job, slot, cancel);
        } catch (const std::exception& error) {
            result.status = queue::BuildStatus::failed;
            result.reason = error.what();
            result.secrets = secret_mask_of(config_.secrets_dir, job.id.repo);
            try {
                queue::BuildLog log(layout_.log_file(job.id.repo, job.id.number), config_.runner.log_max);
                log.add_secrets(result.secrets);
                log.kiln(std::string("error: ") + error.what());
            } catch (const Error& log_error) {
                spdlog::error("build={}#{} problem=\"{}\"", job.id.repo, job.id.number, log_error.what());
            }
        }
        if (result.status == queue::BuildStatus::cancelled) {
            result.reason = cancel_all_.load()       ? queue::kRunnerStopped
                            : !result.reason.empty() ? result.reason
                                                     : queue::kCancelledByUser;
        }
        record_result(job, result);
        if (gc_ && result.images_pruned > 0) {
            gc_->after_prune();
        }
        {
            const std::lock_guard lock(mutex_);
            active_[job.branch_key()].done = true;
        }
        [[maybe_unused]] const ssize_t ignored = ::write(wake_write_.get(), &kWakeDone, 1);
    }

    // Writes the final record, retrying while the state dir cannot take it (a
    // full disk): the build holds its branch until then, so the next push to
    // it cannot start before this one is final. Gives up only when the runner
    // stops; the next runner's recovery then records it interrupted.
    void record_result(const queue::Job& job, const JobResult& result) {
        for (int attempt = 1;; ++attempt) {
            try {
                finish(job, result);
                return;
            } catch (const std::exception& error) {
                if (cancel_all_) {
                    spdlog::error("build={}#{} problem=\"recording the result: {}\" action=give_up", job.id.repo,
                                  job.id.number, error.what());
                    return;
                }
                spdlog::error("build={}#{} problem=\"recording the result: {}\" attempt={} retry_in={}", job.id.repo,
                              job.id.number, error.what(), attempt, seconds_text(kRecordRetry.count()));
            }
            const auto until = std::chrono::steady_clock::now() + kRecordRetry;
            while (!cancel_all_ && std::chrono::steady_clock::now() < until) {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        }
    }

    // A successful build that made an image is a release. The record is
    // final already, so this never throws: a retry of finish() would record
    // the release twice. A ledger that cannot be written (a full disk) costs
    // the release its line, which the log says.
    void record_release(const queue::BuildRecord& record, const std::vector<std::string>& tags) {
        if (record.status != queue::BuildStatus::success || record.digest.empty()) {
            return;
        }
        releases::LedgerEvent release;
        release.kind = releases::EventKind::release;
        release.at = record.finished_at.value_or(queue::unix_now());
        release.by = record.id.pushed_by;
        release.number = record.id.number;
        release.sha = record.id.sha;
        release.image = record.image;
        release.digest = record.digest;
        release.tags = tags;
        try {
            releases::append_event(layout_, record.id.repo, release);
        } catch (const Error& error) {
            spdlog::error("build={} problem=\"recording the release: {}\"", record.id.label(), error.what());
        }
    }

    void finish(const queue::Job& job, const JobResult& result) {
        queue::BuildRecord record = read_record(layout_, job.id.repo, job.id.number);
        record.status = result.status;
        record.exit_code = result.exit_code;
        record.reason = result.status == queue::BuildStatus::success ? std::string() : result.reason;
        if (!result.targets.empty()) {
            record.targets = result.targets;
        }
        record.image = result.image;
        record.digest = result.digest;
        record.finished_at = queue::unix_now();
        // Masked here already, not only in build.json: the lines logged below quote it.
        record = queue::masked_record(std::move(record), result.secrets);
        const bool finished = finish_record(layout_, record, {}, result.secrets);
        if (!finished) {
            spdlog::warn("build={} problem=\"its record was final already; kept as it was\"", record.id.label());
        }
        release_job(layout_, job);
        if (finished) {
            record_release(record, result.tags);
        }
        const std::int64_t duration = record.duration_seconds(*record.finished_at).value_or(0);
        if (record.reason.empty()) {
            spdlog::info("build={} status={} duration={}", record.id.label(), to_string(record.status),
                         seconds_text(duration));
        } else {
            spdlog::info("build={} status={} duration={} reason=\"{}\"", record.id.label(), to_string(record.status),
                         seconds_text(duration), record.reason);
        }
        if (notifier_) {
            notifier_->wake();
        }
        const std::lock_guard lock(prune_mutex_);
        const std::vector<int> pruned = prune_builds(layout_, job.id.repo, config_.runner.keep_builds);
        if (!pruned.empty()) {
            spdlog::info("repo={} pruned={} newest_pruned=#{}", job.id.repo, pruned.size(), pruned.back());
        }
    }

    void reap_finished() {
        std::vector<std::thread> finished;
        {
            const std::lock_guard lock(mutex_);
            for (auto it = active_.begin(); it != active_.end();) {
                if (it->second.done) {
                    finished.push_back(std::move(it->second.thread));
                    it = active_.erase(it);
                } else {
                    ++it;
                }
            }
        }
        for (std::thread& thread : finished) {
            thread.join();
        }
    }

    void wait_for_event(int watch_fd) {
        int timeout = static_cast<int>(options_.rescan.count());
        if (stopping_ && !cancel_all_) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(stop_deadline_ -
                                                                                    std::chrono::steady_clock::now());
            timeout = static_cast<int>(std::clamp<std::int64_t>(left.count(), 0, timeout));
        }
        pollfd fds[2] = {{wake_read_.get(), POLLIN, 0}, {watch_fd, POLLIN, 0}};
        if (::poll(fds, 2, timeout) < 0 && errno != EINTR) {
            check_errno(-1, "waiting for jobs");
        }
        char bytes[64];
        ssize_t got = 0;
        while ((got = ::read(wake_read_.get(), bytes, sizeof bytes)) > 0) {
            if (std::find(bytes, bytes + got, kWakeSignal) != bytes + got) {
                on_stop_signal_received();
            }
        }
        char events[4096];
        while (::read(watch_fd, events, sizeof events) > 0) {
        }
        if (stopping_ && !cancel_all_ && std::chrono::steady_clock::now() >= stop_deadline_) {
            spdlog::warn("event=stop_grace_over running={} action=cancel", active_count());
            cancel_all_ = true;
        }
    }

    void on_stop_signal_received() {
        if (stopping_) {
            spdlog::warn("event=second_stop_signal running={} action=cancel", active_count());
            cancel_all_ = true;
            return;
        }
        stopping_ = true;
        stop_deadline_ = std::chrono::steady_clock::now() + options_.stop_grace;
        spdlog::info("event=stopping running={} grace={}", active_count(), seconds_text(options_.stop_grace.count()));
    }

    const config::Config& config_;
    queue::StateLayout layout_;
    RunnerOptions options_;
    const JobRunner& job_runner_;
    UniqueFd wake_read_;
    UniqueFd wake_write_;
    bool stopping_ = false;
    std::chrono::steady_clock::time_point stop_deadline_;
    std::atomic<bool> cancel_all_{false};
    std::mutex prune_mutex_;  // two builds of a repo ending at once prune once
    std::mutex mutex_;
    std::map<std::string, Active> active_;  // by Job::branch_key()
    std::optional<GcSchedule> gc_;          // registry.gc.after_prune, registry.gc.every
    std::optional<Notifier> notifier_;      // declared last: stopped before what it reads
};

}  // namespace

int run_runner(const config::Config& config, const RunnerOptions& options, const JobRunner& job_runner) {
    const queue::StateLayout layout(config.state_dir);
    const std::optional<queue::RunnerLock> lock = queue::RunnerLock::try_acquire(layout);
    if (!lock) {
        spdlog::debug("event=not_started why=\"another runner holds {}\"", layout.runner_lock().string());
        return kExitOk;
    }
    // A dead runner's steps must be gone before recovery queues their
    // retries into the same worktree slots.
    stop_abandoned_builds(layout);
    for (const RecoveredBuild& recovered : recover_builds(layout)) {
        spdlog::info("build={} status=interrupted requeued={} trigger=\"{}\"", recovered.interrupted.id.label(),
                     recovered.requeued.id.label(), recovered.requeued.id.trigger);
    }
    // Tried once, before the first build: every build's log says the same.
    spdlog::info("event=sandbox summary=\"{}\"", sandbox_choice(config).summary);
    Daemon daemon(config, options, job_runner);
    return daemon.run();
}

}  // namespace kiln::runner
