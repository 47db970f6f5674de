#pragma once

#include <istream>
#include <string>
#include <vector>

namespace kiln::hooks {

/// One `OLD NEW REF` line of post-receive input, validated.
struct RefUpdate {
    std::string old_sha;  ///< 40 or 64 lowercase hex digits; all zeros when REF was created
    std::string new_sha;  ///< all zeros when REF was deleted
    std::string ref;      ///< a well-formed full ref name, `refs/...`
    int line = 0;         ///< 1-based line number in the hook's input

    bool deletion() const;
};

/// A line that was not a valid update: reported to the pusher and skipped.
struct MalformedLine {
    int line = 0;
    std::string problem;  ///< what is wrong, quoting (a printable excerpt of) the line
};

struct HookInput {
    std::vector<RefUpdate> updates;
    std::vector<MalformedLine> malformed;
};

/// Reads every line of `in` (git's post-receive stdin). A malformed line never
/// stops the reading: it lands in `malformed` and the others still count.
HookInput read_hook_input(std::istream& in);

/// True for an object id of 40 (SHA-1) or 64 (SHA-256) lowercase hex digits.
bool is_object_id(const std::string& text);

/// True for a full ref name git would accept (`refs/heads/main`), by the rules
/// of `git check-ref-format`: no empty component or one that starts with `.`
/// or ends with `.lock`; no `..`, `@{`, control characters, space, `~ ^ : ? * [ \`;
/// no trailing `.`.
bool is_valid_ref_name(const std::string& ref);

}  // namespace kiln::hooks
