#pragma once

// The life of a build record, and the one way through it: queued (the hook,
// `kiln rebuild`, recovery), running (the runner starts it), then final, by
// whoever ends it: the runner when a build ends, coalescing (superseded),
// `kiln cancel` of a queued build, recovery after a dead runner (interrupted,
// or cancelled). Every final record asks for its notifications, and a final
// record is never rewritten: only its `notify` field is added, once.
//
// Each step reads build.json and then replaces it, with no lock of its own:
// the one who may move a build on holds its job, and that is what makes the
// read-then-write safe. The hook and `kiln rebuild` write a record before
// its job exists; whoever claims the job (the runner, or `kiln cancel` of a
// queued build) is the only one to take it past queued; recovery and the
// runner's own ends run under the runner lock, with the claim held.

#include <string>
#include <string_view>
#include <vector>

#include "common/secret_mask.h"
#include "queue/build_record.h"
#include "queue/state_layout.h"

namespace kiln::queue {

/// The reason of a build cancelled while it was queued.
inline constexpr const char* kCancelledBeforeStart = "cancelled before it started (kiln cancel)";
/// The reason of a running build that `kiln cancel` stopped.
inline constexpr const char* kCancelledByUser = "cancelled (kiln cancel)";
/// The reason of a build cancelled because the runner was told to stop.
inline constexpr const char* kRunnerStopped = "runner stopped";
/// `cancelled (kiln cancel); its runner died before it stopped`.
std::string cancelled_runner_died_reason();
/// `superseded by #N`.
std::string superseded_reason(int winner);
/// `the runner died while it ran; queued again as #M`.
std::string interrupted_reason(int requeued);

/// Writes the first record of a build, whose status must be `queued`
/// (enqueue_build). Throws StateError when the write fails, Error for any
/// other status.
void record_queued(const StateLayout& layout, const BuildRecord& record);

/// Records the claimed build `record` `running`, started now, and updates
/// `record` so. Returns false, writing nothing, when build.json is no longer
/// `queued` (gone, or final). Throws StateError when a write fails.
bool record_running(const StateLayout& layout, BuildRecord& record);

/// Writes `record`, whose status must be final, as the build's last record:
/// `finished_at` is set to now when unset; `log_line`, when given, is
/// appended to the build's log as a `[kiln] ` line first; a notification
/// request lands in notify/ (the runner POSTs the record to the repo's notify
/// URLs, off the build slots); then build.json is replaced and the cancel
/// file removed. Returns false, writing nothing, when build.json is already
/// final (or gone). Throws StateError when a write fails (a full disk): the
/// record on disk is then unchanged, and calling again is safe. `secrets`
/// (the build's, as its log masked them) are masked in every text of the
/// record and in `log_line` (masked_record): a reason may quote a file name
/// that holds one, and the record goes to `kiln show`, the pusher and the
/// notify URLs.
bool finish_record(const StateLayout& layout, BuildRecord record, std::string_view log_line = {},
                   const SecretMask& secrets = {});

/// `record` with `secrets` masked in its texts: reason, targets, image and
/// each notify delivery's URL and error. Its identity (repo, ref, sha) is left
/// as it is: the state dir's paths are made of it.
BuildRecord masked_record(BuildRecord record, const SecretMask& secrets);

/// Sets how its notifications went (`notify`) in the final record of build
/// `build`, the one change a final record takes; nothing else of it changes.
/// Returns false, writing nothing, when the build is gone or not final.
/// Throws StateError.
bool record_notified(const StateLayout& layout, const BuildIdentity& build, const std::vector<NotifyDelivery>& notify);

/// A notification request in notify/: which build to announce.
struct NotifyRequest {
    std::string repo;
    int number = 0;
};

/// The requests waiting in notify/, in no particular order; unreadable files
/// are logged and removed. Throws StateError when notify/ cannot be listed.
std::vector<NotifyRequest> pending_notifications(const StateLayout& layout);

/// Removes the request of build `repo#number` once it was handled.
void remove_notify_request(const StateLayout& layout, const NotifyRequest& request);

}  // namespace kiln::queue
