#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "hooks/push_options.h"

namespace {

kiln::hooks::PushOptions read(const std::map<std::string, std::string>& env) {
    return kiln::hooks::read_push_options([&env](const char* name) -> const char* {
        const auto found = env.find(name);
        return found == env.end() ? nullptr : found->second.c_str();
    });
}

}  // namespace

TEST_CASE("push options: ci.skip, kiln.detach and unknown ones", "[hooks]") {
    const auto none = read({});
    CHECK_FALSE(none.skip);
    CHECK_FALSE(none.detach);
    CHECK(none.unknown.empty());

    const auto options = read({{"GIT_PUSH_OPTION_COUNT", "3"},
                               {"GIT_PUSH_OPTION_0", "kiln.detach"},
                               {"GIT_PUSH_OPTION_1", "merge_request.create"},
                               {"GIT_PUSH_OPTION_2", "ci.skip"}});
    CHECK(options.skip);
    CHECK(options.detach);
    CHECK(options.unknown == std::vector<std::string>{"merge_request.create"});
}

TEST_CASE("a malformed option count means no options", "[hooks]") {
    for (const char* count : {"", "x", "-1", "2x", "99999999999"}) {
        CHECK_FALSE(read({{"GIT_PUSH_OPTION_COUNT", count}, {"GIT_PUSH_OPTION_0", "ci.skip"}}).skip);
    }
    // A count larger than the options set only reads those that exist.
    CHECK(read({{"GIT_PUSH_OPTION_COUNT", "5"}, {"GIT_PUSH_OPTION_0", "ci.skip"}}).skip);
}
