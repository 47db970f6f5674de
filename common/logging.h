#pragma once

namespace kiln {

/// Sends spdlog's logs to stderr as `kiln: LEVEL: message`: stdout carries
/// command results (and, in the hook, what the pusher reads). Warnings and
/// errors by default; debug too when `verbosity` > 0; SPDLOG_LEVEL overrides.
void setup_logging(int verbosity);

}  // namespace kiln
