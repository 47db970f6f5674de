#include <system_error>

#include <sys/stat.h>

#include "doctor/checks.h"
#include "common/accounts.h"
#include "common/file_modes.h"
#include "doctor/kiln_user.h"

namespace kiln::doctor {
namespace {

struct DirRule {
    const char* name;        ///< the config key
    unsigned mode;           ///< what install.sh gives it
    unsigned forbidden;      ///< mode bits that are a problem
    const char* why;         ///< what those bits let others do
};

constexpr DirRule kGitRoot{"git_root", 0755, 0022, "other users can change the repositories and their hooks"};
constexpr DirRule kStateDir{"state_dir", 0700, 0077,
                            "other users can read build records and logs, which may quote secrets, or change them"};
constexpr DirRule kSecretsDir{"secrets_dir", 0700, 0077, "other users can read the secrets in it"};

Check check_dir(const Setup& setup, const DirRule& rule, const std::filesystem::path& path) {
    const std::string where = path.string();
    const std::string owner = setup.user.name;
    const std::string create = setup.sudo + "install -d -o " + owner + " -g " + group_name(setup.user.gid) + " -m " +
                               mode_text(rule.mode).substr(1) + " " + where;
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
        return failed(rule.name, where + " does not exist", create);
    }
    if (!S_ISDIR(info.st_mode)) {
        return failed(rule.name, where + " is not a directory", "move it away, then " + create);
    }
    if (info.st_uid != setup.user.uid) {
        return failed(rule.name, where + " belongs to " + user_name(info.st_uid) + ", not to " + owner,
                      setup.sudo + "chown -R " + owner + ": " + where);
    }
    const unsigned mode = info.st_mode & 07777;
    if ((mode & rule.forbidden) != 0) {
        return failed(rule.name, where + " has mode " + mode_text(mode) + ": " + rule.why,
                      "chmod " + mode_text(rule.mode).substr(1) + " " + where);
    }
    return passed(rule.name, where + " (owner " + owner + ", mode " + mode_text(mode) + ")");
}

// A check for each secrets file other users can read, and for a config file
// holding registry.password that they can: the builds still run (the runner
// warns in each build's log), but every local user can read those secrets.
std::vector<Check> check_secret_files(const Setup& setup) {
    std::vector<Check> checks;
    const auto check_file = [&](const std::string& name, const std::filesystem::path& file, const std::string& why) {
        if (const std::optional<unsigned> mode = loose_mode(file)) {
            checks.push_back(failed(name, file.string() + " has mode " + mode_text(*mode) + ": " + why,
                                    "chmod 600 " + file.string()));
        }
    };
    if (!setup.config.registry.password.empty() && !setup.config.source.empty()) {
        check_file("config", setup.config.source, "other users can read registry.password in it");
    }
    std::error_code ec;
    for (std::filesystem::recursive_directory_iterator it(setup.config.secrets_dir, ec), end; !ec && it != end;
         it.increment(ec)) {
        if (it->path().extension() == ".env" && it->is_regular_file(ec)) {
            check_file("secrets " + it->path().lexically_relative(setup.config.secrets_dir).string(), it->path(),
                       "other users can read the secrets in it");
        }
    }
    return checks;
}

}  // namespace

std::vector<Check> check_dirs(const Setup& setup) {
    std::vector<Check> checks{check_dir(setup, kGitRoot, setup.config.git_root),
                              check_dir(setup, kStateDir, setup.config.state_dir),
                              check_dir(setup, kSecretsDir, setup.config.secrets_dir)};
    for (Check& check : check_secret_files(setup)) {
        checks.push_back(std::move(check));
    }
    return checks;
}

}  // namespace kiln::doctor
