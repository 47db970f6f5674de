#include "registry-client/blob_upload.h"

#include <algorithm>
#include <vector>

#include <spdlog/spdlog.h>

#include "common/error.h"
#include "registry-client/digest.h"

namespace kiln::registry::detail {
namespace {

Url with_digest(Url url, const std::string& digest) {
    url.target += (url.target.find('?') == std::string::npos ? "?digest=" : "&digest=") + encode_query_value(digest);
    return url;
}

// The last byte from a `Range: 0-<last>` reply, if it is a usable offset.
// `0-0` is ambiguous in 2.8 (nothing or one byte), so it reads as unknown.
std::optional<std::uint64_t> range_end(const std::string& range) {
    std::size_t dash = range.find('-');
    if (dash == std::string::npos) {
        return std::nullopt;
    }
    try {
        std::uint64_t last = std::stoull(range.substr(dash + 1));
        if (last == 0) {
            return std::nullopt;
        }
        return last + 1;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace

BlobUpload::BlobUpload(Transport& transport, std::string repo, std::string doing)
    : transport_(transport), repo_(std::move(repo)), doing_(std::move(doing)) {}

void BlobUpload::fail(const HttpResponse& response) const {
    throw RegistryError(describe(doing_, explain_response(response, transport_.options())));
}

Url BlobUpload::start() {
    HttpRequest post;
    post.method = "POST";
    post.url = resolve_url(transport_.base(), "/v2/" + repo_ + "/blobs/uploads/");
    HttpResponse response = transport_.send(post, doing_);
    if (response.status != 202) {
        fail(response);
    }
    std::string location = response.header("Location");
    if (location.empty()) {
        throw RegistryError(describe(doing_, "the registry opened an upload without a Location header"));
    }
    return resolve_url(post.url, location);
}

std::uint64_t BlobUpload::recover() {
    HttpRequest status;
    status.method = "GET";
    status.url = location_;
    HttpResponse response;
    TransportFailure failure;
    if (transport_.exchange(status, response, failure) && response.status == 204) {
        if (auto offset = range_end(response.header("Range"))) {
            if (std::string location = response.header("Location"); !location.empty()) {
                location_ = resolve_url(location_, location);
            }
            spdlog::info("{}: resuming at byte {}", doing_, *offset);
            return *offset;
        }
    }
    // Unknown state (registry restarted, session expired, nothing written): start over.
    HttpRequest cancel;
    cancel.method = "DELETE";
    cancel.url = location_;
    transport_.exchange(cancel, response, failure);
    location_ = start();
    return 0;
}

BlobDescriptor BlobUpload::finish(const std::string& digest, std::uint64_t size) {
    HttpRequest put;
    put.method = "PUT";
    put.url = with_digest(location_, digest);
    put.content_type = "application/octet-stream";
    HttpResponse response = transport_.send(put, doing_);
    if (response.status != 201) {
        fail(response);
    }
    std::string stored = response.header("Docker-Content-Digest");
    if (!stored.empty() && stored != digest) {
        throw RegistryError(describe(doing_, "the registry stored " + stored + " but kiln computed " + digest));
    }
    return BlobDescriptor{digest, size};
}

BlobDescriptor BlobUpload::run(const BlobSource& source, const Progress& progress, const BlobDescriptor* known) {
    location_ = start();
    std::uint64_t offset = 0;
    std::vector<char> skip_buffer;
    for (int attempt = 0;; ++attempt) {
        BlobReader reader = source();
        Sha256 hasher;
        std::uint64_t position = 0;
        // Resuming: the registry has the first `offset` bytes; hash them again without sending.
        skip_buffer.resize(256 * 1024);
        while (position < offset) {
            std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(skip_buffer.size(), offset - position));
            std::size_t got = reader(skip_buffer.data(), want);
            if (got == 0) {
                throw RegistryError(describe(doing_, "the blob source ended after " + std::to_string(position) +
                                                          " bytes while resuming at " + std::to_string(offset)));
            }
            hasher.update(skip_buffer.data(), got);
            position += got;
        }
        HttpRequest request;
        request.content_type = "application/octet-stream";
        request.stream = [&](char* buffer, std::size_t capacity) -> std::size_t {
            if (known) {
                capacity = static_cast<std::size_t>(std::min<std::uint64_t>(capacity, known->size - position));
                if (capacity == 0) {
                    return 0;
                }
            }
            std::size_t got = reader(buffer, capacity);
            if (known && got == 0) {
                throw RegistryError(describe(doing_, "the blob source ended after " + std::to_string(position) +
                                                          " of " + std::to_string(known->size) + " bytes"));
            }
            // A known digest is checked by the registry (400 DIGEST_INVALID); hashing
            // here too halved push throughput on a 2-core box (docs/BENCHMARKS.md).
            if (!known) {
                hasher.update(buffer, got);
            }
            position += got;
            if (progress) {
                progress(position);
            }
            return got;
        };
        bool monolithic = known && offset == 0;
        if (monolithic) {
            request.method = "PUT";
            request.url = with_digest(location_, known->digest);
            request.stream_length = known->size;
        } else {
            request.method = "PATCH";
            request.url = location_;
            if (known) {
                request.stream_length = known->size - offset;
                if (known->size > offset) {
                    request.headers.emplace_back("Content-Range", std::to_string(offset) + "-" +
                                                                      std::to_string(known->size - 1));
                }
            }
        }
        HttpResponse response;
        TransportFailure failure;
        bool answered = transport_.exchange(request, response, failure);
        if (answered && (response.status == 201 || response.status == 202 || response.status == 204)) {
            std::string digest = known ? known->digest : hasher.finish();
            if (monolithic) {
                std::string stored = response.header("Docker-Content-Digest");
                if (!stored.empty() && stored != digest) {
                    throw RegistryError(describe(doing_, "the registry stored " + stored + " but kiln computed " + digest));
                }
                return *known;
            }
            if (std::string location = response.header("Location"); !location.empty()) {
                location_ = resolve_url(request.url, location);
            }
            return finish(digest, position);
        }
        if (answered && !Transport::retryable(response.status) && response.status != 401) {
            fail(response);
        }
        if (attempt >= transport_.options().retries || (!answered && !failure.retryable)) {
            if (answered) {
                fail(response);
            }
            throw RegistryError(describe(doing_, failure.reason));
        }
        spdlog::warn("{}: {}; retrying", doing_,
                     answered ? explain_response(response, transport_.options()) : failure.reason);
        transport_.backoff(attempt + 1, doing_);
        offset = recover();
    }
}

}  // namespace kiln::registry::detail
