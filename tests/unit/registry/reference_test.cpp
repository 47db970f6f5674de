#include "registry-client/reference.h"

#include <catch2/catch.hpp>

#include "common/error.h"
#include "registry-client/url.h"

using namespace kiln::registry;

TEST_CASE("references default to the configured registry and latest", "[registry]") {
    Reference ref = parse_reference("app", "127.0.0.1:5000");
    CHECK(ref.host == "127.0.0.1:5000");
    CHECK(ref.name == "app");
    CHECK(ref.tag == "latest");
    CHECK(ref.str() == "127.0.0.1:5000/app:latest");

    ref = parse_reference("team/app:v1.2", "127.0.0.1:5000");
    CHECK(ref.host == "127.0.0.1:5000");
    CHECK(ref.name == "team/app");
    CHECK(ref.reference() == "v1.2");
}

TEST_CASE("a first component with a dot, a colon or localhost is a host", "[registry]") {
    CHECK(parse_reference("reg.tail.ts.net/app", "d:1").host == "reg.tail.ts.net");
    CHECK(parse_reference("localhost/app", "d:1").host == "localhost");
    Reference ref = parse_reference("10.0.0.1:5000/team/app@sha256:" + std::string(64, 'a'), "d:1");
    CHECK(ref.host == "10.0.0.1:5000");
    CHECK(ref.name == "team/app");
    CHECK(ref.tag.empty());
    CHECK(ref.reference() == "sha256:" + std::string(64, 'a'));
    CHECK(parse_reference("team/app", "d:1").host == "d:1");
}

TEST_CASE("host_of_url strips scheme and path", "[registry]") {
    CHECK(host_of_url("http://127.0.0.1:5000") == "127.0.0.1:5000");
    CHECK(host_of_url("https://buildbox:5000/v2/") == "buildbox:5000");
    CHECK(host_of_url("buildbox:5000") == "buildbox:5000");
}

TEST_CASE("bad references say what is wrong", "[registry]") {
    CHECK_THROWS_WITH(parse_reference("App:v1", "h:1"),
                      "reading image reference 'App:v1': 'App' is not a valid repository name (use lowercase letters, "
                      "digits and . _ - between them, components joined by /)");
    CHECK_THROWS_WITH(parse_reference("app:-x", "h:1"),
                      "reading image reference 'app:-x': '-x' is not a valid tag (1 to 128 letters, digits, _ . -, "
                      "not starting with . or -)");
    CHECK_THROWS_WITH(parse_reference("app@sha256:12", "h:1"),
                      "reading image reference 'app@sha256:12': 'sha256:12' is not a digest (expected sha256: and 64 "
                      "lowercase hex digits)");
    CHECK_THROWS_WITH(parse_repository("app:v1", "h:1"),
                      "reading repository 'app:v1': name a repository without :TAG or @DIGEST");
    CHECK_THROWS_AS(parse_reference("", "h:1"), kiln::UsageError);
    CHECK_THROWS_AS(parse_reference("a//b", "h:1"), kiln::UsageError);
}

TEST_CASE("Location and Link values resolve per RFC 3986", "[registry]") {
    using detail::parse_url;
    using detail::resolve_url;
    detail::Url base = parse_url("http://127.0.0.1:5000/v2/app/blobs/uploads/", "test");
    CHECK(resolve_url(base, "http://other:6000/v2/x?_state=a%3D").str() == "http://other:6000/v2/x?_state=a%3D");
    CHECK(resolve_url(base, "/v2/app/blobs/uploads/u1?_state=s").str() ==
          "http://127.0.0.1:5000/v2/app/blobs/uploads/u1?_state=s");
    CHECK(resolve_url(base, "u2?x=1").str() == "http://127.0.0.1:5000/v2/app/blobs/uploads/u2?x=1");
    CHECK(resolve_url(base, "../../b/c").str() == "http://127.0.0.1:5000/v2/app/b/c");
    CHECK(resolve_url(base, "//h2:7/p").str() == "http://h2:7/p");
    CHECK(resolve_url(parse_url("http://r/v2/_catalog?n=2", "t"), "?last=a&n=2").str() ==
          "http://r:80/v2/_catalog?last=a&n=2");
    CHECK(parse_url("https://reg.example", "t").port == 443);
    CHECK_THROWS_WITH(parse_url("127.0.0.1:5000", "registry URL"),
                      "reading registry URL '127.0.0.1:5000': not an absolute URL (expected http://HOST[:PORT])");
}
