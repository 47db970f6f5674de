#include "access/repo_path.h"

#include <system_error>

#include "common/names.h"

namespace kiln::access {
namespace fs = std::filesystem;
namespace {

MappedRepo refused(std::string why) { return MappedRepo{"", std::move(why)}; }

std::string quoted(const std::string& text) { return "'" + text + "'"; }

bool inside(const fs::path& real, const fs::path& root) {
    const std::string r = root.string();
    const std::string p = real.string();
    return p.size() > r.size() && p.compare(0, r.size(), r) == 0 && (r.back() == '/' || p[r.size()] == '/');
}

RepoLocation refused_location(std::string why) {
    RepoLocation location;
    location.problem = std::move(why);
    return location;
}

}  // namespace

MappedRepo map_repo_path(const std::string& path, const fs::path& git_root) {
    if (path.empty()) {
        return refused("no repository named");
    }
    if (path.find('\0') != std::string::npos) {
        return refused("the repository path contains a NUL byte");
    }
    std::string relative;
    if (path.starts_with("~/")) {
        relative = path.substr(2);
    } else if (path.front() == '~') {
        return refused("repository " + quoted(path) + ": only '~/' (git_root) may start a path");
    } else if (path.front() == '/') {
        std::string root = git_root.lexically_normal().string();
        while (root.size() > 1 && root.back() == '/') {
            root.pop_back();
        }
        if (path.size() <= root.size() + 1 || path.compare(0, root.size(), root) != 0 || path[root.size()] != '/') {
            return refused("repository " + quoted(path) + " is not under git_root " + root);
        }
        relative = path.substr(root.size() + 1);
    } else {
        relative = path;
    }
    if (const std::optional<std::string> problem = repo_name_problem(relative)) {
        return refused(*problem);
    }
    return MappedRepo{canonical_repo_name(relative), ""};
}

RepoLocation locate_repo(const fs::path& git_root, const std::string& name) {
    std::error_code error;
    const fs::path root = fs::canonical(git_root, error);
    if (error) {
        return refused_location("git_root " + git_root.string() + " does not exist: " + error.message());
    }
    const fs::path lexical = bare_repo_path(git_root, name);
    const std::string leads_out = "repository '" + name + "' leads out of git_root " + git_root.string();
    if (fs::symlink_status(lexical, error).type() != fs::file_type::not_found) {
        const fs::path real = fs::canonical(lexical, error);
        if (error || !inside(real, root)) {
            return refused_location(leads_out + (error ? " (a symlink to nowhere)" : " (to " + real.string() + ")"));
        }
        RepoLocation location;
        location.path = real;
        location.exists = true;
        return location;
    }
    // Not there yet: the team folder it would be made in must be inside too.
    if (name.find('/') != std::string::npos) {
        const fs::path parent = lexical.parent_path();
        if (fs::symlink_status(parent, error).type() != fs::file_type::not_found) {
            const fs::path real = fs::canonical(parent, error);
            if (error || !inside(real, root)) {
                return refused_location(leads_out + " (through " + parent.string() + ")");
            }
        }
    }
    RepoLocation location;
    location.path = lexical;
    return location;
}

}  // namespace kiln::access
