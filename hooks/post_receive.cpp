#include "hooks/post_receive.h"

#include <memory>
#include <system_error>

#include "git-objects/commit_root.h"
#include "common/error.h"
#include "common/kiln_lines.h"
#include "common/makefile_names.h"
#include "common/names.h"
#include "common/terminal_text.h"
#include "common/text.h"
#include "common/units.h"
#include "config/repo_config_source.h"
#include "hooks/box_login.h"
#include "queue/enqueue.h"
#include "queue/log_follow.h"
#include "queue/runner_lock.h"

namespace kiln::hooks {
namespace fs = std::filesystem;
namespace {

// 1,000 lines of garbage must not become 1,000 lines on the pusher's screen.
constexpr std::size_t kMalformedShown = 10;

const std::string kBranchPrefix = "refs/heads/";
const std::string kTagPrefix = "refs/tags/";

// Every line of a (multi-line) message, each a note of its own.
void add_lines(std::vector<std::string>& notes, const std::string& prefix, const std::string& text) {
    for (const std::string& line : split_lines(text)) {
        notes.push_back(prefix + line);
    }
}

// Nothing when the commit has a file GNU make reads by default; else why it
// has none, in a few words. A push with nothing to build costs the pusher
// (almost) nothing, not a queued job and a worktree update. A directory or a
// submodule of that name is nothing make can read. A symlink is one make
// follows, to a target only a checkout can tell: it is queued, and the runner
// records `skipped` when it leads to no file.
std::optional<std::string> no_makefile_reason(const git_objects::CommitRoot& root) {
    std::string reason;
    for (const char* name : kMakefileNames) {
        const auto entry = root.modes.find(name);
        if (entry == root.modes.end()) {
            continue;
        }
        if (git_objects::is_regular_file_mode(entry->second) || git_objects::is_symlink_mode(entry->second)) {
            return std::nullopt;
        }
        reason += std::string(reason.empty() ? " (" : ", ") + name + " is " + git_objects::describe_mode(entry->second);
    }
    return reason.empty() ? reason : reason + ")";
}

void plan_branch(const config::Config& config, const fs::path& repo_path, const std::string& repo,
                 const RefUpdate& update, const PushOptions& options, PushPlan& plan) {
    // Who pushed is the hook's to say (run_post_receive), not the plan's.
    const queue::BuildIdentity build{repo, 0, update.ref, update.new_sha, queue::kTriggerPush, {}};
    const std::string branch = build.branch();
    if (options.skip) {
        plan.notes.push_back("ci.skip: not building " + repo + " " + branch);
        return;
    }
    git_objects::CommitRoot root;
    try {
        root = config::read_config_root(repo_path, update.new_sha);
    } catch (const GitError& error) {
        add_lines(plan.notes, "", error.what());
        plan.notes.push_back("not building " + repo + " " + branch);
        return;
    }
    config::RepoConfig repo_config = config.defaults;
    try {
        repo_config = config::repo_config_at(root, repo + ".git", config.defaults);
    } catch (const ConfigError& error) {
        // The build (if its branch is a default one) fails and shows these
        // errors again in its log; a branch the defaults skip builds nothing.
        add_lines(plan.notes, "", error.what());
    }
    if (!config::branch_selected(repo_config, branch)) {
        plan.notes.push_back("branch '" + branch + "' is not in branches (" + join(repo_config.branches) +
                             "): not building");
        return;
    }
    if (const std::optional<std::string> reason = no_makefile_reason(root)) {
        plan.notes.push_back("no Makefile in " + repo + " " + branch + " at " + update.new_sha.substr(0, 8) + *reason +
                             ": nothing to build");
        return;
    }
    plan.builds.push_back(build);
}

std::string final_line(const queue::BuildRecord& record) {
    const queue::BuildStatus status = record.status;
    std::string line = kiln_line(record.id.label() + " " + queue::to_string(status));
    if (const std::optional<std::int64_t> seconds = record.duration_seconds(queue::unix_now())) {
        line += " in " + format_duration(std::chrono::seconds(*seconds));
    }
    if (status == queue::BuildStatus::success) {
        if (!record.image.empty()) {
            line += ", image " + record.image;
        }
        if (!record.digest.empty()) {
            line += ", digest " + record.digest;
        }
        return line;
    }
    if (record.exit_code) {
        line += " (exit " + std::to_string(*record.exit_code) + ")";
    }
    if (!record.reason.empty()) {
        line += ": " + record.reason;
    }
    return line;
}

// Whom the pusher logs in as, and where, to run kiln on this box.
struct BoxLogin {
    std::string user;
    std::string host;

    std::string ssh(const std::string& command) const { return ssh_command(user, host, command); }
};

std::string follow_hint(const BoxLogin& box, const queue::BuildRecord& record) {
    return box.ssh(follow_command(record.id.repo, record.id.number));
}

}  // namespace

std::optional<std::string> repo_name_under(const fs::path& git_root, const fs::path& repo_path) {
    std::error_code error;
    const fs::path root = fs::weakly_canonical(git_root, error);
    if (error) {
        return std::nullopt;
    }
    fs::path repo = fs::weakly_canonical(repo_path, error).lexically_normal();
    if (error) {
        return std::nullopt;
    }
    if (repo.filename().empty()) {
        repo = repo.parent_path();  // `app.git/` after normalizing `app.git/.`
    }
    const std::string relative = repo.lexically_relative(root).generic_string();
    if (relative.empty() || relative == "." || relative.starts_with("..")) {
        return std::nullopt;
    }
    if (repo_name_problem(relative)) {
        return std::nullopt;
    }
    return canonical_repo_name(relative);
}

PushPlan plan_push(const config::Config& config, const fs::path& repo_path, const std::string& repo,
                   const HookInput& input, const PushOptions& options) {
    PushPlan plan;
    for (std::size_t i = 0; i < input.malformed.size() && i < kMalformedShown; ++i) {
        plan.notes.push_back("ignoring malformed hook input line " + std::to_string(input.malformed[i].line) + ": " +
                             input.malformed[i].problem);
    }
    if (input.malformed.size() > kMalformedShown) {
        plan.notes.push_back("ignoring " + std::to_string(input.malformed.size() - kMalformedShown) +
                             " more malformed hook input lines");
    }
    for (const std::string& option : options.unknown) {
        plan.notes.push_back("ignoring unknown push option '" + option + "' (kiln knows ci.skip and kiln.detach)");
    }
    for (const RefUpdate& update : input.updates) {
        if (update.deletion()) {
            plan.notes.push_back(update.ref + " deleted: nothing to build");
        } else if (update.ref.starts_with(kTagPrefix)) {
            plan.notes.push_back(update.ref + " is a tag: not building");
        } else if (!update.ref.starts_with(kBranchPrefix)) {
            plan.notes.push_back(update.ref + " is not a branch: not building");
        } else {
            plan_branch(config, repo_path, repo, update, options, plan);
        }
    }
    return plan;
}

int run_post_receive(const PostReceiveContext& context, std::istream& in, std::ostream& out,
                     const std::function<bool()>& keep_going) {
    const config::Config& config = *context.config;
    const HookInput input = read_hook_input(in);
    const std::optional<std::string> repo = repo_name_under(config.git_root, context.repo_path);
    if (!repo) {
        out << kLinePrefix << context.repo_path.string() << " is not a repository under git_root "
            << config.git_root.string() << ": not building" << std::endl;
        return kExitOk;
    }
    const PushPlan plan = plan_push(config, context.repo_path, *repo, input, context.options);
    for (const std::string& note : plan.notes) {
        out << kLinePrefix << note << std::endl;
    }
    if (plan.builds.empty()) {
        return kExitOk;
    }

    // Looked up only for a push that builds: one that builds nothing pays nothing more.
    const BoxLogin box{context.user.empty() ? user_name() : context.user,
                       context.host.empty() ? host_name() : context.host};
    const queue::StateLayout layout(config.state_dir);
    std::vector<queue::BuildRecord> queued;
    const fs::path repo_path = fs::weakly_canonical(context.repo_path);
    for (queue::BuildIdentity build : plan.builds) {
        build.pushed_by = context.pushed_by;
        try {
            queued.push_back(queue::enqueue_build(layout, build, repo_path));
        } catch (const StateError& error) {
            // git holds the push whatever happens here, and a failing
            // post-receive only adds git's own error line: say what to do.
            out << kLinePrefix << *repo << " " << build.branch() << ": cannot record this push: " << error.what()
                << std::endl;
            out << kLinePrefix << "the commit is in the repository; once kiln can write to "
                << config.state_dir.string() << " again, build it: "
                << box.ssh("kiln rebuild " + *repo + " " + build.sha.substr(0, 8)) << std::endl;
            continue;
        }
        out << queued_line(queued.back().id.label(), follow_hint(box, queued.back())) << std::endl;
    }
    if (queued.empty()) {
        return kExitOk;
    }
    if (context.start_runner && !queue::runner_running(layout)) {
        const std::optional<fs::path> config_file =
            config.source.empty() ? std::nullopt : std::optional<fs::path>(fs::absolute(config.source));
        queue::start_detached_runner(layout, context.kiln_executable, config_file);
    }
    if (context.options.detach) {
        out << kLinePrefix << "kiln.detach: not waiting for the build" << (queued.size() > 1 ? "s" : "") << std::endl;
        return kExitOk;
    }

    int exit_code = kExitOk;
    for (const queue::BuildRecord& build : queued) {
        // Said once, before a wait that would otherwise print nothing at all.
        const queue::BuildRecord now = queue::read_record(layout, build.id.repo, build.id.number);
        if (const std::optional<std::string> wait = queue::why_waiting(layout, now, config.runner.jobs)) {
            out << kLinePrefix << build.id.label() << " " << *wait << std::endl;
        }
        const queue::FollowResult result =
            queue::follow_build(layout, build.id.repo, build.id.number, out, keep_going, context.follow);
        const queue::BuildRecord& last = result.record;
        const std::string show = box.ssh(show_command(last.id.repo, last.id.number));
        if (const std::optional<std::string> line = queue::stalled_line(layout, result, show)) {
            out << *line << std::endl;
            exit_code = kExitFailed;
            continue;
        }
        if (result.end == queue::FollowEnd::left) {
            // The pusher left (Ctrl-C, a dropped connection): the build goes on without them.
            out << kLinePrefix << "stopped following " << last.id.label() << "; it goes on ("
                << follow_hint(box, last) << ")" << std::endl;
            return exit_code;
        }
        // The reason may quote what the build printed, as the log does.
        out << neutralise_controls(final_line(last)) << std::endl;
        if (queue::follow_exit_code(last.status) != kExitOk && exit_code == kExitOk) {
            exit_code = kExitBuildFailed;
        }
    }
    return exit_code;
}

}  // namespace kiln::hooks
