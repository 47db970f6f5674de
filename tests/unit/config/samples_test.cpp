#include <catch2/catch.hpp>

#include <sstream>

#include "common/atomic_file.h"
#include "config/config.h"
#include "config/effective_yaml.h"

using namespace std::chrono_literals;

namespace {

const std::filesystem::path kSourceDir = KILN_SOURCE_DIR;

// The sample shows each key as `#key: default` or, nested, `#  key: default`;
// dropping that first `#` (but not the `# ` of prose) sets every key.
std::string uncomment(const std::string& text) {
    std::istringstream in(text);
    std::string result;
    for (std::string line; std::getline(in, line);) {
        const bool prose = line.size() > 2 && line[1] == ' ' && line[2] != ' ';
        if (line.size() > 1 && line[0] == '#' && !prose) {
            line.erase(0, 1);
        }
        result += line + '\n';
    }
    return result;
}

}  // namespace

TEST_CASE("the sample global config is valid, commented out or not, and shows the defaults", "[config]") {
    const std::string sample = kiln::read_file(kSourceDir / "config/kiln.yaml");
    const kiln::config::Config as_shipped = kiln::config::parse_config(sample, "/etc/kiln/config.yaml");
    const kiln::config::Config uncommented = kiln::config::parse_config(uncomment(sample), "/etc/kiln/config.yaml");
    CHECK(uncommented.defaults.image);
    // Apart from the sample's image (shown, but off by default) and the timeout it
    // spells out, the uncommented sample is exactly the built-in defaults.
    kiln::config::Config expected = as_shipped;
    expected.defaults.image = kiln::config::ImageConfig{};
    expected.defaults.timeout = 30min;
    CHECK(kiln::config::to_yaml(uncommented) == kiln::config::to_yaml(expected));
    CHECK(kiln::config::to_yaml(as_shipped) == kiln::config::to_yaml(kiln::config::Config{}));
}

TEST_CASE("the sample .kiln.yml is valid and sets every key", "[config]") {
    const kiln::config::RepoConfig config = kiln::config::parse_repo_config(
        kiln::read_file(kSourceDir / "examples/kiln.yml"), "examples/kiln.yml", kiln::config::RepoConfig{});
    CHECK(config.branches == std::vector<std::string>{"main", "release/*"});
    CHECK(config.targets == std::vector<std::string>{"test", "build"});
    CHECK(config.timeout == 20min);
    CHECK(config.env.at("CGO_ENABLED") == "0");
    REQUIRE(config.image);
    CHECK(config.image->archive == "out/image.tar");
    CHECK(config.image->keep == 20);
    CHECK(config.notify.size() == 1);
}
