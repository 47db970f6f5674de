#include "common/image_names.h"

#include <algorithm>
#include <cstddef>

namespace kiln {
namespace {

constexpr std::size_t kMaxTagLength = 128;

bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool tag_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '-';
}

// Runs of [a-z0-9] with exactly one separator between each two.
bool is_name_component(std::string_view component) {
    std::size_t i = 0;
    while (true) {
        const std::size_t run = i;
        while (i < component.size() && lower_alnum(component[i])) {
            ++i;
        }
        if (i == run) {
            return false;
        }
        if (i == component.size()) {
            return true;
        }
        if (component[i] == '.') {
            ++i;
        } else if (component[i] == '_') {
            i += component.substr(i, 2) == "__" ? 2 : 1;
        } else if (component[i] == '-') {
            while (i < component.size() && component[i] == '-') {
                ++i;
            }
        } else {
            return false;
        }
    }
}

}  // namespace

bool is_image_name(std::string_view name) {
    while (true) {
        const std::size_t slash = name.find('/');
        if (!is_name_component(name.substr(0, slash))) {
            return false;
        }
        if (slash == std::string_view::npos) {
            return true;
        }
        name.remove_prefix(slash + 1);
    }
}

bool is_image_tag(std::string_view tag) {
    return !tag.empty() && tag.size() <= kMaxTagLength && tag.front() != '.' && tag.front() != '-' &&
           std::all_of(tag.begin(), tag.end(), tag_char);
}

bool is_sha256_digest(std::string_view digest) {
    constexpr std::string_view kPrefix = "sha256:";
    if (digest.size() != kPrefix.size() + 64 || digest.substr(0, kPrefix.size()) != kPrefix) {
        return false;
    }
    for (char c : digest.substr(kPrefix.size())) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

}  // namespace kiln
