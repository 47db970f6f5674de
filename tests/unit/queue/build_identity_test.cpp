#include <catch2/catch.hpp>

#include <cstdlib>
#include <optional>
#include <string>

#include "queue/build_identity.h"

using kiln::queue::BuildIdentity;

namespace {

// Sets KILN_PUSHED_BY for one test and puts back what was there.
class PushedByVariable {
public:
    explicit PushedByVariable(const char* value) {
        if (const char* old = std::getenv(kiln::queue::kPushedByVariable)) {
            old_ = old;
        }
        set(value);
    }
    ~PushedByVariable() { set(old_ ? old_->c_str() : nullptr); }
    PushedByVariable(const PushedByVariable&) = delete;
    PushedByVariable& operator=(const PushedByVariable&) = delete;

private:
    static void set(const char* value) {
        if (value != nullptr) {
            ::setenv(kiln::queue::kPushedByVariable, value, 1);
        } else {
            ::unsetenv(kiln::queue::kPushedByVariable);
        }
    }
    std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("the identity round-trips through JSON, pusher included", "[build_identity]") {
    const BuildIdentity build{"team/app", 7, "refs/heads/main", std::string(40, 'a'), kiln::queue::kTriggerPush,
                              "alice"};
    nlohmann::json json;
    kiln::queue::add_identity(json, build);
    CHECK(json["pushed_by"] == "alice");
    CHECK(json["branch"] == "main");

    const BuildIdentity back = kiln::queue::identity_from_json(json);
    CHECK(back.repo == "team/app");
    CHECK(back.number == 7);
    CHECK(back.ref == "refs/heads/main");
    CHECK(back.sha == std::string(40, 'a'));
    CHECK(back.trigger == "push");
    CHECK(back.pushed_by == "alice");
}

TEST_CASE("an identity written before kiln knew who pushed reads with no pusher", "[build_identity]") {
    const nlohmann::json old = {{"repo", "app"}, {"number", 3}, {"ref", "refs/heads/main"}, {"sha", "abc"},
                                {"trigger", "push"}};
    CHECK(kiln::queue::identity_from_json(old).pushed_by.empty());
    nlohmann::json mistyped = old;
    mistyped["pushed_by"] = 42;
    CHECK(kiln::queue::identity_from_json(mistyped).pushed_by.empty());

    nlohmann::json written;
    kiln::queue::add_identity(written, kiln::queue::identity_from_json(old));
    CHECK(written["pushed_by"] == "");
}

TEST_CASE("a key name is one segment of a repository name", "[build_identity]") {
    for (const char* name : {"alice", "ci-bot", "a.b_c", "A9"}) {
        CHECK(kiln::queue::is_key_name(name));
    }
    for (const char* name : {"", "../x", "a b", "team/alice", "/alice", ".hidden", "-rf", "..", "a\x1b[2J", "é"}) {
        CHECK_FALSE(kiln::queue::is_key_name(name));
    }
}

TEST_CASE("the pusher comes from KILN_PUSHED_BY when it is a key name", "[build_identity]") {
    SECTION("a key name") {
        const PushedByVariable variable("alice");
        CHECK(kiln::queue::pushed_by_from_environment() == "alice");
    }
    SECTION("unset or empty: nobody") {
        const PushedByVariable unset(nullptr);
        CHECK(kiln::queue::pushed_by_from_environment().empty());
        const PushedByVariable empty("");
        CHECK(kiln::queue::pushed_by_from_environment().empty());
    }
    SECTION("anything else is ignored") {
        for (const char* value : {"../x", "a b", "team/alice", "-o"}) {
            const PushedByVariable variable(value);
            CHECK(kiln::queue::pushed_by_from_environment().empty());
        }
    }
}
