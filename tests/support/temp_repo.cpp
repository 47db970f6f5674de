#include "tests/support/temp_repo.h"

namespace kiln::test {

TempRepo::TempRepo() : path_(dir_.path() / "repo.git") {
    git_repository* raw = nullptr;
    git::check(git_repository_init(&raw, path_.c_str(), 1), "creating test repository");
    repo_.reset(raw);
}

std::string TempRepo::commit(const std::string& branch, const std::map<std::string, std::string>& files,
                             const std::string& message) {
    git_index* raw_index = nullptr;
    git::check(git_index_new(&raw_index), "creating in-memory index");
    const git::Index index(raw_index);
    for (const auto& [file, content] : files) {
        // git_index_add_from_buffer needs an index backed by a repository; an
        // in-memory index takes entries whose blob is already written.
        git_index_entry entry{};
        entry.path = file.c_str();
        entry.mode = GIT_FILEMODE_BLOB;
        git::check(git_blob_create_from_buffer(&entry.id, repo_.get(), content.data(), content.size()),
                   "writing '" + file + "' for test commit");
        git::check(git_index_add(index.get(), &entry), "adding '" + file + "' to test commit");
    }
    git_oid tree_id;
    git::check(git_index_write_tree_to(&tree_id, index.get(), repo_.get()), "writing test tree");
    git_tree* raw_tree = nullptr;
    git::check(git_tree_lookup(&raw_tree, repo_.get(), &tree_id), "looking up test tree");
    const git::Tree tree(raw_tree);

    const std::string ref_name = "refs/heads/" + branch;
    git_commit* raw_parent = nullptr;
    git_oid parent_id;
    if (git_reference_name_to_id(&parent_id, repo_.get(), ref_name.c_str()) == 0) {
        git::check(git_commit_lookup(&raw_parent, repo_.get(), &parent_id), "looking up parent commit");
    }
    const git::Commit parent(raw_parent);
    const git_commit* parents[] = {parent.get()};

    git_signature* raw_signature = nullptr;
    git::check(git_signature_new(&raw_signature, "kiln test", "test@kiln.invalid", 1700000000, 0),
               "creating test signature");
    const std::unique_ptr<git_signature, git::Deleter<git_signature_free>> signature(raw_signature);

    git_oid commit_id;
    git::check(git_commit_create(&commit_id, repo_.get(), ref_name.c_str(), signature.get(), signature.get(),
                                 nullptr, message.c_str(), tree.get(), parent ? 1 : 0, parents),
               "creating test commit");
    return git::to_hex(commit_id);
}

}  // namespace kiln::test
