#pragma once

// The one way a build record becomes final, whoever ends it: the runner when
// a build ends, coalescing (superseded), `kiln cancel` of a queued build,
// recovery after a dead runner (interrupted). Every final record asks for its
// notifications, and a final record is never rewritten.

#include <string>
#include <string_view>
#include <vector>

#include "queue/build_record.h"
#include "queue/state_layout.h"

namespace kiln::runner {

/// Writes `record`, whose status must be final, as the build's last record:
/// `finished_at` is set to now when unset; `log_line`, when given, is
/// appended to the build's log as a `[kiln] ` line first; a notification
/// request lands in notify/ (the runner POSTs the record to the repo's notify
/// URLs, off the build slots); then build.json is replaced and the cancel
/// file removed. Returns false, writing nothing, when build.json is already
/// final (or gone). Throws StateError when a write fails (a full disk): the
/// record on disk is then unchanged, and calling again is safe.
bool finish_record(const StateLayout& layout, BuildRecord record, std::string_view log_line = {});

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

}  // namespace kiln::runner
