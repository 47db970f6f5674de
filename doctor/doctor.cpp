#include "doctor/doctor.h"

#include <iterator>

#include "common/text.h"
#include "doctor/checks.h"

namespace kiln::doctor {
namespace {

void append(std::vector<Check>& checks, std::vector<Check> more) {
    checks.insert(checks.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
}

}  // namespace

std::vector<Check> run_checks(const Setup& setup) {
    std::vector<Check> checks{passed("config", setup.config.source.empty()
                                                   ? "built-in defaults (no config file found)"
                                                   : setup.config.source.string() + " is valid")};
    append(checks, check_dirs(setup));
    RepoScan repos = check_repos(setup);
    append(checks, std::move(repos.checks));
    append(checks, check_runner(setup));
    append(checks, check_registry(setup));
    append(checks, check_tools(setup, repos.tools));
    append(checks, check_sandbox(setup));
    append(checks, check_disks(setup));
    return checks;
}

std::vector<Check> config_failures(const std::string& error, const std::string& file, const std::string& kiln) {
    std::vector<Check> checks;
    for (const std::string& line : split_lines(error)) {
        checks.push_back(failed("config", line, "correct " + file + ", then " + kiln + " config check " + file));
    }
    return checks;
}

}  // namespace kiln::doctor
