// `kiln shell NAME`: the forced command of every key `kiln key add` writes.
// sshd runs it instead of whatever the client asked; it reads the request from
// SSH_ORIGINAL_COMMAND, allows it by the key's role and repositories, and
// replaces itself with git or kiln in a clean environment (docs/access.md).

#include <cstdlib>
#include <ctime>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "access/access_log.h"
#include "access/account.h"
#include "access/key_store.h"
#include "access/repo_path.h"
#include "access/request.h"
#include "access/shell_env.h"
#include "access/shell_words.h"
#include "cli/command.h"
#include "common/error.h"
#include "common/posix.h"
#include "common/text.h"
#include "config/config.h"
#include "process/environment.h"
#include "process/exec.h"
#include "process/executable_search.h"
#include "repos/hook_stub.h"
#include "repos/repositories.h"

namespace kiln::cli {
namespace {

std::optional<std::string> env_value(const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? std::nullopt : std::optional<std::string>(value);
}

// The config named on the authorized_keys line, else the built-in defaults:
// never $KILN_CONFIG or ~/.config, which the client can set or a build can
// write.
config::Config shell_config(const Context& context) {
    if (context.config_path()) {
        return config::load_config_file(std::filesystem::absolute(*context.config_path()));
    }
    return config::Config{};
}

/// One SSH session's request, from the first look at it to its verdict.
class Session {
public:
    Session(config::Config config, std::string key)
        : config_(std::move(config)), key_(std::move(key)),
          command_(env_value("SSH_ORIGINAL_COMMAND").value_or("")) {
        const std::vector<std::string> client = split(env_value("SSH_CLIENT").value_or(""), ' ');
        from_ = client.front();
    }

    int run();

private:
    int refuse(const std::string& why);
    void record(const std::string& verdict, const std::string& reason);
    int run_git(const access::KeyEntry& entry, const access::Request& request);
    int run_kiln(const access::KeyEntry& entry, const access::Request& request);
    [[noreturn]] void exec(const std::string& program, std::vector<std::string> argv);

    config::Config config_;
    std::string key_;
    std::string command_;
    std::string from_;
};

void Session::record(const std::string& verdict, const std::string& reason) {
    access::append_access_log(access::access_log_file(config_.state_dir),
                              access::AccessEvent{static_cast<std::int64_t>(std::time(nullptr)), key_, from_,
                                                  command_, verdict, reason});
}

int Session::refuse(const std::string& why) {
    try {
        record("refused", why);
    } catch (const Error&) {
        // Refused either way; the one line below is all the client gets.
    }
    std::cerr << "kiln: " << why << '\n';
    return kExitUsage;
}

void Session::exec(const std::string& program, std::vector<std::string> argv) {
    try {
        record("allowed", "");
    } catch (const Error& error) {
        // An audit log that cannot record cannot let anything through.
        throw StateError(describe("allowing '" + command_ + "'", std::string(error.what()) + "; refusing"));
    }
    process::Command command;
    command.program = program;
    command.argv = std::move(argv);
    command.env = access::shell_environment(access::current_account(), config_.runner.path, key_,
                                            env_value("GIT_PROTOCOL"));
    process::exec_replacing(command, "running '" + command_ + "' for key '" + key_ + "'");
}

int Session::run_git(const access::KeyEntry& entry, const access::Request& request) {
    const access::MappedRepo repo = access::map_repo_path(request.git->path, config_.git_root);
    if (repo.name.empty()) {
        return refuse("refused " + request.what + ": " + repo.problem);
    }
    if (!access::repo_allowed(entry.repos, repo.name)) {
        return refuse("refused " + request.what + " " + repo.name + ": key '" + key_ + "' reaches only " +
                      access::describe_repos(entry.repos));
    }
    access::RepoLocation location = access::locate_repo(config_.git_root, repo.name);
    if (!location.problem.empty()) {
        return refuse("refused " + request.what + ": " + location.problem);
    }
    if (!location.exists) {
        if (request.git->service != access::GitService::receive_pack) {
            return refuse("refused " + request.what + ": no repository '" + repo.name + "' under git_root " +
                          config_.git_root.string());
        }
        // A write key's first push makes the repository, exactly as `kiln init` would.
        const std::filesystem::path kiln = current_executable();
        const repos::InitResult created =
            repos::init_repository(config_.git_root, repo.name, repos::hook_target(kiln, config_.source));
        location = access::locate_repo(config_.git_root, repo.name);
        if (!location.exists) {
            return refuse("refused " + request.what + ": " + created.path.string() + " was not created");
        }
    }
    const std::optional<std::string> git = process::search_path("git", config_.runner.path);
    if (!git) {
        throw ProcessError(describe("running " + request.what, "no git on runner.path " + config_.runner.path));
    }
    exec(*git, {"git", access::to_string(request.git->service), location.path.string()});
}

int Session::run_kiln(const access::KeyEntry& entry, const access::Request& request) {
    const access::KilnRequest& kiln = *request.kiln;
    for (const std::string& repo : kiln.repos) {
        if (!access::repo_allowed(entry.repos, repo)) {
            return refuse("refused '" + request.what + "' on " + repo + ": key '" + key_ + "' reaches only " +
                          access::describe_repos(entry.repos));
        }
    }
    // Listing every repository would show a scoped key what it may not reach.
    const bool lists_all = request.what == "kiln repos" || (request.what == "kiln builds" && kiln.repos.empty());
    if (!entry.repos.empty() && lists_all) {
        return refuse("refused '" + request.what + "': key '" + key_ + "' reaches only " +
                      access::describe_repos(entry.repos) + "; name one: kiln builds REPO");
    }
    const std::filesystem::path self = current_executable();
    std::vector<std::string> argv{self.string()};
    if (!config_.source.empty()) {
        argv.insert(argv.end(), {"--config", config_.source.string()});
    }
    argv.insert(argv.end(), kiln.args.begin(), kiln.args.end());
    exec(self.string(), std::move(argv));
}

int Session::run() {
    const access::KeyMap keys = access::read_keys(access::keys_file(config_.state_dir));
    const auto found = keys.find(key_);
    if (found == keys.end()) {
        return refuse("refused: key '" + key_ + "' is not in " + access::keys_file(config_.state_dir).string() +
                      " (kiln key ls)");
    }
    const access::KeyEntry& entry = found->second;
    const std::string who = "key '" + key_ + "' (role " + access::to_string(entry.role) + ", " +
                            access::describe_repos(entry.repos) + ")";
    // sshd passes on what its AcceptEnv allows; none of it reaches what runs,
    // and an attempt to send git's or kiln's settings is refused, and logged.
    if (const std::optional<std::string> sent =
            access::client_sent_variable(process::Environment::current().entries())) {
        return refuse("refused: the client sent " + *sent +
                      "; kiln shell takes no environment but GIT_PROTOCOL (drop it from SendEnv/SetEnv)");
    }
    if (!env_value("SSH_ORIGINAL_COMMAND")) {
        return refuse(who + " has no interactive shell; it may run " + access::allowed_summary(entry.role));
    }
    const access::ShellWords words = access::split_shell_words(command_);
    if (words.problem) {
        return refuse("refused: " + *words.problem);
    }
    const access::ParsedRequest parsed = access::parse_request(words.words);
    if (!parsed.request) {
        return refuse("refused: " + parsed.problem +
                      (parsed.unknown_command ? "; " + who + " may run " + access::allowed_summary(entry.role) : ""));
    }
    const access::Request& request = *parsed.request;
    if (!access::permits(entry.role, request.needs)) {
        return refuse("refused '" + request.what + "': " + who + " may not; it needs the " +
                      access::to_string(request.needs) + " role");
    }
    return request.git ? run_git(entry, request) : run_kiln(entry, request);
}

}  // namespace

Handler define_shell(CLI::App& command) {
    auto name = std::make_shared<std::string>();
    command.add_option("NAME", *name, "The key this session logged in with")->required();
    command.footer("Meant for authorized_keys, as the forced command 'kiln key add' writes; not for people.\n"
                   "Runs what SSH_ORIGINAL_COMMAND asks when the key's role and repositories allow it (git fetch,\n"
                   "push, archive; kiln repos, builds, show, logs, image, rebuild, cancel, init, key), in an\n"
                   "environment of its own, and logs every request to <state_dir>/access.log. Reads only the\n"
                   "config named with --config (never $KILN_CONFIG or ~/.config); none: the built-in defaults.");
    return [name](Context& context) {
        Session session(shell_config(context), *name);
        return session.run();
    };
}

}  // namespace kiln::cli
