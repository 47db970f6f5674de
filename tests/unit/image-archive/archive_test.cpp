#include <catch2/catch.hpp>

#include <fstream>

#include "common/error.h"
#include "image-archive/archive.h"
#include "registry-client/digest.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/image-archive/archive_fixture.h"

using kiln::registry::ArchiveBlob;
using kiln::registry::ArchiveFormat;
using kiln::registry::BlobStream;
using kiln::registry::ImageArchive;
using kiln::registry::read_image_archive;
using kiln::registry::sha256_digest;
using kiln::test::OciLayout;
using kiln::test::TarEntry;

namespace {

constexpr const char* kGzipLayer = "application/vnd.oci.image.layer.v1.tar+gzip";
constexpr const char* kTarLayer = "application/vnd.oci.image.layer.v1.tar";
constexpr const char* kOciManifest = "application/vnd.oci.image.manifest.v1+json";
const std::string kConfig = R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}})";

std::string drain(BlobStream& stream) {
    std::string content;
    char buffer[7];
    while (const std::size_t count = stream.read(buffer, sizeof buffer)) {
        content.append(buffer, count);
    }
    return content;
}

const ArchiveBlob& blob_with(const ImageArchive& image, const std::string& digest) {
    for (const ArchiveBlob& blob : image.blobs) {
        if (blob.digest == digest) {
            return blob;
        }
    }
    FAIL("no blob " << digest);
    throw;
}

// A docker save tarball as docker <= 24 and skopeo write it: layer.tar is a
// symlink to a tar elsewhere, manifest.json comes last.
std::vector<TarEntry> docker_save_entries(const std::string& layer) {
    const std::string config = R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[")" +
                               sha256_digest(layer) + R"("]}})";
    const std::string config_name = sha256_digest(config).substr(7) + ".json";
    return {
        {"abc123/layer.tar", {}, "../" + sha256_digest(layer).substr(7) + ".tar"},
        {sha256_digest(layer).substr(7) + ".tar", layer, {}},
        {config_name, config, {}},
        {"abc123/VERSION", "1.0", {}},
        {"manifest.json", R"([{"Config":")" + config_name + R"(","RepoTags":["localhost/app:1"],"Layers":["abc123/layer.tar"]}])", {}},
        {"repositories", R"({"localhost/app":{"1":"abc123"}})", {}},
    };
}

}  // namespace

TEST_CASE("an OCI layout directory with gzip layers is pushed byte for byte", "[archive]") {
    const kiln::test::TempDir dir;
    OciLayout layout;
    const std::string manifest = layout.add_manifest(kConfig, {"layer-one", "layer-two"}, kGzipLayer);
    layout.set_index({kiln::test::descriptor(kOciManifest, manifest)});
    layout.write_directory(dir / "layout");

    const ImageArchive image = read_image_archive(dir / "layout");
    CHECK(image.format == ArchiveFormat::oci_layout);
    REQUIRE(image.manifests.size() == 1);
    CHECK(image.manifests[0].bytes == manifest);
    CHECK(image.manifests[0].digest == sha256_digest(manifest));
    CHECK(image.manifests[0].media_type == kOciManifest);
    REQUIRE(image.blobs.size() == 3);
    CHECK(image.blobs[0].digest == sha256_digest("layer-one"));
    CHECK_FALSE(image.blobs[0].uncompressed);
    CHECK(image.blobs[2].config);
    CHECK(image.blobs[0].location.file == dir / "layout" / "blobs/sha256" / sha256_digest("layer-one").substr(7));

    BlobStream stream(image, image.blobs[1]);
    CHECK(drain(stream) == "layer-two");
    CHECK_NOTHROW(stream.finish());
}

TEST_CASE("an OCI archive streams its layers from the tar", "[archive]") {
    const kiln::test::TempDir dir;
    OciLayout layout;
    const std::string manifest = layout.add_manifest(kConfig, {std::string(100000, 'x')}, kGzipLayer);
    layout.set_index({kiln::test::descriptor(kOciManifest, manifest, R"(,"annotations":{"org.opencontainers.image.ref.name":"app:1"})")});
    layout.write_tar(dir / "image.tar");

    const ImageArchive image = read_image_archive(dir / "image.tar");
    CHECK(image.format == ArchiveFormat::oci_archive);
    CHECK(image.name == "app:1");
    const ArchiveBlob& layer = blob_with(image, sha256_digest(std::string(100000, 'x')));
    CHECK(layer.location.file == dir / "image.tar");
    CHECK(layer.location.member == "blobs/sha256/" + layer.digest.substr(7));
    BlobStream stream(image, layer);
    CHECK(drain(stream) == std::string(100000, 'x'));
    CHECK_NOTHROW(stream.finish());
}

TEST_CASE("a docker save tarball becomes a schema2 manifest with uncompressed layers", "[archive]") {
    const kiln::test::TempDir dir;
    kiln::test::write_tar(dir / "saved.tar", docker_save_entries("the layer tar"));

    const ImageArchive image = read_image_archive(dir / "saved.tar");
    CHECK(image.format == ArchiveFormat::docker_save);
    CHECK(image.name == "localhost/app:1");
    REQUIRE(image.blobs.size() == 2);
    const ArchiveBlob& layer = image.blobs[0];
    CHECK(layer.digest == sha256_digest("the layer tar"));
    CHECK(layer.uncompressed);
    CHECK(layer.media_type == "application/vnd.docker.image.rootfs.diff.tar");
    CHECK(layer.location.member == layer.digest.substr(7) + ".tar");
    CHECK(image.blobs[1].config);
    REQUIRE(image.manifests.size() == 1);
    CHECK(image.manifests[0].media_type == "application/vnd.docker.distribution.manifest.v2+json");
    CHECK(image.manifests[0].bytes ==
          R"({"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":)" +
              std::to_string(image.blobs[1].size) + R"(,"digest":")" + image.blobs[1].digest +
              R"("},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar","size":13,"digest":")" +
              layer.digest + R"("}]})");
    BlobStream stream(image, layer);
    CHECK(drain(stream) == "the layer tar");
    CHECK_NOTHROW(stream.finish());
}

TEST_CASE("a Docker 25 save is read through its OCI index", "[archive]") {
    const kiln::test::TempDir dir;
    OciLayout layout;
    const std::string manifest = layout.add_manifest(kConfig, {"plain tar"}, kTarLayer);
    layout.set_index({kiln::test::descriptor(
        kOciManifest, manifest,
        R"(,"annotations":{"io.containerd.image.name":"docker.io/library/app:1","org.opencontainers.image.ref.name":"1"})")});
    layout.add_file("manifest.json", R"([{"Config":"blobs/sha256/nope","RepoTags":["app:1"],"Layers":[]}])");
    layout.add_file("repositories", R"({"app":{"1":"x"}})");
    layout.write_tar(dir / "docker25.tar");

    const ImageArchive image = read_image_archive(dir / "docker25.tar");
    CHECK(image.format == ArchiveFormat::docker_oci);
    CHECK(image.name == "docker.io/library/app:1");
    CHECK(image.manifests.at(0).bytes == manifest);
    CHECK(blob_with(image, sha256_digest("plain tar")).uncompressed);
}

TEST_CASE("an index for several platforms is pushed after its children", "[archive]") {
    const kiln::test::TempDir dir;
    OciLayout layout;
    const std::string amd64 = layout.add_manifest(kConfig, {"amd64 layer"}, kGzipLayer);
    const std::string arm64 = layout.add_manifest(kConfig + " ", {"arm64 layer"}, kGzipLayer);
    const std::string index = R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[)" +
                              kiln::test::descriptor(kOciManifest, amd64, R"(,"platform":{"architecture":"amd64","os":"linux"})") +
                              "," +
                              kiln::test::descriptor(kOciManifest, arm64, R"(,"platform":{"architecture":"arm64","os":"linux"})") +
                              "]}";
    layout.add_blob(index);
    layout.set_index({kiln::test::descriptor("application/vnd.oci.image.index.v1+json", index)});
    layout.write_directory(dir / "multi");

    const ImageArchive image = read_image_archive(dir / "multi");
    REQUIRE(image.manifests.size() == 3);
    CHECK(image.manifests[0].bytes == amd64);
    CHECK(image.manifests[1].bytes == arm64);
    CHECK(image.manifests[2].bytes == index);
    CHECK(image.manifests[2].children ==
          std::vector<std::string>{sha256_digest(amd64), sha256_digest(arm64)});
    CHECK(image.blobs.size() == 4);
}

TEST_CASE("several images in one archive are chosen by name", "[archive]") {
    const kiln::test::TempDir dir;
    OciLayout layout;
    const std::string one = layout.add_manifest(kConfig, {"one"}, kGzipLayer);
    const std::string two = layout.add_manifest(kConfig, {"two"}, kGzipLayer);
    layout.set_index({
        kiln::test::descriptor(kOciManifest, one, R"(,"annotations":{"org.opencontainers.image.ref.name":"app:1"})"),
        kiln::test::descriptor(kOciManifest, two, R"(,"annotations":{"org.opencontainers.image.ref.name":"app:2"})"),
    });
    layout.write_tar(dir / "two.tar");

    CHECK(read_image_archive(dir / "two.tar", "app:2").manifests.at(0).bytes == two);
    REQUIRE_THROWS_WITH(read_image_archive(dir / "two.tar"),
                        "reading image archive '" + (dir / "two.tar").string() +
                            "': it holds 2 images (app:1, app:2): choose one by name");
    REQUIRE_THROWS_WITH(read_image_archive(dir / "two.tar", "app:3"),
                        "reading image archive '" + (dir / "two.tar").string() +
                            "': no image named 'app:3' in it (it has app:1, app:2)");
}

TEST_CASE("bad archives say what is wrong with them", "[archive]") {
    const kiln::test::TempDir dir;
    const std::string prefix = "reading image archive '" + (dir / "bad").string() + "': ";

    SECTION("not a tar") {
        dir.write("bad", "this is just text, not a tar archive at all\n");
        REQUIRE_THROWS_AS(read_image_archive(dir / "bad"), kiln::RegistryError);
        REQUIRE_THROWS_WITH(read_image_archive(dir / "bad"), prefix + "not a tar file or an OCI layout directory");
    }
    SECTION("missing file") {
        REQUIRE_THROWS_WITH(read_image_archive(dir / "bad"), prefix + "no such file or directory");
    }
    SECTION("no manifest") {
        kiln::test::write_tar(dir / "bad", {{"hello.txt", "hi", {}}});
        REQUIRE_THROWS_WITH(read_image_archive(dir / "bad"),
                            prefix + "it has neither index.json (OCI) nor manifest.json (docker save)");
    }
    SECTION("a blob named by the manifest is missing") {
        OciLayout layout;
        const std::string manifest = layout.add_manifest(kConfig, {"layer"}, kGzipLayer);
        layout.set_index({kiln::test::descriptor(kOciManifest, manifest)});
        std::vector<TarEntry> entries = layout.entries();
        const std::string layer = "blobs/sha256/" + sha256_digest("layer").substr(7);
        std::erase_if(entries, [&](const TarEntry& entry) { return entry.name == layer; });
        kiln::test::write_tar(dir / "bad", entries);
        REQUIRE_THROWS_WITH(read_image_archive(dir / "bad"), prefix + "blob " + sha256_digest("layer") +
                                                                 " named by the manifest is missing (no " + layer + ")");
    }
    SECTION("a manifest that does not match its digest") {
        OciLayout layout;
        const std::string manifest = layout.add_manifest(kConfig, {"layer"}, kGzipLayer);
        layout.set_index({kiln::test::descriptor(kOciManifest, manifest)});
        std::vector<TarEntry> entries = layout.entries();
        const std::string name = "blobs/sha256/" + sha256_digest(manifest).substr(7);
        std::string tampered = manifest;
        tampered[tampered.size() - 3] = 'X';
        for (TarEntry& entry : entries) {
            if (entry.name == name) {
                entry.content = tampered;
            }
        }
        kiln::test::write_tar(dir / "bad", entries);
        REQUIRE_THROWS_WITH(read_image_archive(dir / "bad"),
                            prefix + name + " does not match its digest: the manifest says " + sha256_digest(manifest) +
                                ", the content is " + sha256_digest(tampered));
    }
    SECTION("a layer that does not match its digest fails when streamed") {
        std::vector<TarEntry> entries = docker_save_entries("the layer tar");
        entries[1].content = "the layer taR";
        kiln::test::write_tar(dir / "bad", entries);
        const ImageArchive image = read_image_archive(dir / "bad");
        BlobStream stream(image, image.blobs[0]);
        CHECK(drain(stream) == "the layer taR");
        REQUIRE_THROWS_WITH(stream.finish(), prefix + entries[1].name +
                                                 " does not match its digest: the manifest says " +
                                                 sha256_digest("the layer tar") + ", the content is " +
                                                 sha256_digest("the layer taR"));
    }
    SECTION("a docker save layer that is missing") {
        std::vector<TarEntry> entries = docker_save_entries("the layer tar");
        entries.erase(entries.begin() + 1);   // the symlink now dangles
        kiln::test::write_tar(dir / "bad", entries);
        REQUIRE_THROWS_WITH(read_image_archive(dir / "bad"),
                            prefix + "layer 'abc123/layer.tar' named in manifest.json is missing");
    }
    SECTION("a layer of the wrong size") {
        OciLayout layout;
        const std::string manifest = R"({"schemaVersion":2,"config":)" +
                                     kiln::test::descriptor("application/vnd.oci.image.config.v1+json", kConfig) +
                                     R"(,"layers":[{"mediaType":"x","digest":")" + sha256_digest("layer") +
                                     R"(","size":99}]})";
        layout.add_blob(kConfig);
        layout.add_blob("layer");
        layout.add_blob(manifest);
        layout.set_index({kiln::test::descriptor(kOciManifest, manifest)});
        layout.write_tar(dir / "bad");
        REQUIRE_THROWS_WITH(read_image_archive(dir / "bad"),
                            prefix + "blobs/sha256/" + sha256_digest("layer").substr(7) +
                                " is 5 bytes, the manifest says 99");
    }
}

TEST_CASE("rewrite_manifest swaps descriptors and keeps everything else in order", "[archive]") {
    kiln::registry::ArchiveManifest manifest;
    manifest.bytes = R"({"schemaVersion":2,"config":{"mediaType":"c","digest":"sha256:c","size":1},)"
                     R"("layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:l","size":10,"annotations":{"b":"1","a":"2"}}],"annotations":{"z":"1","a":"2"}})";
    const std::string rewritten = kiln::registry::rewrite_manifest(
        manifest, {{"sha256:l", {"sha256:g", 4, "application/vnd.oci.image.layer.v1.tar+gzip"}}});
    CHECK(rewritten ==
          R"({"schemaVersion":2,"config":{"mediaType":"c","digest":"sha256:c","size":1},)"
          R"("layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:g","size":4,"annotations":{"b":"1","a":"2"}}],"annotations":{"z":"1","a":"2"}})");
    CHECK(kiln::registry::rewrite_manifest(manifest, {}) == manifest.bytes);
    CHECK(kiln::registry::compressed_media_type("application/vnd.docker.image.rootfs.diff.tar") ==
          "application/vnd.docker.image.rootfs.diff.tar.gzip");
}
