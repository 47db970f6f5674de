#include "image-archive/image_push.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "common/error.h"
#include "image-archive/archive.h"
#include "image-archive/blob_cache.h"
#include "registry-client/digest.h"
#include "image-archive/gzip.h"

namespace kiln::registry {
namespace {

// What one blob became in the registry.
struct BlobOutcome {
    std::string digest;
    std::uint64_t size = 0;
    std::string media_type;
    BlobProgress::State state = BlobProgress::State::checking;
    std::uint64_t bytes_sent = 0;
};

class Pusher {
public:
    Pusher(const ClientOptions& options, std::string repo, const ImageArchive& image, const PushOptions& push,
           BlobCache& cache)
        : options_(options), repo_(std::move(repo)), image_(image), push_(push), cache_(cache) {}

    // Runs `blobs` through `jobs` workers, each with its own connection.
    void run(const std::vector<const ArchiveBlob*>& blobs, const std::string& host) {
        std::atomic<std::size_t> next{0};
        const auto work = [&] {
            try {
                Client client(options_);
                for (std::size_t i = next++; i < blobs.size() && !stop_; i = next++) {
                    push_blob(client, host, *blobs[i]);
                }
            } catch (...) {
                const std::lock_guard lock(mutex_);
                if (!failure_) {
                    failure_ = std::current_exception();
                }
                stop_ = true;
            }
        };
        const std::size_t workers = std::min<std::size_t>(blobs.size(), static_cast<std::size_t>(std::max(1, push_.jobs)));
        std::vector<std::thread> threads;
        for (std::size_t i = 1; i < workers; ++i) {
            threads.emplace_back(work);
        }
        if (workers > 0) {
            work();
        }
        for (std::thread& thread : threads) {
            thread.join();
        }
        if (failure_) {
            std::rethrow_exception(failure_);
        }
    }

    const std::map<std::string, BlobOutcome>& outcomes() const { return outcomes_; }

private:
    void report(const ArchiveBlob& blob, BlobProgress::State state, std::uint64_t done) {
        if (!push_.progress) {
            return;
        }
        const std::lock_guard lock(mutex_);
        push_.progress(BlobProgress{blob.digest, blob.media_type, blob.size, done, state});
    }

    void record(const ArchiveBlob& blob, BlobOutcome outcome) {
        report(blob, outcome.state, outcome.state == BlobProgress::State::uploaded ? blob.size : 0);
        const std::lock_guard lock(mutex_);
        outcomes_[blob.digest] = std::move(outcome);
    }

    // True when the blob is in the repository already, or could be mounted
    // from one the cache says received it.
    bool found_or_mounted(Client& client, const std::string& host, const ArchiveBlob& blob, const std::string& digest,
                          std::uint64_t size, const std::string& media_type) {
        if (client.blob_size(repo_, digest)) {
            record(blob, BlobOutcome{digest, size, media_type, BlobProgress::State::skipped, 0});
            return true;
        }
        for (const std::string& from : cache_.repositories(host, digest)) {
            if (from != repo_ && client.mount_blob(repo_, digest, from)) {
                spdlog::debug("mounted {} from {}", digest, from);
                record(blob, BlobOutcome{digest, size, media_type, BlobProgress::State::mounted, 0});
                cache_.record_repository(host, repo_, digest);
                return true;
            }
        }
        return false;
    }

    // A source for the client: each call opens the blob afresh (a retry
    // starts over), optionally gzipped; `latest` keeps the newest stream so
    // its digest can be checked once the upload is over.
    BlobSource source(const ArchiveBlob& blob, bool gzip, std::shared_ptr<std::shared_ptr<BlobStream>> latest) {
        return [this, &blob, gzip, latest]() -> BlobReader {
            // The client hashes what it sends; only the gzip input needs our own hash.
            auto stream = std::make_shared<BlobStream>(image_, blob, gzip);
            *latest = stream;
            auto counted = [this, stream, &blob, gzip](char* buffer, std::size_t capacity) -> std::size_t {
                // Ending the stream early makes the upload fail its size or
                // digest check, so a worker stops soon after another failed.
                if (stop_) {
                    return 0;
                }
                const std::size_t count = stream->read(buffer, capacity);
                report(blob, gzip ? BlobProgress::State::compressing : BlobProgress::State::uploading,
                       stream->bytes_read());
                return count;
            };
            if (!gzip) {
                return counted;
            }
            auto compressor = std::make_shared<GzipReader>(counted, kLayerGzipLevel);
            return [compressor](char* buffer, std::size_t capacity) { return compressor->read(buffer, capacity); };
        };
    }

    // Runs an upload, then checks the archive's bytes matched their digest;
    // a mismatch is the clearer error when both went wrong.
    template <class Upload>
    void checked_upload(const ArchiveBlob& blob, const std::shared_ptr<std::shared_ptr<BlobStream>>& latest,
                        Upload upload) {
        try {
            upload();
        } catch (const RegistryError&) {
            // A stream read to its promised size may have failed its digest:
            // hash the archive's bytes again to say so in the archive's terms.
            if (*latest && (*latest)->bytes_read() >= (*latest)->expected_size() && !stop_) {
                BlobStream again(image_, blob);
                char buffer[64 * 1024];
                while (again.read(buffer, sizeof buffer) > 0) {
                }
                again.finish();
            }
            throw;
        }
        (*latest)->finish();
    }

    void push_blob(Client& client, const std::string& host, const ArchiveBlob& blob) {
        report(blob, BlobProgress::State::checking, 0);
        auto latest = std::make_shared<std::shared_ptr<BlobStream>>();
        if (blob.uncompressed && push_.compress) {
            const std::string media_type = compressed_media_type(blob.media_type);
            if (const std::optional<CachedBlob> cached = cache_.compressed(blob.digest);
                cached && found_or_mounted(client, host, blob, cached->digest, cached->size, media_type)) {
                return;
            }
            BlobDescriptor sent;
            checked_upload(blob, latest, [&] { sent = client.upload_blob_streaming(repo_, source(blob, true, latest)); });
            cache_.record_compressed(blob.digest, CachedBlob{sent.digest, sent.size});
            cache_.record_repository(host, repo_, sent.digest);
            record(blob, BlobOutcome{sent.digest, sent.size, media_type, BlobProgress::State::uploaded, sent.size});
            return;
        }
        if (found_or_mounted(client, host, blob, blob.digest, blob.size, blob.media_type)) {
            return;
        }
        checked_upload(blob, latest, [&] {
            client.upload_blob(repo_, BlobDescriptor{blob.digest, blob.size}, source(blob, false, latest));
        });
        cache_.record_repository(host, repo_, blob.digest);
        record(blob, BlobOutcome{blob.digest, blob.size, blob.media_type, BlobProgress::State::uploaded, blob.size});
    }

    const ClientOptions& options_;
    const std::string repo_;
    const ImageArchive& image_;
    const PushOptions& push_;
    BlobCache& cache_;
    std::mutex mutex_;
    std::atomic<bool> stop_{false};
    std::exception_ptr failure_;
    std::map<std::string, BlobOutcome> outcomes_;
};

}  // namespace

PushResult push_image(const ClientOptions& options, const Reference& target, const std::filesystem::path& archive,
                      const PushOptions& push) {
    const std::string& repo = target.name;
    const std::string& reference = target.reference();
    const ImageArchive image = read_image_archive(archive, push.select);
    spdlog::debug("{}: {} with {} blobs and {} manifests", archive.string(), format_name(image.format),
                  image.blobs.size(), image.manifests.size());
    Client client(options);
    client.ping();
    BlobCache cache(push.cache_dir);
    Pusher pusher(options, repo, image, push, cache);

    std::vector<const ArchiveBlob*> layers;
    std::vector<const ArchiveBlob*> configs;
    for (const ArchiveBlob& blob : image.blobs) {
        (blob.config ? configs : layers).push_back(&blob);
    }
    try {
        pusher.run(layers, client.host());
        pusher.run(configs, client.host());
    } catch (...) {
        cache.save();
        throw;
    }
    cache.save();

    PushResult result;
    std::map<std::string, Replacement> replacements;
    for (const auto& [digest, outcome] : pusher.outcomes()) {
        if (outcome.digest != digest) {
            replacements[digest] = Replacement{outcome.digest, outcome.size, outcome.media_type};
        }
        result.blobs_uploaded += outcome.state == BlobProgress::State::uploaded ? 1 : 0;
        result.blobs_skipped += outcome.state == BlobProgress::State::skipped ? 1 : 0;
        result.blobs_mounted += outcome.state == BlobProgress::State::mounted ? 1 : 0;
        result.bytes_uploaded += outcome.bytes_sent;
    }

    for (std::size_t i = 0; i < image.manifests.size(); ++i) {
        const ArchiveManifest& original = image.manifests[i];
        const bool root = i + 1 == image.manifests.size();
        Manifest manifest{original.media_type, {}, rewrite_manifest(original, replacements)};
        manifest.digest = sha256_digest(manifest.bytes);
        if (manifest.digest != original.digest) {
            replacements[original.digest] = Replacement{manifest.digest, manifest.bytes.size(), {}};
        }
        if (root && is_sha256_digest(reference) && reference != manifest.digest) {
            throw RegistryError(describe("pushing " + archive.string() + " to " + repo + "@" + reference,
                                         "the image's manifest digest is " + manifest.digest));
        }
        // Children go by digest: only the image itself gets the tag.
        const std::string returned = client.put_manifest(repo, root ? reference : manifest.digest, manifest);
        if (returned != manifest.digest) {
            throw RegistryError(describe("pushing the manifest of " + archive.string() + " to " + repo,
                                         "the registry stored it as " + returned + ", not " + manifest.digest));
        }
        if (root) {
            result.digest = manifest.digest;
            result.media_type = manifest.media_type;
            result.size = manifest.bytes.size();
        }
    }
    return result;
}

}  // namespace kiln::registry
