#pragma once

// The log of one build: builds/<repo>/<n>/log, plain text that `tail -f` and
// `kiln logs -f` follow while the build runs. Process output is written as it
// arrives, with secret values (and their encoded forms, common/secret_mask.h)
// replaced by `***`; the runner's own lines start with `[kiln] ` so tools can
// tell them apart. The file is the build user's alone (0600).

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/kiln_lines.h"
#include "common/posix.h"
#include "common/secret_mask.h"

namespace kiln::queue {

/// Appends to one build's log file. Not thread-safe: one build thread owns it.
class BuildLog {
public:
    /// The prefix of every line the runner writes itself.
    static constexpr std::string_view kPrefix = kLinePrefix;
    /// Secret values shorter than this are not masked: masking `1` or `on`
    /// would garble the log without protecting anything.
    static constexpr std::size_t kMinMaskedLength = SecretMask::kMinLength;
    /// A partial line longer than this is written without waiting for its end.
    static constexpr std::size_t kMaxPendingLine = 64 * 1024;

    /// Opens `path` for appending (O_APPEND; created 0600 when missing). Output
    /// beyond `max_bytes` of file size is dropped after one marker line; the
    /// runner's own lines are still written. Throws StateError.
    BuildLog(const std::filesystem::path& path, std::uint64_t max_bytes);
    BuildLog(const BuildLog&) = delete;
    BuildLog& operator=(const BuildLog&) = delete;
    BuildLog(BuildLog&&) noexcept = default;
    BuildLog& operator=(BuildLog&&) noexcept = default;

    /// Masks each of `values` as `***` from now on, in every form SecretMask
    /// knows (each piece between line breaks, base64, percent-encoded); values
    /// shorter than kMinMaskedLength are ignored. This process's own log lines
    /// (spdlog) mask them too from now on (add_log_secrets).
    void add_secrets(const std::vector<std::string>& values);
    /// Masks what `mask` masks, as add_secrets does.
    void add_secrets(const SecretMask& mask);

    /// What this log masks: for other texts about the same build (its record).
    const SecretMask& secrets() const { return mask_; }

    /// Writes `[kiln] <text>` and a newline, masked, even past the size cap.
    /// Throws StateError when the write fails.
    void kiln(std::string_view text);

    /// Takes a chunk of process output as read from the pipe. Complete lines
    /// (ended by \n or \r) are masked and written at once; a partial line waits for its end (so a
    /// secret split across two reads is still masked), for flush_partial(), or
    /// until it passes kMaxPendingLine. Throws StateError.
    void output(std::string_view chunk);

    /// Writes the waiting partial line (a prompt, a progress bar), masked, but
    /// keeps back a tail that could be the start of a secret. Called when the
    /// output has paused.
    void flush_partial();

    /// Writes everything still waiting and ends it with a newline, so the next
    /// `[kiln]` line starts a line of its own. Called when a process has ended.
    void finish_output();

    /// True once output was dropped because of the size cap.
    bool truncated() const { return truncated_; }
    /// The size of the log file as this BuildLog has written it.
    std::uint64_t size() const { return size_; }

private:
    std::string mask(std::string_view text) const { return mask_.apply(text); }
    void write_output(std::string_view text);
    void write_raw(std::string_view text);

    UniqueFd fd_;
    std::filesystem::path path_;
    std::uint64_t max_bytes_;
    std::uint64_t size_ = 0;
    bool truncated_ = false;
    SecretMask mask_;
    std::string pending_;               ///< output after the last newline, not yet written
    bool line_open_ = false;            ///< the file does not end with a newline
};

}  // namespace kiln::queue
