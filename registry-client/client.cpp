#include "registry-client/client.h"

#include <algorithm>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "common/error.h"
#include "registry-client/blob_upload.h"
#include "registry-client/digest.h"
#include "registry-client/reference.h"
#include "registry-client/transport.h"
#include "registry-client/url.h"

namespace kiln::registry {

using detail::expect_status;
using detail::HttpRequest;
using detail::HttpResponse;
using detail::short_digest;
using detail::Url;

namespace {

std::string reference_label(const std::string& repo, const std::string& reference) {
    return repo + (reference.find(':') != std::string::npos ? "@" : ":") + reference;
}

std::string strip_parameters(const std::string& content_type) {
    std::string type = content_type.substr(0, content_type.find(';'));
    while (!type.empty() && type.back() == ' ') {
        type.pop_back();
    }
    return type;
}

// `<url>; rel="next"` from a Link header, or "".
std::string next_link(const std::string& header) {
    std::size_t start = 0;
    while ((start = header.find('<', start)) != std::string::npos) {
        std::size_t end = header.find('>', start);
        if (end == std::string::npos) {
            return "";
        }
        std::size_t next_entry = header.find('<', end);
        std::string parameters = header.substr(end + 1, next_entry == std::string::npos ? std::string::npos
                                                                                         : next_entry - end - 1);
        if (parameters.find("rel=\"next\"") != std::string::npos || parameters.find("rel=next") != std::string::npos) {
            return header.substr(start + 1, end - start - 1);
        }
        start = end;
    }
    return "";
}

}  // namespace

const std::string& manifest_accept_list() {
    static const std::string kAccept = std::string(kOciManifest) + ", " + kOciIndex + ", " + kDockerManifest + ", " +
                                       kDockerManifestList;
    return kAccept;
}

struct Client::Impl {
    explicit Impl(ClientOptions options) : transport(std::move(options)), host(host_of_url(transport.options().url)) {}

    detail::Transport transport;
    std::string host;

    HttpRequest request(const std::string& method, const std::string& target) {
        HttpRequest request;
        request.method = method;
        request.url = detail::resolve_url(transport.base(), target);
        return request;
    }

    HttpResponse send(const HttpRequest& request, const std::string& doing) { return transport.send(request, doing); }

    void expect(const HttpResponse& response, std::initializer_list<int> expected, const std::string& doing) {
        expect_status(response, expected, doing, transport.options());
    }

    // GET with a list body, following `Link: <...>; rel="next"` pages.
    std::vector<nlohmann::json> pages(const std::string& first, const std::string& doing, bool* unknown_name) {
        std::vector<nlohmann::json> bodies;
        HttpRequest next = request("GET", first);
        next.body_limit = kMaxListPageBytes;
        next.body_kind = "a list page";
        std::size_t total = 0;
        for (int page = 0; page < 10000; ++page) {
            HttpResponse response = send(next, doing);
            total += response.body.size();
            if (total > kMaxListBytes) {
                throw RegistryError(describe(doing, "the registry sent list pages over kiln's limit of " +
                                                        detail::limit_text(kMaxListBytes) + " in all"));
            }
            if (unknown_name && response.status == 404) {
                *unknown_name = true;
                return bodies;
            }
            expect(response, {200}, doing);
            auto body = nlohmann::json::parse(response.body, nullptr, false);
            if (!body.is_object()) {
                throw RegistryError(describe(doing, "registry sent a body that is not a JSON object"));
            }
            bodies.push_back(std::move(body));
            std::string link = next_link(response.header("Link"));
            if (link.empty()) {
                break;
            }
            next.url = detail::resolve_url(next.url, link);
        }
        return bodies;
    }
};

Client::Client(ClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Client::~Client() = default;
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;

const std::string& Client::url() const { return impl_->transport.options().url; }
const std::string& Client::host() const { return impl_->host; }

void Client::ping() {
    std::string doing = "contacting registry " + url();
    HttpResponse response = impl_->send(impl_->request("GET", "/v2/"), doing);
    impl_->expect(response, {200}, doing);
}

std::optional<std::uint64_t> Client::blob_size(const std::string& repo, const std::string& digest) {
    std::string doing = "checking blob " + short_digest(digest) + " in " + repo;
    HttpResponse response = impl_->send(impl_->request("HEAD", "/v2/" + repo + "/blobs/" + digest), doing);
    if (response.status == 404) {
        return std::nullopt;
    }
    impl_->expect(response, {200}, doing);
    std::string length = response.header("Content-Length");
    try {
        return length.empty() ? 0 : std::stoull(length);
    } catch (const std::exception&) {
        throw RegistryError(describe(doing, "bad Content-Length '" + length + "'"));
    }
}

bool Client::mount_blob(const std::string& repo, const std::string& digest, const std::string& from_repo) {
    std::string doing = "mounting blob " + short_digest(digest) + " from " + from_repo + " into " + repo;
    HttpRequest post = impl_->request("POST", "/v2/" + repo + "/blobs/uploads/?mount=" +
                                                  detail::encode_query_value(digest) +
                                                  "&from=" + detail::encode_query_value(from_repo));
    HttpResponse response = impl_->send(post, doing);
    impl_->expect(response, {201, 202}, doing);
    if (response.status == 201) {
        return true;
    }
    // 2.8 opened an ordinary upload session instead; nobody will use it.
    if (std::string location = response.header("Location"); !location.empty()) {
        HttpResponse ignored;
        detail::TransportFailure failure;
        HttpRequest cancel = post;
        cancel.method = "DELETE";
        cancel.url = detail::resolve_url(post.url, location);
        impl_->transport.exchange(cancel, ignored, failure);
    }
    return false;
}

void Client::upload_blob(const std::string& repo, const BlobDescriptor& blob, const BlobSource& source,
                         const Progress& progress) {
    detail::BlobUpload upload(impl_->transport, repo, "pushing blob " + short_digest(blob.digest) + " to " + repo);
    upload.run(source, progress, &blob);
}

BlobDescriptor Client::upload_blob_streaming(const std::string& repo, const BlobSource& source,
                                             const Progress& progress) {
    detail::BlobUpload upload(impl_->transport, repo, "pushing a blob to " + repo);
    return upload.run(source, progress, nullptr);
}

std::optional<Manifest> Client::get_manifest(const std::string& repo, const std::string& reference) {
    std::string doing = "reading manifest " + reference_label(repo, reference);
    HttpRequest get = impl_->request("GET", "/v2/" + repo + "/manifests/" + reference);
    get.headers.emplace_back("Accept", manifest_accept_list());
    get.body_limit = kMaxManifestBytes;
    get.body_kind = "a manifest";
    HttpResponse response = impl_->send(get, doing);
    if (response.status == 404) {
        return std::nullopt;
    }
    impl_->expect(response, {200}, doing);
    Manifest manifest;
    manifest.bytes = std::move(response.body);
    manifest.digest = sha256_digest(manifest.bytes);
    manifest.media_type = strip_parameters(response.header("Content-Type"));
    if (manifest.media_type.empty() || manifest.media_type == "application/json") {
        auto json = nlohmann::json::parse(manifest.bytes, nullptr, false);
        if (json.is_object() && json.contains("mediaType") && json["mediaType"].is_string()) {
            manifest.media_type = json["mediaType"].get<std::string>();
        }
    }
    std::string claimed = response.header("Docker-Content-Digest");
    if (is_sha256_digest(reference) && manifest.digest != reference) {
        throw RegistryError(describe(doing, "the registry sent bytes whose digest is " + manifest.digest));
    }
    if (is_sha256_digest(claimed) && claimed != manifest.digest) {
        throw RegistryError(describe(doing, "the registry says the digest is " + claimed + " but the bytes hash to " +
                                                manifest.digest));
    }
    return manifest;
}

std::optional<std::string> Client::manifest_digest(const std::string& repo, const std::string& reference) {
    ManifestCheck check = check_manifest(repo, reference, "");
    if (check.state == ManifestCheck::State::missing) {
        return std::nullopt;
    }
    return check.digest;
}

ManifestCheck Client::check_manifest(const std::string& repo, const std::string& reference,
                                     const std::string& known_digest) {
    std::string doing = "checking manifest " + reference_label(repo, reference);
    HttpRequest head = impl_->request("HEAD", "/v2/" + repo + "/manifests/" + reference);
    head.headers.emplace_back("Accept", manifest_accept_list());
    if (!known_digest.empty()) {
        head.headers.emplace_back("If-None-Match", "\"" + known_digest + "\"");
    }
    HttpResponse response = impl_->send(head, doing);
    ManifestCheck check;
    if (response.status == 404) {
        return check;
    }
    if (response.status == 304) {
        check.state = ManifestCheck::State::unchanged;
        check.digest = known_digest;
        return check;
    }
    impl_->expect(response, {200}, doing);
    check.digest = response.header("Docker-Content-Digest");
    if (!is_sha256_digest(check.digest)) {
        // Some proxies strip the header: fetch the bytes and hash them.
        std::optional<Manifest> manifest = get_manifest(repo, reference);
        if (!manifest) {
            return ManifestCheck{};
        }
        check.digest = manifest->digest;
    }
    check.state = check.digest == known_digest ? ManifestCheck::State::unchanged : ManifestCheck::State::changed;
    return check;
}

std::string Client::put_manifest(const std::string& repo, const std::string& reference, const Manifest& manifest) {
    std::string doing = "pushing manifest " + reference_label(repo, reference);
    HttpRequest put = impl_->request("PUT", "/v2/" + repo + "/manifests/" + reference);
    put.body = manifest.bytes;
    put.content_type = manifest.media_type;
    HttpResponse response = impl_->send(put, doing);
    impl_->expect(response, {201}, doing);
    std::string digest = sha256_digest(manifest.bytes);
    std::string claimed = response.header("Docker-Content-Digest");
    if (!claimed.empty() && claimed != digest) {
        throw RegistryError(describe(doing, "the registry stored it as " + claimed + " but its bytes hash to " + digest));
    }
    return digest;
}

void Client::delete_manifest(const std::string& repo, const std::string& digest) {
    std::string doing = "deleting manifest " + repo + "@" + digest;
    HttpResponse response = impl_->send(impl_->request("DELETE", "/v2/" + repo + "/manifests/" + digest), doing);
    impl_->expect(response, {202}, doing);
}

bool Client::deletes_enabled(const std::string& repo) {
    // All zeros: a digest no manifest has (it would take a SHA-256 preimage).
    const std::string digest = "sha256:" + std::string(64, '0');
    const std::string doing = "asking " + url() + " whether it deletes manifests";
    HttpResponse response = impl_->send(impl_->request("DELETE", "/v2/" + repo + "/manifests/" + digest), doing);
    if (response.status == 405) {
        return false;
    }
    impl_->expect(response, {404}, doing);
    return true;
}

std::vector<std::string> Client::tags(const std::string& repo) {
    std::vector<std::string> tags;
    for (const auto& page : impl_->pages("/v2/" + repo + "/tags/list", "listing tags of " + repo, nullptr)) {
        if (page.contains("tags") && page["tags"].is_array()) {
            for (const auto& tag : page["tags"]) {
                tags.push_back(tag.get<std::string>());
            }
        }
    }
    std::sort(tags.begin(), tags.end());
    tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
    return tags;
}

std::vector<std::string> Client::catalog() {
    std::vector<std::string> names;
    for (const auto& page : impl_->pages("/v2/_catalog?n=100", "listing repositories of " + url(), nullptr)) {
        if (page.contains("repositories") && page["repositories"].is_array()) {
            for (const auto& name : page["repositories"]) {
                names.push_back(name.get<std::string>());
            }
        }
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    // 2.8 never drops a repository from the catalog, not even when every tag is gone.
    std::vector<std::string> visible;
    for (const auto& name : names) {
        bool unknown = false;
        auto pages = impl_->pages("/v2/" + name + "/tags/list", "listing tags of " + name, &unknown);
        bool has_tags = std::any_of(pages.begin(), pages.end(), [](const nlohmann::json& page) {
            return page.contains("tags") && page["tags"].is_array() && !page["tags"].empty();
        });
        if (!unknown && has_tags) {
            visible.push_back(name);
        }
    }
    return visible;
}

std::string Client::get_blob(const std::string& repo, const std::string& digest, std::size_t max_bytes) {
    std::string doing = "reading blob " + short_digest(digest) + " from " + repo;
    HttpRequest get = impl_->request("GET", "/v2/" + repo + "/blobs/" + digest);
    get.body_limit = max_bytes;
    get.body_kind = "a config blob";
    HttpResponse response = impl_->send(get, doing);
    for (int hop = 0; hop < 3 && response.status >= 300 && response.status < 400 && response.has_header("Location");
         ++hop) {
        get.url = detail::resolve_url(get.url, response.header("Location"));
        response = impl_->send(get, doing);
    }
    impl_->expect(response, {200}, doing);
    std::string actual = sha256_digest(response.body);
    if (actual != digest) {
        throw RegistryError(describe(doing, "the registry sent bytes whose digest is " + actual));
    }
    return std::move(response.body);
}

}  // namespace kiln::registry
