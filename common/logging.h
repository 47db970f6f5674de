#pragma once

namespace kiln {

class SecretMask;

/// Sends spdlog's logs to stderr as `kiln: LEVEL: message`: stdout carries
/// command results (and, in the hook, what the pusher reads). Warnings and
/// errors by default; debug too when `verbosity` > 0; SPDLOG_LEVEL overrides.
/// Every line is masked with what add_log_secrets was given.
void setup_logging(int verbosity);

/// Masks what `mask` masks in every log line this process writes from now on
/// (the runner's log, journald): a reason or an error that quotes a secret
/// must not carry it there. Secrets of every build the process ran add up, so
/// one repo's secret is masked in a line about another; that hides nothing
/// anyone needs. Thread-safe.
void add_log_secrets(const SecretMask& mask);

}  // namespace kiln
