#include "queue/build_log.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/error.h"
#include "common/logging.h"
#include "common/units.h"

namespace kiln::queue {

BuildLog::BuildLog(const std::filesystem::path& path, std::uint64_t max_bytes)
    : fd_(::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600)), path_(path), max_bytes_(max_bytes) {
    if (!fd_) {
        throw StateError(describe("opening build log '" + path.string() + "'", std::strerror(errno)));
    }
    struct stat info {};
    check_errno(::fstat(fd_.get(), &info), "reading the size of build log '" + path.string() + "'");
    size_ = static_cast<std::uint64_t>(info.st_size);
    // Appending after someone else's unterminated line would glue our first line to it.
    if (size_ > 0) {
        char last = '\n';
        if (::pread(fd_.get(), &last, 1, info.st_size - 1) == 1 && last != '\n') {
            line_open_ = true;
        }
    }
}

void BuildLog::add_secrets(const std::vector<std::string>& values) {
    SecretMask added;
    added.add(values);
    add_secrets(added);
}

void BuildLog::add_secrets(const SecretMask& mask) {
    mask_.add(mask);
    add_log_secrets(mask);
}

void BuildLog::kiln(std::string_view text) {
    std::string line = line_open_ ? "\n" : "";
    line += kPrefix;
    line += text;
    line += '\n';
    write_raw(mask(line));
    line_open_ = false;
}

void BuildLog::output(std::string_view chunk) {
    if (truncated_) {
        return;
    }
    pending_ += chunk;
    // A carriage return ends a line too: progress bars redraw with \r alone.
    const auto last_newline = pending_.find_last_of("\n\r");
    if (last_newline != std::string::npos) {
        write_output(mask(std::string_view(pending_).substr(0, last_newline + 1)));
        pending_.erase(0, last_newline + 1);
    }
    if (pending_.size() > kMaxPendingLine) {
        flush_partial();
    }
}

void BuildLog::flush_partial() {
    if (pending_.empty()) {
        return;
    }
    std::string masked = mask(pending_);
    const std::size_t keep = mask_.prefix_tail(masked);
    pending_ = masked.substr(masked.size() - keep);
    masked.resize(masked.size() - keep);
    write_output(masked);
}

void BuildLog::finish_output() {
    std::string rest = mask(pending_);
    pending_.clear();
    write_output(rest);
    if (line_open_ && !truncated_) {
        write_raw("\n");
        line_open_ = false;
    }
}

void BuildLog::write_output(std::string_view text) {
    if (text.empty() || truncated_) {
        return;
    }
    if (size_ + text.size() > max_bytes_) {
        // Keep the whole lines that still fit, then say why the rest is missing.
        const std::uint64_t room = max_bytes_ > size_ ? max_bytes_ - size_ : 0;
        const auto cut = text.substr(0, room).rfind('\n');
        if (cut != std::string_view::npos) {
            write_raw(text.substr(0, cut + 1));
            line_open_ = false;
        }
        truncated_ = true;
        pending_.clear();
        std::string marker = line_open_ ? "\n" : "";
        marker += std::string(kPrefix) + "log truncated at " + format_size(max_bytes_) +
                  " (runner.log_max); the build goes on\n";
        write_raw(marker);
        line_open_ = false;
        return;
    }
    write_raw(text);
    line_open_ = text.back() != '\n';
}

void BuildLog::write_raw(std::string_view text) {
    while (!text.empty()) {
        const ssize_t written = ::write(fd_.get(), text.data(), text.size());
        if (written < 0 && errno == EINTR) {
            continue;
        }
        check_errno(written < 0 ? -1 : 0, "writing build log '" + path_.string() + "'");
        text.remove_prefix(static_cast<std::size_t>(written));
        size_ += static_cast<std::uint64_t>(written);
    }
}

}  // namespace kiln::queue
