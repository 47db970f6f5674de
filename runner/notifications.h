#pragma once

#include <vector>

#include "config/config.h"
#include "runner/build_record.h"

namespace kiln::runner {

/// POSTs the final build.json of `record` to each `notify` URL. A failed
/// notification is logged (stderr, the URL without its query, which may hold
/// a token) and otherwise ignored: the build is done.
void send_notifications(const std::vector<config::NotifyConfig>& targets, const BuildRecord& record);

}  // namespace kiln::runner
