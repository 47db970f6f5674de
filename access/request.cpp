#include "access/request.h"

#include <algorithm>
#include <functional>

#include "access/public_key.h"
#include "common/image_names.h"
#include "common/names.h"
#include "common/text.h"
#include "common/units.h"
#include "releases/ledger.h"
#include "releases/release_lookup.h"

namespace kiln::access {
namespace {

/// The kinds of value a kiln subcommand takes, each with its own check.
enum class Arg {
    repo, build, rev, release, image_name, image_ref, image_tag, key_name, public_key, role, glob, count,
    digest, host, deploy_status, exit_status, duration
};

struct OptionSpec {
    std::string name;                 ///< `--limit`: what goes in the rebuilt argv
    std::string alias;                ///< `-n`, or empty
    std::optional<Arg> value;         ///< none: a flag
    bool many = false;                ///< takes every following word up to the next option
};

struct SubcommandSpec {
    std::string name;  ///< `builds`, `image tags`
    Role needs;
    std::vector<Arg> positional;
    std::size_t required;
    std::vector<OptionSpec> options;
};

const OptionSpec kJson{"--json", "", std::nullopt};

const std::vector<SubcommandSpec>& subcommands() {
    static const std::vector<SubcommandSpec> kSpecs{
        {"repos", Role::read, {}, 0, {kJson}},
        {"builds", Role::read, {Arg::repo}, 0, {kJson, {"--limit", "-n", Arg::count}}},
        {"show", Role::read, {Arg::repo, Arg::build}, 1, {kJson}},
        {"logs", Role::read, {Arg::repo, Arg::build}, 1, {{"--follow", "-f", std::nullopt}}},
        {"releases", Role::read, {Arg::repo}, 1, {kJson}},
        {"image ls", Role::read, {}, 0, {kJson}},
        {"image tags", Role::read, {Arg::image_name}, 1, {kJson}},
        {"image inspect", Role::read, {Arg::image_ref}, 1, {kJson}},
        {"rebuild", Role::write, {Arg::repo, Arg::rev}, 1, {}},
        {"cancel", Role::write, {Arg::repo, Arg::build}, 2, {}},
        {"rollback", Role::write, {Arg::repo, Arg::release}, 1, {}},
        {"deployed", Role::write, {Arg::repo, Arg::digest}, 2,
         {{"--host", "", Arg::host}, {"--status", "", Arg::deploy_status}, {"--exit", "", Arg::exit_status}}},
        {"init", Role::admin, {Arg::repo}, 1, {}},
        {"key add", Role::admin, {Arg::key_name, Arg::public_key}, 2,
         {{"--role", "", Arg::role}, {"--repos", "", Arg::glob, true}}},
        {"key ls", Role::admin, {}, 0, {kJson}},
        {"key rm", Role::admin, {Arg::key_name}, 1, {}},
        {"image tag", Role::admin, {Arg::image_ref, Arg::image_tag}, 2, {}},
        {"image rm", Role::admin, {Arg::image_ref}, 1, {{"--all-tags", "--force", std::nullopt}}},
        {"image gc", Role::admin, {}, 0,
         {{"--delete-untagged", "", std::nullopt}, {"--dry-run", "", std::nullopt}, {"--wait", "", Arg::duration}}},
        {"image prune", Role::admin, {Arg::image_name}, 1,
         {{"--keep", "", Arg::count}, {"--dry-run", "", std::nullopt}, {"--build-tags-only", "", std::nullopt}, kJson}},
    };
    return kSpecs;
}

struct Checked {
    std::optional<std::string> value;
    std::string problem;
};

Checked ok(std::string value) { return Checked{std::move(value), ""}; }
Checked bad(std::string why) { return Checked{std::nullopt, std::move(why)}; }

bool all_digits(const std::string& text) {
    return !text.empty() && text.size() <= 9 && std::all_of(text.begin(), text.end(), [](char c) {
        return c >= '0' && c <= '9';
    });
}

Checked check_count(const std::string& text) {
    if (!all_digits(text) || std::stol(text) <= 0) {
        return bad("'" + text + "' is not a positive number");
    }
    return ok(std::to_string(std::stol(text)));
}

Checked check_build(const std::string& text) {
    if (text == "last") {
        return ok(text);
    }
    if (!all_digits(text) || std::stol(text) <= 0) {
        return bad("'" + text + "' is not a build number or 'last'");
    }
    return ok(std::to_string(std::stol(text)));
}

// A release for `kiln rollback`: a build number (`42`, `#42`) or a prefix of
// its commit, at least 7 hex digits.
Checked check_release(const std::string& text) {
    const std::string number = text.starts_with("#") ? text.substr(1) : text;
    if (all_digits(number) && std::stol(number) > 0) {
        return ok("#" + std::to_string(std::stol(number)));
    }
    if (releases::looks_like_sha_prefix(text)) {
        return ok(text);
    }
    return bad("'" + text + "' is not a build number (#42) or a commit prefix of 7 to 40 hex digits");
}

Checked check_exit_status(const std::string& text) {
    if (text == "0" || (all_digits(text) && text.front() != '0' && std::stol(text) <= 255)) {
        return ok(text);
    }
    return bad("'" + text + "' is not an exit status (0 to 255)");
}


// A branch or commit for `kiln rebuild`: the characters of ordinary ref names.
Checked check_rev(const std::string& text) {
    const bool plain = !text.empty() && text.size() <= 255 && text.front() != '-' && text.front() != '/' &&
                       text.find("..") == std::string::npos && text.find("//") == std::string::npos &&
                       std::all_of(text.begin(), text.end(), [](char c) {
                           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                                  c == '.' || c == '_' || c == '/' || c == '-';
                       });
    return plain ? ok(text) : bad("'" + text + "' is not a branch name or a commit");
}

// Image names over kiln shell name the configured registry only: a first
// component that names a host (as kiln image reads references) is refused, so
// a key cannot point the box at another server.
Checked check_image_name(const std::string& name) {
    const std::string first = name.substr(0, name.find('/'));
    if (name.find('/') != std::string::npos &&
        (first.find('.') != std::string::npos || first.find(':') != std::string::npos || first == "localhost")) {
        return bad("image '" + name + "' names a registry host; over ssh only the configured registry is reached");
    }
    if (!is_image_name(name)) {
        return bad("'" + name + "' is not an image name");
    }
    return ok(name);
}

Checked check_image_ref(const std::string& text) {
    std::string rest = text;
    std::string suffix;
    if (const std::size_t hash = rest.find('#'); hash != std::string::npos) {
        const std::string number = rest.substr(hash + 1);
        if (!all_digits(number) || std::stol(number) <= 0) {
            return bad("'" + text + "' names a build that is not a number (NAME#42)");
        }
        suffix = "#" + std::to_string(std::stol(number));
        rest = rest.substr(0, hash);
    } else if (const std::size_t at = rest.find('@'); at != std::string::npos) {
        const std::string digest = rest.substr(at + 1);
        if (!is_sha256_digest(digest)) {
            return bad("'" + text + "' has a digest that is not sha256:<64 hex digits>");
        }
        suffix = "@" + digest;
        rest = rest.substr(0, at);
    } else if (const std::size_t colon = rest.rfind(':');
               colon != std::string::npos && rest.find('/', colon) == std::string::npos) {
        const std::string tag = rest.substr(colon + 1);
        if (!is_image_tag(tag)) {
            return bad("'" + text + "' has a tag that is not one");
        }
        suffix = ":" + tag;
        rest = rest.substr(0, colon);
    }
    const Checked name = check_image_name(rest);
    return name.value ? ok(*name.value + suffix) : name;
}

Checked check(Arg kind, const std::string& text, KilnRequest& request) {
    switch (kind) {
    case Arg::repo:
        if (const std::optional<std::string> problem = repo_name_problem(text)) {
            return bad(*problem);
        }
        request.repos.push_back(canonical_repo_name(text));
        return ok(request.repos.back());
    case Arg::build:
        return check_build(text);
    case Arg::rev:
        return check_rev(text);
    case Arg::release:
        return check_release(text);
    case Arg::digest:
        return is_sha256_digest(text) ? ok(text) : bad("'" + text + "' is not a digest (sha256:<64 hex digits>)");
    case Arg::host:
        return is_host_name(text) ? ok(text) : bad("'" + text + "' is not a host name");
    case Arg::deploy_status:
        return releases::parse_deploy_status(text) ? ok(text)
                                                   : bad("'" + text + "' is not deployed, failed, unhealthy or reverted");
    case Arg::exit_status:
        return check_exit_status(text);
    case Arg::duration:
        return parse_duration(text) ? ok(text) : bad("'" + text + "' is not a duration (10m, 30s)");
    case Arg::image_name:
        return check_image_name(text);
    case Arg::image_ref:
        return check_image_ref(text);
    case Arg::image_tag:
        return is_image_tag(text) ? ok(text) : bad("'" + text + "' is not an image tag");
    case Arg::key_name:
        if (const std::optional<std::string> problem = key_name_problem(text)) {
            return bad(*problem);
        }
        return ok(text);
    case Arg::public_key: {
        if (text == "-") {
            return ok(text);
        }
        const ParsedKey parsed = parse_public_key(text);
        // Over ssh a key comes quoted as one word or on stdin (`-`), never as a
        // path: the client has no business naming files on the box.
        return parsed.key ? ok(parsed.key->text()) : bad(parsed.problem + " (over ssh, give the key on stdin: '-')");
    }
    case Arg::role:
        return parse_role(text) ? ok(text) : bad("'" + text + "' is not a role (read, write or admin)");
    case Arg::glob:
        if (const std::optional<std::string> problem = repo_glob_problem(text)) {
            return bad(*problem);
        }
        return ok(text);
    case Arg::count:
        return check_count(text);
    }
    return bad("unknown argument kind");
}

ParsedRequest refused(std::string why) { return ParsedRequest{std::nullopt, std::move(why)}; }

const OptionSpec* find_option(const SubcommandSpec& spec, const std::string& word) {
    for (const OptionSpec& option : spec.options) {
        if (word == option.name || (!option.alias.empty() && word == option.alias)) {
            return &option;
        }
    }
    return nullptr;
}

ParsedRequest parse_kiln(const SubcommandSpec& spec, const std::vector<std::string>& words, std::size_t first) {
    const std::string what = "kiln " + spec.name;
    KilnRequest request;
    request.args = split(spec.name, ' ');
    std::vector<std::string> positional;
    std::vector<std::string> options;
    for (std::size_t i = first; i < words.size(); ++i) {
        const std::string& word = words[i];
        if (!word.starts_with("-") || word == "-") {
            if (positional.size() == spec.positional.size()) {
                return refused("'" + what + "' takes at most " + std::to_string(spec.positional.size()) +
                               " argument(s); '" + word + "' is one too many");
            }
            const Checked value = check(spec.positional[positional.size()], word, request);
            if (!value.value) {
                return refused("'" + what + "': " + value.problem);
            }
            positional.push_back(*value.value);
            continue;
        }
        const OptionSpec* option = find_option(spec, word);
        if (option == nullptr) {
            return refused("'" + what + "' over ssh takes no option '" + word + "'");
        }
        if (std::find(options.begin(), options.end(), option->name) != options.end()) {
            return refused("'" + what + "': option " + option->name + " given twice");
        }
        options.push_back(option->name);
        if (!option->value) {
            continue;
        }
        std::size_t taken = 0;
        while (i + 1 < words.size() && (taken == 0 || option->many) && !words[i + 1].starts_with("-")) {
            const Checked value = check(*option->value, words[++i], request);
            if (!value.value) {
                return refused("'" + what + "' " + option->name + ": " + value.problem);
            }
            options.push_back(*value.value);
            ++taken;
        }
        if (taken == 0) {
            return refused("'" + what + "': option " + option->name + " needs a value");
        }
    }
    if (positional.size() < spec.required) {
        return refused("'" + what + "' needs " + std::to_string(spec.required) + " argument(s), got " +
                       std::to_string(positional.size()));
    }
    // Positionals first, options after: `--repos` takes every word after it.
    request.args.insert(request.args.end(), positional.begin(), positional.end());
    request.args.insert(request.args.end(), options.begin(), options.end());
    Request result{what, spec.needs, std::nullopt, std::move(request)};
    return ParsedRequest{std::move(result), ""};
}

std::optional<GitService> git_service(const std::string& name) {
    if (name == "upload-pack") {
        return GitService::upload_pack;
    }
    if (name == "receive-pack") {
        return GitService::receive_pack;
    }
    if (name == "upload-archive") {
        return GitService::upload_archive;
    }
    return std::nullopt;
}

std::string shown(const std::vector<std::string>& words) {
    std::string text = join(words, " ");
    return text.size() > 80 ? text.substr(0, 80) + "..." : text;
}

}  // namespace

std::string to_string(GitService service) {
    switch (service) {
    case GitService::upload_pack:
        return "upload-pack";
    case GitService::receive_pack:
        return "receive-pack";
    case GitService::upload_archive:
        return "upload-archive";
    }
    return "upload-pack";
}

ParsedRequest parse_request(const std::vector<std::string>& words) {
    if (words.empty()) {
        return refused("empty command");
    }
    std::optional<GitService> service;
    std::size_t path_at = 1;
    if (words[0].starts_with("git-")) {
        service = git_service(words[0].substr(4));
    } else if (words[0] == "git" && words.size() > 1) {
        service = git_service(words[1]);
        path_at = 2;
    }
    if (service) {
        const std::string what = "git-" + to_string(*service);
        if (words.size() != path_at + 1) {
            return refused("'" + what + "' takes exactly one repository path");
        }
        Request request{what, *service == GitService::receive_pack ? Role::write : Role::read,
                        GitRequest{*service, words[path_at]}, std::nullopt};
        return ParsedRequest{std::move(request), ""};
    }
    const std::size_t first = words[0] == "kiln" ? 1 : 0;
    if (first < words.size()) {
        for (const SubcommandSpec& spec : subcommands()) {
            const std::vector<std::string> name = split(spec.name, ' ');
            if (words.size() - first >= name.size() &&
                std::equal(name.begin(), name.end(), words.begin() + static_cast<std::ptrdiff_t>(first))) {
                return parse_kiln(spec, words, first + name.size());
            }
        }
    }
    ParsedRequest unknown = refused("'" + shown(words) + "' is not a command kiln shell runs");
    unknown.unknown_command = true;
    return unknown;
}

std::string allowed_summary(Role role) {
    std::vector<std::string> git{"git-upload-pack", "git-upload-archive"};
    if (permits(role, Role::write)) {
        git.push_back("git-receive-pack");
    }
    std::vector<std::string> kiln;
    for (const SubcommandSpec& spec : subcommands()) {
        if (permits(role, spec.needs)) {
            kiln.push_back(spec.name);
        }
    }
    return join(git, ", ") + "; kiln " + join(kiln, ", ");
}

}  // namespace kiln::access
