#include "hooks/push_options.h"

#include <charconv>
#include <cstdlib>
#include <string_view>

namespace kiln::hooks {
namespace {

// git caps push options far below this; a bigger count is garbage.
constexpr int kMaxOptions = 1000;

}  // namespace

PushOptions read_push_options(const std::function<const char*(const char*)>& getenv) {
    PushOptions options;
    const char* count_text = getenv("GIT_PUSH_OPTION_COUNT");
    if (count_text == nullptr) {
        return options;
    }
    const std::string_view text(count_text);
    int count = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), count);
    if (error != std::errc() || end != text.data() + text.size() || count < 0 || count > kMaxOptions) {
        return options;
    }
    for (int i = 0; i < count; ++i) {
        const char* value = getenv(("GIT_PUSH_OPTION_" + std::to_string(i)).c_str());
        if (value == nullptr) {
            continue;
        }
        const std::string option(value);
        if (option == "ci.skip") {
            options.skip = true;
        } else if (option == "kiln.detach") {
            options.detach = true;
        } else {
            options.unknown.push_back(option);
        }
    }
    return options;
}

PushOptions read_push_options() {
    return read_push_options([](const char* name) { return std::getenv(name); });
}

}  // namespace kiln::hooks
