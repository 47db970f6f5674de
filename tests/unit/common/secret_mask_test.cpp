#include <catch2/catch.hpp>

#include "common/secret_mask.h"

using kiln::SecretMask;

namespace {

std::string masked(const std::vector<std::string>& secrets, const std::string& text) {
    SecretMask mask;
    mask.add(secrets);
    return mask.apply(text);
}

}  // namespace

TEST_CASE("base64_encode gives RFC 4648's standard and URL forms", "[secret_mask]") {
    CHECK(kiln::base64_encode("", false, true).empty());
    CHECK(kiln::base64_encode("f", false, true) == "Zg==");
    CHECK(kiln::base64_encode("fo", false, true) == "Zm8=");
    CHECK(kiln::base64_encode("foo", false, true) == "Zm9v");
    CHECK(kiln::base64_encode("foobar", false, true) == "Zm9vYmFy");
    CHECK(kiln::base64_encode("f", false, false) == "Zg");
    CHECK(kiln::base64_encode("s3cr3t>>?", false, true) == "czNjcjN0Pj4/");
    CHECK(kiln::base64_encode("s3cr3t>>?", true, true) == "czNjcjN0Pj4_");
}

TEST_CASE("percent_encode leaves the unreserved characters alone", "[secret_mask]") {
    CHECK(kiln::percent_encode("p@ss w/rd?x", false, false) == "p%40ss%20w%2Frd%3Fx");
    CHECK(kiln::percent_encode("p@ss w/rd?x", false, true) == "p%40ss+w%2Frd%3Fx");
    CHECK(kiln::percent_encode("a/b", true, false) == "a%2fb");
    CHECK(kiln::percent_encode("A-z_0.9~", false, false) == "A-z_0.9~");
}

TEST_CASE("SecretMask masks the value and every encoded form of it", "[secret_mask]") {
    const std::vector<std::string> secret{"p@ss w/rd?x"};
    CHECK(masked(secret, "pw=p@ss w/rd?x;") == "pw=***;");
    CHECK(masked(secret, "b64 cEBzcyB3L3JkP3g= end") == "b64 *** end");
    CHECK(masked(secret, "unpadded cEBzcyB3L3JkP3g end") == "unpadded *** end");
    CHECK(masked(secret, "url p%40ss%20w%2Frd%3Fx end") == "url *** end");
    CHECK(masked(secret, "lower p%40ss%20w%2frd%3fx end") == "lower *** end");
    CHECK(masked(secret, "form p%40ss+w%2Frd%3Fx end") == "form *** end");
    CHECK(masked(secret, "form p%40ss+w%2frd%3fx end") == "form *** end");
    CHECK(masked({"s3cr3t>>?"}, "a czNjcjN0Pj4/ b czNjcjN0Pj4_ c") == "a *** b *** c");
}

TEST_CASE("SecretMask masks a secret inside a longer base64 text", "[secret_mask]") {
    // An Authorization: Basic header: base64 of `user:hunter2-secret`.
    CHECK(masked({"hunter2-secret"}, "Basic dXNlcjpodW50ZXIyLXNlY3JldA==") == "Basic dXNlcjp***A==");
}

TEST_CASE("SecretMask masks each piece of a value split at \\r or \\n", "[secret_mask]") {
    const std::vector<std::string> secret{"abcd\rEFGH\nijkl"};
    CHECK(masked(secret, "abcd\r") == "***\r");
    CHECK(masked(secret, "EFGH") == "***");
    CHECK(masked(secret, "x ijkl y") == "x *** y");
    CHECK(masked(secret, "abcd\rEFGH\nijkl") == "***");
    // A piece shorter than the minimum is not masked on its own.
    CHECK(masked({"ab\ncdef"}, "ab cdef") == "ab ***");
}

TEST_CASE("SecretMask ignores short values", "[secret_mask]") {
    SecretMask mask;
    mask.add("on");
    mask.add("");
    CHECK(mask.empty());
    CHECK(mask.apply("on and on") == "on and on");
}

TEST_CASE("SecretMask hides overlapping secrets whole", "[secret_mask]") {
    CHECK(masked({"abcdef", "defghi"}, "[abcdefghi]") == "[***]");
    CHECK(masked({"abcdef", "cd"}, "abcdef cd") == "*** cd");
    CHECK(masked({"secret"}, "secretsecret secret") == "*** ***");
}

TEST_CASE("SecretMask::prefix_tail finds the start of any form at the end", "[secret_mask]") {
    SecretMask mask;
    mask.add("p@ss w/rd?x");
    CHECK(mask.prefix_tail("token p@ss w") == 6);
    CHECK(mask.prefix_tail("url p%40ss%2") == 8);
    CHECK(mask.prefix_tail("b64 cEBzcy") == 6);
    CHECK(mask.prefix_tail("nothing") == 0);
    CHECK(mask.prefix_tail("whole p@ss w/rd?x") == 0);
}
