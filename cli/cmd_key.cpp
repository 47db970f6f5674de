// `kiln key add|ls|rm`: the keys that may reach this box over SSH, each with a
// role and the repositories it may touch (docs/access.md).

#include <cstdio>
#include <ctime>
#include <iostream>
#include <iterator>
#include <memory>
#include <system_error>

#include "access/account.h"
#include "access/keys.h"
#include "cli/command.h"
#include "cli/json_output.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "common/names.h"
#include "common/posix.h"
#include "queue/build_record.h"

namespace kiln::cli {
namespace {

access::KeyFiles key_files(Context& context) {
    const config::Config& config = context.config();
    return access::KeyFiles{config.state_dir, access::authorized_keys_path(access::current_account()),
                            access::ShellTarget{current_executable(), config.source}};
}

// PUBKEY: `-` is stdin, an existing file is a .pub file, anything else is the
// key line itself.
std::string key_text(const std::string& argument) {
    if (argument == "-") {
        return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    }
    std::error_code error;
    if (std::filesystem::is_regular_file(argument, error)) {
        return read_file(argument);
    }
    return argument;
}

struct AddArgs {
    std::string name;
    std::string key;
    std::string role = "read";
    std::vector<std::string> repos;
};

Handler define_add(CLI::App& command) {
    auto args = std::make_shared<AddArgs>();
    command.add_option("NAME", args->name, "The key's name: the identity its pushes are recorded with")->required();
    command.add_option("PUBKEY", args->key, "The public key: a line 'TYPE BASE64 [COMMENT]', a .pub file, or - (stdin)")
        ->required();
    command.add_option("--role", args->role, "read (default: fetch and look), write (+ push, rebuild, cancel) or admin")
        ->check(CLI::IsMember({"read", "write", "admin"}));
    command.add_option("--repos", args->repos, "Repository globs the key may reach ('team/*'); default: every repo");
    command.footer("Adds one line to this user's ~/.ssh/authorized_keys whose forced command is\n"
                   "'kiln shell NAME', and records the role in <state_dir>/keys.json. The default role is read,\n"
                   "the safe one: give write or admin on purpose.");
    return [args](Context& context) {
        if (const std::optional<std::string> problem = key_name_problem(args->name)) {
            throw UsageError(*problem);
        }
        for (const std::string& glob : args->repos) {
            if (const std::optional<std::string> problem = access::repo_glob_problem(glob)) {
                throw UsageError(*problem);
            }
        }
        const access::ParsedKey parsed = access::parse_public_key(key_text(args->key));
        if (!parsed.key) {
            throw UsageError(describe("adding key '" + args->name + "'", parsed.problem));
        }
        access::KeyEntry entry{args->name, *access::parse_role(args->role), args->repos, *parsed.key,
                               static_cast<std::int64_t>(std::time(nullptr))};
        access::add_key(key_files(context), entry);
        std::cout << "added key " << entry.name << " (" << access::to_string(entry.role) << ", "
                  << access::describe_repos(entry.repos) << ") " << access::fingerprint(entry.key) << '\n';
        return 0;
    };
}

Handler define_ls(CLI::App& command) {
    auto json = std::make_shared<bool>(false);
    command.add_flag("--json", *json, "Print JSON: an array of keys");
    return [json](Context& context) {
        const access::KeyMap keys = access::read_keys(access::keys_file(context.config().state_dir));
        if (*json) {
            nlohmann::json list = nlohmann::json::array();
            for (const auto& [name, entry] : keys) {
                list.push_back({{"name", name},
                                {"role", access::to_string(entry.role)},
                                {"repos", entry.repos},
                                {"type", entry.key.type},
                                {"fingerprint", access::fingerprint(entry.key)},
                                {"added", queue::format_iso8601(entry.added)}});
            }
            print_json(list);
            return 0;
        }
        if (keys.empty()) {
            std::cerr << "no keys yet (add one with 'kiln key add NAME KEY.pub')\n";
            return 0;
        }
        std::printf("%-16s %-6s %-20s %-51s %s\n", "NAME", "ROLE", "REPOS", "KEY", "ADDED");
        for (const auto& [name, entry] : keys) {
            std::printf("%-16s %-6s %-20s %-51s %s\n", name.c_str(), access::to_string(entry.role).c_str(),
                        (entry.repos.empty() ? std::string("*") : access::describe_repos(entry.repos)).c_str(),
                        access::fingerprint(entry.key).c_str(), queue::format_iso8601(entry.added).c_str());
        }
        return 0;
    };
}

Handler define_rm(CLI::App& command) {
    auto name = std::make_shared<std::string>();
    command.add_option("NAME", *name, "The key to remove")->required();
    command.footer("Removes the key's authorized_keys line (its access ends there) and its keys.json entry.");
    return [name](Context& context) {
        if (!access::remove_key(key_files(context), *name)) {
            throw UsageError(describe("removing key '" + *name + "'", "no such key (list them with 'kiln key ls')"));
        }
        std::cout << "removed key " << *name << '\n';
        return 0;
    };
}

}  // namespace

Handler define_key(CLI::App& command) {
    CLI::App* add = command.add_subcommand("add", "Let a public key in, with a role and the repositories it reaches");
    CLI::App* ls = command.add_subcommand("ls", "List the keys kiln manages");
    CLI::App* rm = command.add_subcommand("rm", "Remove a key");
    return dispatch_subcommands(command, {{add, define_add(*add)}, {ls, define_ls(*ls)}, {rm, define_rm(*rm)}});
}

}  // namespace kiln::cli
