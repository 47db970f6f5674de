#include "git-objects/commit_root.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <vector>

#include "common/error.h"
#include "git-objects/object_files.h"
#include "common/posix.h"
#include "process/spawn.h"

namespace kiln::git_objects {
namespace {

struct Pipe {
    UniqueFd read_end;
    UniqueFd write_end;
};

Pipe make_pipe() {
    std::array<int, 2> fds{};
    check_errno(::pipe2(fds.data(), O_CLOEXEC), "creating a pipe to git");
    return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

// `git cat-file --batch` on one repository, reaped on destruction. Its stdin
// is a pipe already filled with every request and closed before git starts:
// the requests fit in a pipe buffer, and nothing is ever written to a git that
// died (which would raise SIGPIPE in the hook).
class CatFile {
public:
    CatFile(const std::filesystem::path& repo_dir, const std::string& requests) {
        Pipe in = make_pipe();
        check_errno(::write(in.write_end.get(), requests.data(), requests.size()) ==
                            static_cast<ssize_t>(requests.size())
                        ? 0
                        : -1,
                    "writing requests for git cat-file");
        in.write_end = UniqueFd();
        Pipe out = make_pipe();
        Pipe err = make_pipe();
        process::Command git;
        git.argv = {"git", "--git-dir=" + repo_dir.string(), "cat-file", "--batch"};
        git.search_path = true;
        git.env = process::Environment::current();
        git.std_in = process::Redirect::fd(in.read_end.get());
        git.std_out = process::Redirect::fd(out.write_end.get());
        git.std_err = process::Redirect::fd(err.write_end.get());
        // git gets SIGPIPE back (the hook ignores it), so that it stops at once
        // when a big file is left unread.
        git.default_signals = {SIGPIPE};
        try {
            git_ = process::spawn(git, process::OnDrop::wait,
                                  "running git to read commits (is git installed and on PATH?)");
        } catch (const ProcessError& error) {
            throw GitError(error.what());
        }
        out_ = std::move(out.read_end);
        err_ = std::move(err.read_end);
    }
    CatFile(const CatFile&) = delete;
    CatFile& operator=(const CatFile&) = delete;
    ~CatFile() {
        out_ = UniqueFd();  // a git still writing gets SIGPIPE and exits; git_ then reaps it
        err_ = UniqueFd();
    }

    // The next line of output without its newline; nothing at the end of output.
    std::optional<std::string> read_line() {
        std::string line;
        for (;;) {
            const std::size_t newline = buffer_.find('\n', start_);
            if (newline != std::string::npos) {
                line.append(buffer_, start_, newline - start_);
                start_ = newline + 1;
                return line;
            }
            line.append(buffer_, start_);
            start_ = buffer_.size();
            if (!fill()) {
                return line.empty() ? std::nullopt : std::optional<std::string>(line);
            }
        }
    }

    // Passes over `size` bytes and the newline after them without keeping them.
    void skip(std::uint64_t size) {
        for (std::uint64_t left = size + 1; left > 0;) {
            if (start_ == buffer_.size() && !fill()) {
                throw GitError("git cat-file ended in the middle of an object");
            }
            const std::uint64_t take = std::min<std::uint64_t>(left, buffer_.size() - start_);
            start_ += take;
            left -= take;
        }
    }

    // Exactly `size` bytes followed by the newline git puts after each object.
    std::string read_object(std::uint64_t size) {
        std::string object;
        object.reserve(size);
        while (object.size() < size + 1) {
            if (start_ == buffer_.size() && !fill()) {
                throw GitError("git cat-file ended in the middle of an object");
            }
            const std::size_t take = std::min<std::size_t>(size + 1 - object.size(), buffer_.size() - start_);
            object.append(buffer_, start_, take);
            start_ += take;
        }
        object.pop_back();
        return object;
    }

    // What git said on stderr, once its stdout has ended; waits for it to exit.
    std::string finish() {
        out_ = UniqueFd();
        std::string said;
        std::array<char, 4096> chunk{};
        for (;;) {
            const ssize_t n = ::read(err_.get(), chunk.data(), chunk.size());
            if (n > 0) {
                said.append(chunk.data(), static_cast<std::size_t>(n));
            } else if (n == 0 || errno != EINTR) {
                break;
            }
        }
        const process::ExitStatus status = git_.wait();
        while (!said.empty() && (said.back() == '\n' || said.back() == ' ')) {
            said.pop_back();
        }
        if (said.empty()) {
            said = status.exited() ? "git exited with status " + std::to_string(status.code())
                                   : "git was killed by signal " + std::to_string(status.signal());
        }
        return said;
    }

private:
    bool fill() {
        buffer_.erase(0, start_);
        start_ = 0;
        std::array<char, 65536> chunk{};
        for (;;) {
            const ssize_t n = ::read(out_.get(), chunk.data(), chunk.size());
            if (n > 0) {
                buffer_.append(chunk.data(), static_cast<std::size_t>(n));
                return true;
            }
            if (n == 0) {
                return false;
            }
            if (errno != EINTR) {
                check_errno(-1, "reading from git cat-file");
            }
        }
    }

    process::Child git_;  // first, so that it is reaped after its pipes are closed
    UniqueFd out_;
    UniqueFd err_;
    std::string buffer_;
    std::size_t start_ = 0;
};

struct ObjectHeader {
    std::string id;
    std::string type;
    std::uint64_t size = 0;
};

// `<id> <type> <size>`, or nothing for `<request> missing` (or `ambiguous`).
std::optional<ObjectHeader> parse_header(const std::string& line) {
    const std::size_t first = line.find(' ');
    const std::size_t last = line.rfind(' ');
    if (first == std::string::npos || first == last) {
        return std::nullopt;
    }
    const std::string size = line.substr(last + 1);
    if (size.empty() || size.size() > 19 || size.find_first_not_of("0123456789") != std::string::npos) {
        return std::nullopt;
    }
    return ObjectHeader{line.substr(0, first), line.substr(first + 1, last - first - 1), std::stoull(size)};
}

struct TreeEntry {
    std::string mode;
    std::string id;  ///< binary
};

// A raw tree object: `<mode> <name>\0<binary id>` entries; nothing when malformed.
std::optional<std::map<std::string, TreeEntry>> parse_tree(const std::string& tree, std::size_t id_bytes) {
    std::map<std::string, TreeEntry> entries;
    std::size_t at = 0;
    while (at < tree.size()) {
        const std::size_t space = tree.find(' ', at);
        const std::size_t nul = tree.find('\0', space == std::string::npos ? at : space);
        if (space == std::string::npos || nul == std::string::npos || nul + 1 + id_bytes > tree.size()) {
            return std::nullopt;
        }
        entries[tree.substr(space + 1, nul - space - 1)] = {tree.substr(at, space - at), tree.substr(nul + 1, id_bytes)};
        at = nul + 1 + id_bytes;
    }
    return entries;
}

std::map<std::string, std::string> modes_of(const std::map<std::string, TreeEntry>& entries) {
    std::map<std::string, std::string> modes;
    for (const auto& [name, entry] : entries) {
        modes[name] = entry.mode;
    }
    return modes;
}

// Commits and trees bigger than this are left to git.
constexpr std::uint64_t kMaxStructureSize = 64ULL * 1024 * 1024;

// The fast path: the objects read from the repository's files. Nothing when
// `revision` is not a full id or an object is not found that way.
std::optional<CommitRoot> read_from_files(const std::filesystem::path& repo_dir, const std::string& revision,
                                          const std::string& file_name, std::uint64_t max_size) {
    if (!binary_id(revision)) {
        return std::nullopt;
    }
    ObjectFiles objects(repo_dir);
    const std::optional<StoredObject> commit = objects.read(revision, kMaxStructureSize);
    if (!commit || commit->type != "commit" || !commit->data || !commit->data->starts_with("tree ")) {
        return std::nullopt;
    }
    const std::string tree_id = commit->data->substr(5, commit->data->find('\n') - 5);
    const std::optional<StoredObject> tree = objects.read(tree_id, kMaxStructureSize);
    if (!tree || tree->type != "tree" || !tree->data) {
        return std::nullopt;
    }
    const std::optional<std::map<std::string, TreeEntry>> entries = parse_tree(*tree->data, 20);
    if (!entries) {
        return std::nullopt;
    }
    CommitRoot root;
    root.commit_id = hex_id(*binary_id(revision));
    root.modes = modes_of(*entries);
    const auto entry = entries->find(file_name);
    if (entry != entries->end() && (is_regular_file_mode(entry->second.mode) || is_symlink_mode(entry->second.mode))) {
        const std::optional<StoredObject> file = objects.read(hex_id(entry->second.id), max_size);
        if (!file || file->type != "blob") {
            return std::nullopt;
        }
        root.file = RootFile{file->size, is_regular_file_mode(entry->second.mode) ? file->data : std::nullopt};
    }
    return root;
}

void check_revision(const std::string& revision) {
    // Requests are written to git's stdin before it starts: they must fit in a pipe.
    const bool bad = revision.empty() || revision.size() > 1024 || revision.front() == '-' ||
                     std::any_of(revision.begin(), revision.end(), [](unsigned char c) {
                         return c <= ' ' || c == 0x7f || c == ':';
                     });
    if (bad) {
        throw GitError("'" + revision + "' is not a commit id or branch name");
    }
}

}  // namespace

bool is_regular_file_mode(const std::string& mode) {
    return mode == "100644" || mode == "100755";
}

bool is_symlink_mode(const std::string& mode) {
    return mode == "120000";
}

std::string describe_mode(const std::string& mode) {
    if (mode == "100644") {
        return "a file";
    }
    if (mode == "100755") {
        return "an executable file";
    }
    if (is_symlink_mode(mode)) {
        return "a symlink";
    }
    if (mode == "40000") {
        return "a directory";
    }
    if (mode == "160000") {
        return "a submodule";
    }
    return "an entry of mode " + mode;
}

CommitRoot read_commit_root(const std::filesystem::path& repo_dir, const std::string& revision,
                            const std::string& file_name, std::uint64_t max_size) {
    check_revision(revision);
    if (std::optional<CommitRoot> root = read_from_files(repo_dir, revision, file_name, max_size)) {
        return *root;
    }
    const std::string doing = "reading commit '" + revision + "' of " + repo_dir.string();
    CatFile git(repo_dir, revision + "^{commit}\n" + revision + "^{tree}\n" + revision + ":" + file_name + "\n");

    const std::optional<std::string> commit_line = git.read_line();
    if (!commit_line) {
        throw GitError(describe(doing, git.finish()));
    }
    const std::optional<ObjectHeader> commit = parse_header(*commit_line);
    if (!commit) {
        throw GitError(describe(doing, "no such commit"));
    }
    git.skip(commit->size);

    CommitRoot root;
    root.commit_id = commit->id;
    const std::optional<std::string> tree_line = git.read_line();
    const std::optional<ObjectHeader> tree = tree_line ? parse_header(*tree_line) : std::nullopt;
    if (!tree || tree->type != "tree") {
        throw GitError(describe(doing, "git cat-file did not print its tree"));
    }
    if (tree->size > kMaxStructureSize) {
        throw GitError(describe(doing, "its root tree is " + std::to_string(tree->size) + " bytes; kiln reads at most 64 MiB"));
    }
    const std::optional<std::map<std::string, TreeEntry>> entries =
        parse_tree(git.read_object(tree->size), root.commit_id.size() / 2);
    if (!entries) {
        throw GitError(describe(doing, "git cat-file printed a malformed tree"));
    }
    root.modes = modes_of(*entries);

    const std::optional<std::string> file_line = git.read_line();
    const std::optional<ObjectHeader> file = file_line ? parse_header(*file_line) : std::nullopt;
    const auto mode = root.modes.find(file_name);
    if (file && file->type == "blob" && mode != root.modes.end()) {
        root.file = RootFile{file->size, std::nullopt};
        // A bigger file is left unread: git gets EPIPE when the pipe closes.
        if (is_regular_file_mode(mode->second) && file->size <= max_size) {
            root.file->content = git.read_object(file->size);
        }
    }
    return root;
}

}  // namespace kiln::git_objects
