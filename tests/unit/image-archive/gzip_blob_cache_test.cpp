#include <catch2/catch.hpp>

#include <random>

#include <zlib.h>

#include "common/atomic_file.h"
#include "image-archive/blob_cache.h"
#include "image-archive/gzip.h"
#include "tests/support/temp_dir.h"

namespace {

std::string gunzip(const std::string& compressed) {
    z_stream stream{};
    REQUIRE(inflateInit2(&stream, 15 + 16) == Z_OK);
    std::string out;
    char buffer[4096];
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
    stream.avail_in = static_cast<uInt>(compressed.size());
    int rc = Z_OK;
    while (rc == Z_OK) {
        stream.next_out = reinterpret_cast<Bytef*>(buffer);
        stream.avail_out = sizeof buffer;
        rc = inflate(&stream, Z_NO_FLUSH);
        out.append(buffer, sizeof buffer - stream.avail_out);
    }
    inflateEnd(&stream);
    CHECK(rc == Z_STREAM_END);
    return out;
}

std::string gzip(const std::string& input, std::size_t read_size) {
    std::size_t offset = 0;
    kiln::registry::GzipReader reader(
        [&](char* buffer, std::size_t capacity) {
            const std::size_t count = std::min(capacity, input.size() - offset);
            std::copy_n(input.data() + offset, count, buffer);
            offset += count;
            return count;
        },
        kiln::registry::kLayerGzipLevel);
    std::string out;
    std::string buffer(read_size, '\0');
    while (const std::size_t count = reader.read(buffer.data(), buffer.size())) {
        out.append(buffer.data(), count);
    }
    return out;
}

}  // namespace

TEST_CASE("GzipReader output inflates back to its input, the same every time", "[gzip]") {
    std::mt19937 random(42);
    std::string input(3 * 1024 * 1024, '\0');
    for (char& c : input) {
        c = static_cast<char>(random() % 16);
    }
    const std::string compressed = gzip(input, 1000);
    CHECK(compressed.size() < input.size());
    CHECK(gunzip(compressed) == input);
    CHECK(gzip(input, 65536) == compressed);
    CHECK(gunzip(gzip("", 10)).empty());
}

TEST_CASE("BlobCache remembers compressed digests and repositories across instances", "[blob_cache]") {
    const kiln::test::TempDir dir;
    {
        kiln::registry::BlobCache cache(dir / "cache");
        CHECK_FALSE(cache.compressed("sha256:u"));
        cache.record_compressed("sha256:u", {"sha256:g", 42});
        cache.record_repository("127.0.0.1:5000", "app", "sha256:g");
        cache.record_repository("127.0.0.1:5000", "other", "sha256:g");
        cache.record_repository("10.0.0.1:5000", "far", "sha256:g");
        cache.save();
    }
    {
        // A second writer that loaded before the first saved does not lose its entries.
        kiln::registry::BlobCache cache(dir / "cache");
        REQUIRE(cache.compressed("sha256:u"));
        CHECK(cache.compressed("sha256:u")->digest == "sha256:g");
        CHECK(cache.compressed("sha256:u")->size == 42);
        CHECK(cache.repositories("127.0.0.1:5000", "sha256:g") == std::vector<std::string>{"other", "app"});
        CHECK(cache.repositories("10.0.0.1:5000", "sha256:g") == std::vector<std::string>{"far"});
        CHECK(cache.repositories("127.0.0.1:5000", "sha256:x").empty());
    }
}

TEST_CASE("a damaged BlobCache file reads as empty", "[blob_cache]") {
    const kiln::test::TempDir dir;
    dir.write("cache/blobs.json", "{not json");
    kiln::registry::BlobCache cache(dir / "cache");
    CHECK_FALSE(cache.compressed("sha256:u"));
    cache.record_compressed("sha256:u", {"sha256:g", 1});
    cache.save();
    CHECK(kiln::read_file(dir / "cache/blobs.json").find("sha256:g") != std::string::npos);
}
