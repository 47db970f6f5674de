#include "registry-client/reference.h"

#include "common/error.h"
#include "common/image_names.h"
#include "registry-client/digest.h"

namespace kiln::registry {
namespace {

// Distribution's limit on a repository name with its host.
constexpr std::size_t kMaxNameLength = 255;

bool looks_like_host(const std::string& component) {
    return component.find('.') != std::string::npos || component.find(':') != std::string::npos ||
           component == "localhost";
}

Reference split(const std::string& text, const std::string& default_host, const std::string& doing) {
    if (text.empty()) {
        throw UsageError(describe(doing, "the reference is empty"));
    }
    Reference ref;
    std::string rest = text;
    std::size_t slash = rest.find('/');
    if (slash != std::string::npos && looks_like_host(rest.substr(0, slash))) {
        ref.host = rest.substr(0, slash);
        rest = rest.substr(slash + 1);
    } else {
        ref.host = default_host;
    }
    if (std::size_t at = rest.find('@'); at != std::string::npos) {
        ref.digest = rest.substr(at + 1);
        rest = rest.substr(0, at);
        if (!is_sha256_digest(ref.digest)) {
            throw UsageError(describe(doing, "'" + ref.digest + "' is not a digest (expected sha256: and 64 lowercase hex digits)"));
        }
    }
    std::size_t colon = rest.rfind(':');
    if (colon != std::string::npos && rest.find('/', colon) == std::string::npos) {
        ref.tag = rest.substr(colon + 1);
        rest = rest.substr(0, colon);
        if (const std::optional<std::string> problem = tag_problem(ref.tag)) {
            throw UsageError(describe(doing, *problem));
        }
    }
    ref.name = rest;
    if (const std::optional<std::string> problem = repository_name_problem(ref.name)) {
        throw UsageError(describe(doing, *problem));
    }
    if (ref.host.size() + 1 + ref.name.size() > kMaxNameLength) {
        throw UsageError(describe(doing, "host and repository name together exceed 255 characters"));
    }
    return ref;
}

}  // namespace

std::string Reference::str() const {
    std::string text = host.empty() ? name : host + "/" + name;
    if (!digest.empty()) {
        return text + "@" + digest;
    }
    return tag.empty() ? text : text + ":" + tag;
}

std::optional<std::string> repository_name_problem(const std::string& name) {
    if (name.empty()) {
        return "the repository name is empty";
    }
    if (!is_image_name(name)) {
        return "'" + name + "' is not a valid repository name (use lowercase letters, digits and . _ - " +
               "between them, components joined by /)";
    }
    return std::nullopt;
}

std::optional<std::string> tag_problem(const std::string& tag) {
    if (!is_image_tag(tag)) {
        return "'" + tag + "' is not a valid tag (1 to 128 letters, digits, _ . -, not starting with . or -)";
    }
    return std::nullopt;
}

Reference parse_reference(const std::string& text, const std::string& default_host) {
    Reference ref = split(text, default_host, "reading image reference '" + text + "'");
    if (ref.tag.empty() && ref.digest.empty()) {
        ref.tag = "latest";
    }
    return ref;
}

Reference parse_repository(const std::string& text, const std::string& default_host) {
    std::string doing = "reading repository '" + text + "'";
    Reference ref = split(text, default_host, doing);
    if (!ref.tag.empty() || !ref.digest.empty()) {
        throw UsageError(describe(doing, "name a repository without :TAG or @DIGEST"));
    }
    return ref;
}

std::string host_of_url(const std::string& url) {
    std::size_t start = url.find("://");
    start = start == std::string::npos ? 0 : start + 3;
    std::size_t end = url.find_first_of("/?#", start);
    return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

ClientOptions client_options_for(const Reference& ref, const ClientOptions& configured) {
    if (ref.host == host_of_url(configured.url)) {
        return configured;
    }
    ClientOptions options = configured;
    std::size_t scheme_end = configured.url.find("://");
    options.url = (scheme_end == std::string::npos ? "http" : configured.url.substr(0, scheme_end)) + "://" + ref.host;
    options.username.clear();
    options.password.clear();
    return options;
}

}  // namespace kiln::registry
