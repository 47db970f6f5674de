#include "access/access_log.h"

#include <cstdio>
#include <ctime>

#include <fcntl.h>
#include <unistd.h>

#include "common/error.h"
#include "common/file_modes.h"
#include "common/posix.h"

namespace kiln::access {
namespace {

std::string iso8601(std::int64_t seconds) {
    const std::time_t time = static_cast<std::time_t>(seconds);
    std::tm utc{};
    ::gmtime_r(&time, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buffer;
}

}  // namespace

std::filesystem::path access_log_file(const std::filesystem::path& state_dir) { return state_dir / "access.log"; }

std::string escape_log_field(std::string_view text) {
    std::string out;
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (byte < 0x20 || byte >= 0x7f) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\x%02x", byte);
            out += buffer;
        } else {
            out += c;
        }
    }
    return out;
}

std::string access_log_line(const AccessEvent& event) {
    std::string line = iso8601(event.time) + " key=" + escape_log_field(event.key) +
                       " from=" + escape_log_field(event.from.empty() ? "-" : event.from) +
                       " verdict=" + event.verdict + " command=\"" + escape_log_field(event.command) + "\"";
    if (!event.reason.empty()) {
        line += " reason=\"" + escape_log_field(event.reason) + "\"";
    }
    return line + "\n";
}

void append_access_log(const std::filesystem::path& file, const AccessEvent& event) {
    const std::string doing = "writing the access log '" + file.string() + "'";
    const UniqueFd fd(check_errno(::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, kPrivateFileMode), doing));
    const std::string line = access_log_line(event);
    // One write with O_APPEND: lines of concurrent sessions never interleave.
    const ssize_t written = ::write(fd.get(), line.data(), line.size());
    check_errno(written == static_cast<ssize_t>(line.size()) ? 0 : -1, doing);
}

}  // namespace kiln::access
