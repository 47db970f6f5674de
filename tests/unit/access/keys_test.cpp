#include <catch2/catch.hpp>

#include <filesystem>

#include <sys/stat.h>

#include "access/authorized_keys.h"
#include "access/keys.h"
#include "access/public_key.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "tests/support/temp_dir.h"

using namespace kiln::access;

namespace {

// Real keys, made with ssh-keygen -t ed25519.
const std::string kEd25519 = "AAAAC3NzaC1lZDI1NTE5AAAAIK4uP08JgSTDPFYQGhyYPjiXrHERWXYcR+7fPYnTpeAW";
const std::string kEd25519Other = "AAAAC3NzaC1lZDI1NTE5AAAAILcNwdO5/0tD2zgWOet02BxbEcF8pVjMvwScL1inaB3e";

PublicKey key(const std::string& base64) { return PublicKey{"ssh-ed25519", base64}; }

KeyEntry entry(const std::string& name, const std::string& base64, Role role = Role::read) {
    return KeyEntry{name, role, {}, key(base64), 1700000000};
}

}  // namespace

TEST_CASE("public keys: one well-formed line, or the reason it is refused", "[access]") {
    const ParsedKey ok = parse_public_key("ssh-ed25519 " + kEd25519 + " alice@laptop\n");
    REQUIRE(ok.key);
    CHECK(ok.key->text() == "ssh-ed25519 " + kEd25519);
    CHECK(parse_public_key("ssh-dss AAAA").problem.starts_with("unknown public key type 'ssh-dss'"));
    CHECK(parse_public_key("command=\"id\" ssh-ed25519 " + kEd25519).problem ==
          "the public key line has options before its type ('command=\"id\"'); give the key alone: TYPE BASE64 [COMMENT]");
    CHECK(parse_public_key("ssh-ed25519 " + kEd25519 + "\nssh-ed25519 " + kEd25519Other).problem ==
          "the public key has a line break inside; give exactly one key line");
    CHECK(parse_public_key("ssh-ed25519 AAAA*notbase64").problem == "the ssh-ed25519 key is not valid base64");
    CHECK(parse_public_key("ssh-rsa " + kEd25519).problem ==
          "the key says it is ssh-rsa but its data is not (a truncated or pasted-together key?)");
    CHECK(parse_public_key("ssh-ed25519").problem == "the public key line has a type but no key");
    CHECK(parse_public_key("").problem == "the public key is empty");
}

TEST_CASE("fingerprints are ssh-keygen -l's", "[access]") {
    // ssh-keygen -lf on the key above.
    CHECK(fingerprint(key(kEd25519)) == "SHA256:mhL0F555z3ELaR9X63yuaAKmJqlUABzuUH3qoqW45vw");
}

TEST_CASE("kiln's lines are recognised by their forced command", "[access]") {
    const AuthorizedLine line = kiln_line({"/usr/bin/kiln", "/etc/kiln/config.yaml"}, "alice", key(kEd25519));
    CHECK(line.text == "command=\"/usr/bin/kiln shell --config /etc/kiln/config.yaml alice\"," +
                           std::string(kKeyRestrictions) + " ssh-ed25519 " + kEd25519 + " kiln:alice");
    const auto parsed = parse_authorized_keys(line.text + "\n");
    REQUIRE(parsed.size() == 1);
    CHECK(parsed[0].kiln_key == "alice");
    CHECK(parsed[0].key_base64 == kEd25519);

    CHECK(kiln_line({"/opt/my kiln/kiln", ""}, "bob", key(kEd25519)).text.starts_with(
        "command=\"'/opt/my kiln/kiln' shell bob\","));
    CHECK(kiln_key_of_options("command=\"'/opt/my kiln/kiln' shell bob\",no-pty") == "bob");
    CHECK_FALSE(kiln_key_of_options("command=\"/usr/bin/git-shell -c x\""));
    CHECK_FALSE(kiln_key_of_options("no-pty"));
    CHECK_THROWS_AS(kiln_line({"/opt/a\"b/kiln", ""}, "bob", key(kEd25519)), kiln::UsageError);
}

TEST_CASE("adding and removing keys leaves every foreign line byte for byte", "[access]") {
    const kiln::test::TempDir dir;
    const KeyFiles files{dir / "state", dir / "home/.ssh/authorized_keys", {"/usr/bin/kiln", ""}};
    const std::string foreign = "# my own key, keep it\n"
                                "ssh-ed25519 " + kEd25519Other + "   me@desk  \n"
                                "from=\"10.0.0.0/8\",command=\"echo \\\"hi\\\"\" ssh-rsa AAAAB3Nza x\n"
                                "\n";
    dir.write("home/.ssh/authorized_keys", foreign);
    ::chmod((dir / "home/.ssh/authorized_keys").c_str(), 0640);

    add_key(files, entry("alice", kEd25519, Role::write));
    const std::string added = kiln::read_file(files.authorized_keys);
    CHECK(added.starts_with(foreign));
    CHECK(added.substr(foreign.size()) ==
          kiln_line(files.shell, "alice", key(kEd25519)).text + "\n");
    struct stat st {};
    REQUIRE(::stat(files.authorized_keys.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0640);
    const KeyMap keys = read_keys(keys_file(files.state_dir));
    REQUIRE(keys.count("alice") == 1);
    CHECK(keys.at("alice").role == Role::write);
    REQUIRE(::stat(keys_file(files.state_dir).c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0600);

    SECTION("a duplicate name or key, kiln's or foreign, changes nothing") {
        CHECK_THROWS_WITH(add_key(files, entry("alice", kEd25519Other)),
                          "adding key 'alice': a key of that name exists; remove it first with 'kiln key rm alice'");
        CHECK_THROWS_WITH(add_key(files, entry("bob", kEd25519)),
                          "adding key 'bob': the same public key is already key 'alice'");
        CHECK_THROWS_WITH(add_key(files, entry("carol", kEd25519Other)),
                          "adding key 'carol': the same public key is already in " + files.authorized_keys.string() +
                              " on a line kiln did not write; remove that line first");
        CHECK(kiln::read_file(files.authorized_keys) == added);
        CHECK(read_keys(keys_file(files.state_dir)).size() == 1);
    }
    SECTION("rm takes out the line and the entry; an unknown name is refused") {
        CHECK(remove_key(files, "alice"));
        CHECK(kiln::read_file(files.authorized_keys) == foreign);
        CHECK(read_keys(keys_file(files.state_dir)).empty());
        CHECK_FALSE(remove_key(files, "alice"));
    }
}

TEST_CASE("a new authorized_keys is 0600 in a 0700 .ssh", "[access]") {
    const kiln::test::TempDir dir;
    const KeyFiles files{dir / "state", dir / "home/.ssh/authorized_keys", {"/usr/bin/kiln", ""}};
    std::filesystem::create_directories(dir / "home");
    add_key(files, entry("alice", kEd25519));
    struct stat st {};
    REQUIRE(::stat(files.authorized_keys.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0600);
    REQUIRE(::stat((dir / "home/.ssh").c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0700);
}
