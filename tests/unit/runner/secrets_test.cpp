#include <catch2/catch.hpp>

#include "common/error.h"
#include "runner/secrets.h"
#include "tests/support/temp_dir.h"

using kiln::runner::load_secrets;
using kiln::runner::parse_secrets;

TEST_CASE("parse_secrets reads KEY=VALUE lines, comments, export and quotes", "[secrets]") {
    const auto secrets = parse_secrets("# deploy credentials\n"
                                       "\n"
                                       "TOKEN=abc#def\n"
                                       "export DB_PASSWORD = 'p@ss word'\n"
                                       "  MULTI=\"line one\\nline \\\"two\\\"\"  \n"
                                       "EMPTY=\n"
                                       "TOKEN=second wins\r\n",
                                       "app.env");
    CHECK(secrets == std::map<std::string, std::string>{{"TOKEN", "second wins"},
                                                        {"DB_PASSWORD", "p@ss word"},
                                                        {"MULTI", "line one\nline \"two\""},
                                                        {"EMPTY", ""}});
}

TEST_CASE("parse_secrets names file and line of every bad line", "[secrets]") {
    const std::string text = "GOOD=1\n"
                             "no equals sign\n"
                             "1BAD=x\n"
                             "QUOTE=\"open\n"
                             "SINGLE='it's'\n";
    REQUIRE_THROWS_AS(parse_secrets(text, "/etc/kiln/secrets/app.env"), kiln::ConfigError);
    REQUIRE_THROWS_WITH(parse_secrets(text, "/etc/kiln/secrets/app.env"),
                        "/etc/kiln/secrets/app.env:2: expected KEY=VALUE\n"
                        "/etc/kiln/secrets/app.env:3: '1BAD' is not a variable name (letters, digits and _, "
                        "not starting with a digit)\n"
                        "/etc/kiln/secrets/app.env:4: unterminated double quote\n"
                        "/etc/kiln/secrets/app.env:5: a single-quoted value cannot contain a single quote");
}

TEST_CASE("load_secrets maps team/app to team/app.env and a missing file to no secrets", "[secrets]") {
    const kiln::test::TempDir dir;
    dir.write("team/app.env", "API_KEY=team-secret\n");
    CHECK(kiln::runner::secrets_file(dir.path(), "team/app") == dir.path() / "team" / "app.env");
    CHECK(load_secrets(dir.path(), "team/app") == std::map<std::string, std::string>{{"API_KEY", "team-secret"}});
    CHECK(load_secrets(dir.path(), "app").empty());
    CHECK(load_secrets(dir.path() / "missing", "app").empty());
}
