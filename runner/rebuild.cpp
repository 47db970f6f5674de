#include "runner/rebuild.h"

#include <optional>

#include "common/error.h"
#include "libgit2/git.h"
#include "queue/build_identity.h"
#include "queue/build_record.h"

namespace kiln::runner {
namespace {

// The branch of the newest build that had one.
std::optional<std::string> built_branch(const queue::StateLayout& layout, const std::string& repo) {
    const std::vector<int> numbers = build_numbers(layout, repo);
    for (auto it = numbers.rbegin(); it != numbers.rend(); ++it) {
        try {
            if (std::optional<queue::BuildRecord> record = find_record(layout, repo, *it)) {
                if (const std::string branch = record->id.branch(); !branch.empty()) {
                    return branch;
                }
            }
        } catch (const StateError&) {
            // An unreadable old record says nothing about the branch.
        }
    }
    return std::nullopt;
}

bool has_branch(git_repository* repo, const std::string& branch) {
    git_reference* raw = nullptr;
    const int found = git_reference_lookup(&raw, repo, ("refs/heads/" + branch).c_str());
    const git::Reference owned(raw);
    return found == 0;
}

// A repository nobody built yet: the branch its HEAD names, where that exists
// (a repository whose default is `master`), else `main`, else `master`.
std::string first_branch(git_repository* repo) {
    git_reference* raw = nullptr;
    if (git_reference_lookup(&raw, repo, "HEAD") == 0) {
        const git::Reference head(raw);
        if (const char* target = git_reference_symbolic_target(head.get())) {
            const std::string branch = queue::branch_of_ref(target);
            if (!branch.empty() && has_branch(repo, branch)) {
                return branch;
            }
        }
    }
    return has_branch(repo, "main") || !has_branch(repo, "master") ? "main" : "master";
}

// The branch whose tip is `oid`, so a rebuild of `main`'s tip by sha still
// builds as `main` (KILN_BRANCH, image tags, coalescing).
std::string branch_at(git_repository* repo, const git_oid& oid) {
    git_branch_iterator* raw = nullptr;
    if (git_branch_iterator_new(&raw, repo, GIT_BRANCH_LOCAL) < 0) {
        return {};
    }
    const std::unique_ptr<git_branch_iterator, git::Deleter<git_branch_iterator_free>> iterator(raw);
    git_reference* ref = nullptr;
    git_branch_t type{};
    while (git_branch_next(&ref, &type, iterator.get()) == 0) {
        const git::Reference owned(ref);
        const git_oid* target = git_reference_target(owned.get());
        if (target != nullptr && git_oid_equal(target, &oid)) {
            return git_reference_name(owned.get());
        }
    }
    return {};
}

}  // namespace

queue::BuildIdentity resolve_rebuild_target(const queue::StateLayout& layout, const std::string& repo,
                                     const std::filesystem::path& repo_path, const std::string& what) {
    const git::Repository git_repo = git::open_repository(repo_path.string());
    const std::string name = !what.empty() ? what : built_branch(layout, repo).value_or(first_branch(git_repo.get()));

    git_reference* raw_ref = nullptr;
    const std::string branch_ref = "refs/heads/" + name;
    if (git_reference_lookup(&raw_ref, git_repo.get(), branch_ref.c_str()) == 0) {
        const git::Reference ref(raw_ref);
        git_object* raw_commit = nullptr;
        git::check(git_reference_peel(&raw_commit, ref.get(), GIT_OBJECT_COMMIT),
                   "resolving branch '" + name + "' in " + repo);
        const git::Object commit(raw_commit);
        return {repo, 0, branch_ref, git::to_hex(*git_object_id(commit.get())), queue::kTriggerRebuild, {}};
    }

    git_object* raw_object = nullptr;
    if (git_revparse_single(&raw_object, git_repo.get(), name.c_str()) == 0) {
        const git::Object object(raw_object);
        git_object* raw_commit = nullptr;
        if (git_object_peel(&raw_commit, object.get(), GIT_OBJECT_COMMIT) == 0) {
            const git::Object commit(raw_commit);
            const git_oid& oid = *git_object_id(commit.get());
            return {repo, 0, branch_at(git_repo.get(), oid), git::to_hex(oid), queue::kTriggerRebuild, {}};
        }
    }
    throw UsageError(describe("resolving '" + name + "' in " + repo, "no branch or commit of that name"));
}

}  // namespace kiln::runner
