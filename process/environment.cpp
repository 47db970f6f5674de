#include "process/environment.h"

#include <vector>

extern char** environ;

namespace kiln::process {
namespace {

bool has_name(const std::string& entry, std::string_view name) {
    return entry.size() > name.size() && entry.compare(0, name.size(), name) == 0 && entry[name.size()] == '=';
}

}  // namespace

Environment Environment::current() {
    Environment env;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        env.entries_.emplace_back(*entry);
    }
    return env;
}

Environment& Environment::set(std::string_view name, std::string_view value) {
    unset(name);
    entries_.push_back(std::string(name) + "=" + std::string(value));
    return *this;
}

Environment& Environment::unset(std::string_view name) {
    std::erase_if(entries_, [name](const std::string& entry) { return has_name(entry, name); });
    return *this;
}

Environment& Environment::unset_prefix(std::string_view prefix) {
    std::erase_if(entries_, [prefix](const std::string& entry) { return entry.compare(0, prefix.size(), prefix) == 0; });
    return *this;
}

std::optional<std::string> Environment::get(std::string_view name) const {
    for (const std::string& entry : entries_) {
        if (has_name(entry, name)) {
            return entry.substr(name.size() + 1);
        }
    }
    return std::nullopt;
}

}  // namespace kiln::process
