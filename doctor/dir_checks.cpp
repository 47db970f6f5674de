#include <cstdio>

#include <sys/stat.h>

#include "doctor/checks.h"
#include "common/accounts.h"
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
constexpr DirRule kStateDir{"state_dir", 0755, 0022, "other users can change build records and the queue"};
constexpr DirRule kSecretsDir{"secrets_dir", 0700, 0077, "other users can read the secrets in it"};

// `0755`.
std::string mode_text(unsigned mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", mode & 07777);
    return text;
}

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

}  // namespace

std::vector<Check> check_dirs(const Setup& setup) {
    return {check_dir(setup, kGitRoot, setup.config.git_root), check_dir(setup, kStateDir, setup.config.state_dir),
            check_dir(setup, kSecretsDir, setup.config.secrets_dir)};
}

}  // namespace kiln::doctor
