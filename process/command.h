#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <fcntl.h>
#include <signal.h>

#include "process/environment.h"

namespace kiln::process {

/// Where one of a child's standard descriptors comes from.
struct Redirect {
    enum class Kind { inherit, null, fd, file };

    /// The parent's own descriptor, unchanged.
    static Redirect inherit() { return Redirect(); }
    /// /dev/null, opened for reading (stdin) or writing (stdout, stderr).
    static Redirect null() {
        Redirect redirect;
        redirect.kind = Kind::null;
        return redirect;
    }
    /// A descriptor of the parent (a pipe's end, an open file), duplicated
    /// into place; the parent keeps and closes its own copy.
    static Redirect fd(int fd) {
        Redirect redirect;
        redirect.kind = Kind::fd;
        redirect.source = fd;
        return redirect;
    }
    /// A file the child opens with `flags` (O_WRONLY | O_CREAT | O_APPEND...).
    static Redirect file(std::filesystem::path path, int flags, mode_t mode = 0644) {
        Redirect redirect;
        redirect.kind = Kind::file;
        redirect.path = std::move(path);
        redirect.flags = flags;
        redirect.mode = mode;
        return redirect;
    }

    Kind kind = Kind::inherit;
    int source = -1;
    std::filesystem::path path;
    int flags = 0;
    mode_t mode = 0;
};

/// The process group or session a child starts in.
enum class Group {
    inherit,      ///< the parent's
    new_group,    ///< a group of its own (its pid): the parent's terminal signals miss it
    new_session,  ///< a session of its own: no controlling terminal
};

/// Everything about a child but how it is started (see spawn.h).
struct Command {
    /// argv[0] included; never a shell string.
    std::vector<std::string> argv;
    /// The program to execute: a path, or with `search_path` a name looked up in
    /// the PATH of this process (posix_spawnp). Empty: argv[0].
    std::string program;
    bool search_path = false;
    /// The child's whole environment (Environment::current() to pass this one on).
    Environment env;
    /// Empty: the parent's working directory.
    std::filesystem::path cwd;
    Redirect std_in;
    Redirect std_out;
    Redirect std_err;
    Group group = Group::inherit;
    /// The child's signal mask; nothing: the parent's.
    std::optional<sigset_t> signal_mask;
    /// Signals set back to their default action in the child (a handled signal
    /// always is; this matters for ignored ones, e.g. SIGPIPE).
    std::vector<int> default_signals;
    /// Close every descriptor above stderr in the child, also those a
    /// concurrent thread opened without O_CLOEXEC.
    bool close_other_fds = false;
};

}  // namespace kiln::process
