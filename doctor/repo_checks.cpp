#include <unistd.h>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/makefile_names.h"
#include "common/text.h"
#include "config/repo_config_source.h"
#include "doctor/checks.h"
#include "doctor/image_tools.h"
#include "git-objects/commit_root.h"
#include "repos/repositories.h"

namespace kiln::doctor {
namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t kMaxMakefileSize = 1024 * 1024;

std::string describe_target(const repos::HookTarget& target) {
    return target.executable.string() +
           (target.config_file ? " --config " + target.config_file->string() : std::string(" (built-in defaults)"));
}

Check check_hook(const Setup& setup, const repos::RepositorySummary& repo) {
    const std::string name = "hook " + repo.name;
    const fs::path hook = repo.path / "hooks" / "post-receive";
    const std::string fix = setup.kiln_command + " init " + repo.name;
    std::string text;
    try {
        text = read_file(hook);
    } catch (const Error& error) {
        std::error_code ignored;
        if (fs::exists(fs::symlink_status(hook, ignored))) {
            return failed(name, error.what(), fix);
        }
        return failed(name, hook.string() + " is missing: pushes build nothing", fix);
    }
    const std::optional<repos::HookTarget> target = repos::parse_post_receive_stub(text);
    if (!target) {
        return failed(name, hook.string() + " is not the hook kiln init writes", fix);
    }
    const repos::HookTarget expected = repos::hook_target(setup.kiln, setup.config.source);
    if (*target != expected) {
        return failed(name, hook.string() + " runs " + describe_target(*target) + ", not this kiln's " +
                                describe_target(expected), fix);
    }
    if (::access(hook.c_str(), X_OK) != 0) {
        return failed(name, hook.string() + " is not executable: git skips it", fix);
    }
    return passed(name, "runs " + describe_target(*target));
}

// The root Makefile make would read at the commit (its first name present),
// and its text when it is a file.
std::pair<std::string, std::optional<std::string>> read_makefile(const repos::RepositorySummary& repo,
                                                                 const git_objects::CommitRoot& root) {
    for (const char* name : kMakefileNames) {
        if (const auto mode = root.modes.find(name); mode != root.modes.end()) {
            if (!git_objects::is_regular_file_mode(mode->second)) {
                return {name, std::nullopt};
            }
            const git_objects::CommitRoot with_makefile =
                git_objects::read_commit_root(repo.path, root.commit_id, name, kMaxMakefileSize);
            return {name, with_makefile.file ? with_makefile.file->content : std::nullopt};
        }
    }
    return {"Makefile", std::nullopt};
}

// The repository's config at HEAD, and the image tool its build runs.
Check check_repo_config(const Setup& setup, const repos::RepositorySummary& repo, ToolUsers& tools) {
    const std::string name = "repo " + repo.name;
    if (!repo.newest_sha) {
        return passed(name, "no commits yet");
    }
    std::string revision = "HEAD";
    std::optional<git_objects::CommitRoot> root;
    try {
        root = config::read_config_root(repo.path, revision);
    } catch (const GitError&) {
        // HEAD names a branch nobody pushed (`main` while `master` was pushed).
        revision = repo.newest_branch.value_or(*repo.newest_sha);
        root = config::read_config_root(repo.path, *repo.newest_sha);
    }
    const std::string at = root->commit_id.substr(0, 8) + " (" + revision + ")";
    try {
        const config::RepoConfig config =
            config::repo_config_at(*root, repo.path.filename().string(), setup.config.defaults);
        const auto [makefile_name, makefile] = read_makefile(repo, *root);
        const std::optional<ImageTool> tool =
            image_tool(config, makefile_name, makefile, [&setup](const std::string& candidate) {
                return find_on_path(candidate, setup.config.runner.path).has_value();
            });
        if (!tool) {
            return passed(name, "config at " + at + " is valid; it names no image tool (no BUILDER)");
        }
        tools[tool->name].push_back(repo.name);
        return passed(name, "config at " + at + " is valid; builds with " + tool->name + " (" + tool->source + ")");
    } catch (const ConfigError& error) {
        return failed(name, join(split_lines(error.what()), "; "),
                      "correct .kiln.yml (kiln config check .kiln.yml), commit and push");
    }
}

}  // namespace

RepoScan check_repos(const Setup& setup) {
    RepoScan scan;
    std::vector<repos::RepositorySummary> repositories;
    try {
        repositories = repos::list_repositories(setup.config.git_root);
    } catch (const Error& error) {
        scan.checks.push_back(failed("repos", error.what(), "repair or move away the repository it names"));
        return scan;
    }
    if (repositories.empty()) {
        scan.checks.push_back(passed("repos", "no repositories under " + setup.config.git_root.string() +
                                                  " (create one with " + setup.kiln_command + " init NAME)"));
        return scan;
    }
    for (const repos::RepositorySummary& repo : repositories) {
        scan.checks.push_back(check_hook(setup, repo));
        try {
            scan.checks.push_back(check_repo_config(setup, repo, scan.tools));
        } catch (const Error& error) {
            scan.checks.push_back(failed("repo " + repo.name, error.what(), "repair the repository or move it away"));
        }
    }
    return scan;
}

}  // namespace kiln::doctor
