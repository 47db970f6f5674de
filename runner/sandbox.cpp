#include "runner/sandbox.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <mutex>
#include <optional>

#include <fcntl.h>
#include <unistd.h>

#include "common/error.h"
#include "process/executable_search.h"
#include "process/spawn.h"
#include "runner/build_env.h"

namespace kiln::runner {
namespace {

namespace fs = std::filesystem;

/// How long the trial run may take: bwrap running `true` takes milliseconds.
constexpr std::chrono::seconds kProbeWait{10};

/// Docker's daemon sockets: whoever reaches one is root on the box.
constexpr const char* kDockerSockets[] = {"/run/docker.sock", "/var/run/docker.sock"};

/// The path as mounts see it (symlinks resolved); nothing when it does not exist.
std::optional<fs::path> existing(const fs::path& path) {
    std::error_code error;
    if (path.empty() || !fs::exists(path, error)) {
        return std::nullopt;
    }
    const fs::path resolved = fs::canonical(path, error);
    if (error || resolved == "/") {
        return std::nullopt;
    }
    return resolved;
}

bool inside(const fs::path& path, const fs::path& dir) {
    const auto [dir_end, path_end] = std::mismatch(dir.begin(), dir.end(), path.begin(), path.end());
    return dir_end == dir.end();
}

std::string find_tool(const std::string& name, const std::string& path, const std::string& package) {
    if (std::optional<std::string> found = process::search_path(name, path)) {
        return *found;
    }
    throw ProcessError("starting the build's sandbox: '" + name + "' not found in PATH (" + path +
                       "); install it: apt-get install " + package);
}

std::vector<std::string> wrapper(const config::Config& config, bool map_auto, const fs::path& worktree,
                                 const fs::path& home) {
    const std::string path = config.runner.path;
    std::vector<std::string> argv{find_tool("unshare", path, "util-linux"), "--user", "--map-root-user"};
    if (map_auto) {
        argv.push_back("--map-auto");
    }
    argv.insert(argv.end(), {"--", find_tool("bwrap", path, "bubblewrap"), "--ro-bind", "/", "/", "--dev", "/dev",
                             "--proc", "/proc"});
    // Parents before children, and nothing twice: a dir already hidden hides
    // what is inside it, and needs no mount point made in its tmpfs.
    std::vector<fs::path> dirs{"/tmp", "/var/tmp"};
    for (const fs::path& dir : {config.git_root, config.state_dir, config.secrets_dir, fs::path(current_build_user().home)}) {
        if (std::optional<fs::path> found = existing(dir)) {
            dirs.push_back(*found);
        }
    }
    std::sort(dirs.begin(), dirs.end());
    std::vector<fs::path> hidden;
    for (const fs::path& dir : dirs) {
        if (std::none_of(hidden.begin(), hidden.end(), [&](const fs::path& parent) { return inside(dir, parent); })) {
            hidden.push_back(dir);
            argv.insert(argv.end(), {"--tmpfs", dir.string()});
        }
    }
    std::vector<fs::path> files{config.source};
    files.insert(files.end(), std::begin(kDockerSockets), std::end(kDockerSockets));
    std::vector<fs::path> covered;
    for (const fs::path& file : files) {
        const std::optional<fs::path> found = existing(file);
        if (!found || std::find(covered.begin(), covered.end(), *found) != covered.end() ||
            std::any_of(hidden.begin(), hidden.end(), [&](const fs::path& dir) { return inside(*found, dir); })) {
            continue;
        }
        covered.push_back(*found);
        argv.insert(argv.end(), {"--ro-bind", "/dev/null", found->string()});
    }
    // Bound last, over the tmpfs that hides the state dir they live in.
    argv.insert(argv.end(), {"--bind", worktree.string(), worktree.string(), "--bind", home.string(), home.string(),
                             "--chdir", worktree.string(), "--unshare-pid", "--unshare-ipc", "--"});
    return argv;
}

/// A private temp folder for the trial run, removed with what it holds.
class ProbeDir {
public:
    ProbeDir() {
        std::string pattern = (fs::temp_directory_path() / "kiln-sandbox-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw StateError(std::string("trying the build sandbox: creating a temporary folder: ") + std::strerror(errno));
        }
        dir_ = pattern;
        fs::create_directory(dir_ / "work");
        fs::create_directory(dir_ / "home");
    }
    ProbeDir(const ProbeDir&) = delete;
    ProbeDir& operator=(const ProbeDir&) = delete;
    ~ProbeDir() {
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }
    const fs::path& dir() const { return dir_; }

private:
    fs::path dir_;
};

std::string first_line(const fs::path& file) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
        line.pop_back();
    }
    return line;
}

/// Runs `true` in the sandbox; why it failed, or nothing when it ran.
std::optional<std::string> try_sandbox(const config::Config& config, bool map_auto) {
    try {
        const ProbeDir probe;
        process::Command command;
        command.argv = wrapper(config, map_auto, probe.dir() / "work", probe.dir() / "home");
        command.argv.push_back("true");
        command.program = command.argv.front();
        command.env.set("PATH", config.runner.path);
        command.cwd = probe.dir();
        command.std_in = process::Redirect::null();
        command.std_out = process::Redirect::null();
        command.std_err = process::Redirect::file(probe.dir() / "stderr", O_WRONLY | O_CREAT | O_TRUNC, 0600);
        command.group = process::Group::new_group;
        command.close_other_fds = true;
        process::Child child = process::spawn(command, process::OnDrop::kill, "trying the build sandbox");
        const std::optional<process::ExitStatus> status = child.wait_until(std::chrono::steady_clock::now() + kProbeWait);
        if (!status) {
            child.kill();
            return "bwrap running `true` did not end within " + std::to_string(kProbeWait.count()) + "s";
        }
        if (status->exited() && status->code() == 0) {
            return std::nullopt;
        }
        const std::string said = first_line(probe.dir() / "stderr");
        if (!said.empty()) {
            return said;
        }
        return status->signaled() ? "bwrap was killed by signal " + std::to_string(status->signal())
                                  : "bwrap exited " + std::to_string(status->code());
    } catch (const Error& error) {
        return std::string(error.what());
    }
}

}  // namespace

SandboxChoice choose_sandbox(const config::Config& config) {
    SandboxChoice choice;
    const bool required = config.runner.sandbox == config::SandboxMode::bubblewrap;
    if (config.runner.sandbox == config::SandboxMode::none) {
        choice.summary = "sandbox: none (runner.sandbox: none)";
        return choice;
    }
    if (::geteuid() == 0) {
        // Root in a namespace of its own is still root to every file bwrap
        // leaves visible: not a sandbox worth the name.
        const std::string why = "the runner runs as root";
        choice.summary = "sandbox: none (" + why + ")";
        if (required) {
            choice.problem = "runner.sandbox is bubblewrap, but " + why +
                             ": run it as the user that owns git_root (install.sh sets one up)";
        }
        return choice;
    }
    const std::optional<std::string> with_ids = try_sandbox(config, true);
    if (!with_ids) {
        choice.on = true;
        choice.map_auto = true;
        choice.summary = "sandbox: bubblewrap";
        return choice;
    }
    const std::optional<std::string> single = try_sandbox(config, false);
    if (!single) {
        choice.on = true;
        choice.summary = "sandbox: bubblewrap (only the build user's own id is mapped: " + *with_ids +
                         "; image builds with RUN steps need subordinate ids in /etc/subuid and /etc/subgid)";
        return choice;
    }
    choice.summary = "sandbox: none (bubblewrap does not run here: " + *single + ")";
    if (required) {
        choice.problem = "runner.sandbox is bubblewrap, but it does not run here: " + *single;
    }
    return choice;
}

const SandboxChoice& sandbox_choice(const config::Config& config) {
    static std::mutex mutex;
    static std::map<config::SandboxMode, SandboxChoice> choices;
    const std::lock_guard<std::mutex> lock(mutex);
    auto found = choices.find(config.runner.sandbox);
    if (found == choices.end()) {
        found = choices.emplace(config.runner.sandbox, choose_sandbox(config)).first;
    }
    return found->second;
}

fs::path sandbox_home(const config::Config& config, const std::string& repo) {
    // One folder per repo, never one inside another: `team/app` is `team~app`
    // (as queue/ writes it; no repo name holds a `~`), which repo `team` cannot see.
    std::string folder = repo;
    std::replace(folder.begin(), folder.end(), '/', '~');
    const fs::path home = config.state_dir / "home" / folder;
    std::error_code error;
    fs::create_directories(home, error);
    if (error) {
        throw StateError("creating the build's home '" + home.string() + "': " + error.message());
    }
    fs::permissions(home, fs::perms::owner_all, error);
    if (error) {
        throw StateError("making the build's home '" + home.string() + "' private: " + error.message());
    }
    return home;
}

std::vector<std::string> sandbox_argv(const SandboxChoice& choice, const config::Config& config,
                                      const fs::path& worktree, const fs::path& home) {
    return wrapper(config, choice.map_auto, worktree, home);
}

void sandbox_environment(std::map<std::string, std::string>& env, const fs::path& home) {
    env["HOME"] = home.string();
    env["_CONTAINERS_USERNS_CONFIGURED"] = "done";
    env["_CONTAINERS_ROOTLESS_UID"] = std::to_string(::geteuid());
}

}  // namespace kiln::runner
