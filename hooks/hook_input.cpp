#include "hooks/hook_input.h"

#include <algorithm>
#include <string_view>

#include "common/text.h"

namespace kiln::hooks {
namespace {

// A garbage line may be megabytes of binary: quote only a short, printable excerpt.
constexpr std::size_t kExcerptMax = 60;

std::string excerpt(const std::string& text) {
    std::string shown;
    for (const char c : text.substr(0, kExcerptMax)) {
        const auto byte = static_cast<unsigned char>(c);
        shown += (byte >= 0x20 && byte < 0x7f) ? c : '?';
    }
    if (text.size() > kExcerptMax) {
        shown += "...";
    }
    return "'" + shown + "'";
}

// What is wrong with `line`, or empty when it is a valid update (filled into `update`).
std::string check_line(const std::string& line, RefUpdate& update) {
    const std::vector<std::string> fields = split(line, ' ');
    if (fields.size() != 3) {
        return "expected 'OLD NEW REF', got " + excerpt(line);
    }
    for (const std::string& id : {fields[0], fields[1]}) {
        if (!is_object_id(id)) {
            return excerpt(id) + " is not an object id of 40 or 64 hex digits";
        }
    }
    if (fields[0].size() != fields[1].size()) {
        return "old and new object ids differ in length in " + excerpt(line);
    }
    if (!is_valid_ref_name(fields[2])) {
        return excerpt(fields[2]) + " is not a valid ref name";
    }
    update.old_sha = fields[0];
    update.new_sha = fields[1];
    update.ref = fields[2];
    return {};
}

}  // namespace

bool RefUpdate::deletion() const {
    return std::all_of(new_sha.begin(), new_sha.end(), [](char c) { return c == '0'; });
}

bool is_object_id(const std::string& text) {
    if (text.size() != 40 && text.size() != 64) {
        return false;
    }
    return std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool is_valid_ref_name(const std::string& ref) {
    if (!ref.starts_with("refs/") || ref.ends_with(".") || ref.find("..") != std::string::npos ||
        ref.find("@{") != std::string::npos) {
        return false;
    }
    const bool bad_character = std::any_of(ref.begin(), ref.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte == 0x7f || std::string_view(" ~^:?*[\\").find(c) != std::string_view::npos;
    });
    if (bad_character) {
        return false;
    }
    const std::vector<std::string> components = split(ref, '/');
    return std::none_of(components.begin(), components.end(), [](const std::string& component) {
        return component.empty() || component.front() == '.' || component.ends_with(".lock");
    });
}

HookInput read_hook_input(std::istream& in) {
    HookInput input;
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        RefUpdate update;
        update.line = number;
        std::string problem = check_line(line, update);
        if (problem.empty()) {
            input.updates.push_back(std::move(update));
        } else {
            input.malformed.push_back({number, std::move(problem)});
        }
    }
    return input;
}

}  // namespace kiln::hooks
