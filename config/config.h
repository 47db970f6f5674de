#pragma once

// Plain structs for kiln's two config files. YAML is read only inside config/;
// everything else sees these structs, already validated and with defaults filled.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kiln::config {

/// registry.gc: garbage collection of a registry kiln manages (`kiln image gc`).
struct RegistryGcConfig {
    /// The registry's own config file; empty: kiln does not manage the registry
    /// and refuses to collect its garbage.
    std::filesystem::path config;
    /// A shell command that restarts the registry so it rereads `config`.
    std::string restart;
    bool after_prune = false;               ///< the runner collects after image.keep deleted something
    std::chrono::seconds every{0};          ///< the runner collects this often; 0: never
    bool delete_untagged = false;           ///< pass --delete-untagged (breaks indexes on 2.8)
};

struct RegistryConfig {
    std::string url = "http://127.0.0.1:5000";  ///< scheme://host[:port], no path
    std::string username;                       ///< empty: no auth
    std::string password;
    RegistryGcConfig gc;
};

/// runner.sandbox: how builds are kept apart (runner/sandbox.h).
enum class SandboxMode {
    automatic,   ///< `auto`: bubblewrap when it runs here, else none
    bubblewrap,  ///< required: a build fails when the sandbox cannot start
    none,        ///< off: builds see everything the build user sees
};

struct RunnerConfig {
    int jobs = 2;                                    ///< builds at once, >= 1
    std::chrono::seconds timeout = std::chrono::minutes(30);  ///< default build timeout
    std::uint64_t log_max = 50ULL * 1000 * 1000;     ///< bytes of log kept per build
    int keep_builds = 100;                           ///< build records kept per repo, >= 1
    /// PATH of every build: absolute directories joined by `:`.
    std::string path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    SandboxMode sandbox = SandboxMode::automatic;
};

enum class Workspace { reuse, fresh };

struct ImageConfig {
    std::string name;                        ///< registry repository; empty: the repo's name
    std::string archive;                     ///< path in the worktree; empty: the Makefile pushes $IMAGE
    std::vector<std::string> tags{"latest"}; ///< may contain {branch}
    int keep = 0;                            ///< newest build tags kept; 0: keep all
};

/// One `notify:` entry: exactly one of the two is set.
struct NotifyConfig {
    std::string url;
    /// The key in the repo's secrets file whose value is the URL, so a token
    /// in it stays out of git history; resolved when the notification is sent.
    std::string url_secret;
};

/// Per-repo settings: `.kiln.yml` at the root of the pushed commit, on top of
/// the global `defaults:`.
struct RepoConfig {
    /// Globs, matched with fnmatch. Both usual default branch names: `kiln init`
    /// makes HEAD `main`, but a clone made by a git that defaults to `master`
    /// (Debian's) pushes `master`, and a push never moves the bare repo's HEAD.
    std::vector<std::string> branches{"main", "master"};
    std::vector<std::string> targets{"build"};       ///< make targets, in order
    std::optional<std::chrono::seconds> timeout;     ///< unset: runner.timeout
    Workspace workspace = Workspace::reuse;
    std::map<std::string, std::string> env;
    /// The image the build promises (`image:`): a missing one fails the build.
    /// Unset, kiln still records $IMAGE when the build pushed it (see no_image).
    std::optional<ImageConfig> image;
    /// `image: false`: the build makes no image, and kiln does not look for one.
    bool no_image = false;
    std::vector<NotifyConfig> notify;
};

struct Config {
    std::filesystem::path source;                    ///< the file read (absolute); empty for built-in defaults
    std::filesystem::path git_root = "/srv/git";
    std::filesystem::path state_dir = "/var/lib/kiln";
    std::filesystem::path secrets_dir = "/etc/kiln/secrets";  ///< `<config dir>/secrets` when read from a file; holds `<repo>.env`
    RegistryConfig registry;
    RunnerConfig runner;
    RepoConfig defaults;
};

/// Finds and loads the global config: `explicit_path` (from --config), else
/// $KILN_CONFIG, else ~/.config/kiln/config.yaml, else /etc/kiln/config.yaml,
/// else the built-in defaults. An explicitly named file that does not exist is
/// an error. Throws ConfigError listing every problem as FILE:LINE:COL.
Config load_config(const std::optional<std::filesystem::path>& explicit_path);

/// Reads and parses the global config file `path`, wherever it is. Throws ConfigError.
Config load_config_file(const std::filesystem::path& path);

/// Parses a global config from `text`; `source` names it in error messages,
/// and relative paths in it resolve against its directory. Throws ConfigError.
Config parse_config(const std::string& text, const std::filesystem::path& source);

/// Parses a `.kiln.yml` from `text` on top of `defaults`: keys it sets replace
/// the default, keys it leaves out keep it; the mappings `env` and `image` merge
/// key by key (`image: null` takes back an image set in the defaults, `image:
/// false` says there is none to look for, `image: true` promises one with
/// every default). Throws ConfigError.
RepoConfig parse_repo_config(const std::string& text, const std::string& source, const RepoConfig& defaults);

/// True when `branch` (e.g. `release/1.2`) matches one of `config.branches`
/// (fnmatch globs: `release/*` matches `release/1.2`).
bool branch_selected(const RepoConfig& config, const std::string& branch);

/// The tag `tag` (from image.tags) names for a build of `branch`: `{branch}`
/// becomes the branch with every character a tag cannot hold (like `/`) turned
/// into `-`, cut to a tag's 128 characters.
std::string expand_tag(const std::string& tag, const std::string& branch);

}  // namespace kiln::config
