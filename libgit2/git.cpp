#include "libgit2/git.h"

#include "common/error.h"

namespace kiln::git {

Library::Library() {
    check(git_libgit2_init(), "initialising libgit2");
}

Library::~Library() {
    git_libgit2_shutdown();
}

int check(int rc, const std::string& doing) {
    if (rc >= 0) {
        return rc;
    }
    const git_error* last = git_error_last();
    const std::string why = (last != nullptr && last->message != nullptr) ? last->message
                                                                           : "libgit2 error " + std::to_string(rc);
    throw GitError(describe(doing, why));
}

Repository open_repository(const std::string& path) {
    git_repository* raw = nullptr;
    check(git_repository_open_ext(&raw, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr),
          "opening repository '" + path + "'");
    return Repository(raw);
}

git_oid parse_oid(const std::string& hex) {
    git_oid oid;
    if (hex.size() != GIT_OID_HEXSZ) {
        throw GitError("parsing object id '" + hex + "': expected " + std::to_string(GIT_OID_HEXSZ) + " hex digits");
    }
    check(git_oid_fromstr(&oid, hex.c_str()), "parsing object id '" + hex + "'");
    return oid;
}

std::string to_hex(const git_oid& oid) {
    char buffer[GIT_OID_HEXSZ + 1];
    git_oid_tostr(buffer, sizeof buffer, &oid);
    return buffer;
}

}  // namespace kiln::git
