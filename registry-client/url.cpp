#include "registry-client/url.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "common/error.h"
#include "common/text.h"

namespace kiln::registry::detail {
namespace {

int default_port(const std::string& scheme) { return scheme == "https" ? 443 : 80; }

// RFC 3986 5.2.4: removes `.` and `..` segments from an absolute path.
std::string remove_dot_segments(const std::string& path) {
    std::vector<std::string> output;
    const std::vector<std::string> segments = split(std::string_view(path).substr(std::min<std::size_t>(1, path.size())), '/');
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const std::string& segment = segments[i];
        const bool last = i + 1 == segments.size();
        if (segment == "..") {
            if (!output.empty()) {
                output.pop_back();
            }
            if (last) {
                output.emplace_back();
            }
        } else if (segment == ".") {
            if (last) {
                output.emplace_back();
            }
        } else {
            output.push_back(segment);
        }
    }
    return output.empty() ? "/" : "/" + join(output, "/");
}

// Splits "path?query" without touching either part.
std::pair<std::string, std::string> split_query(const std::string& target) {
    std::size_t mark = target.find('?');
    if (mark == std::string::npos) {
        return {target, ""};
    }
    return {target.substr(0, mark), target.substr(mark)};
}

}  // namespace

std::string Url::origin() const {
    std::string bracketed = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return scheme + "://" + bracketed + ":" + std::to_string(port);
}

std::string Url::authority() const {
    std::string bracketed = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return bracketed + ":" + std::to_string(port);
}

Url parse_url(const std::string& text, const std::string& what) {
    auto invalid = [&](const std::string& why) {
        return UsageError(describe("reading " + what + " '" + text + "'", why));
    };
    std::size_t colon = text.find("://");
    if (colon == std::string::npos) {
        throw invalid("not an absolute URL (expected http://HOST[:PORT])");
    }
    Url url;
    url.scheme = lowercase(text.substr(0, colon));
    if (url.scheme != "http" && url.scheme != "https") {
        throw invalid("scheme must be http or https");
    }
    std::size_t authority_start = colon + 3;
    std::size_t authority_end = text.find_first_of("/?#", authority_start);
    std::string authority = text.substr(authority_start, authority_end == std::string::npos
                                                             ? std::string::npos
                                                             : authority_end - authority_start);
    if (std::size_t at = authority.rfind('@'); at != std::string::npos) {
        authority = authority.substr(at + 1);
    }
    std::string port_text;
    if (!authority.empty() && authority.front() == '[') {
        std::size_t close = authority.find(']');
        if (close == std::string::npos) {
            throw invalid("unterminated IPv6 address");
        }
        url.host = authority.substr(1, close - 1);
        if (close + 1 < authority.size() && authority[close + 1] == ':') {
            port_text = authority.substr(close + 2);
        }
    } else if (std::size_t port_colon = authority.rfind(':'); port_colon != std::string::npos) {
        url.host = authority.substr(0, port_colon);
        port_text = authority.substr(port_colon + 1);
    } else {
        url.host = authority;
    }
    if (url.host.empty()) {
        throw invalid("no host");
    }
    url.port = default_port(url.scheme);
    if (!port_text.empty()) {
        for (char c : port_text) {
            if (!std::isdigit(static_cast<unsigned char>(c))) {
                throw invalid("bad port '" + port_text + "'");
            }
        }
        if (port_text.size() > 5 || std::stoi(port_text) == 0 || std::stoi(port_text) > 65535) {
            throw invalid("bad port '" + port_text + "'");
        }
        url.port = std::stoi(port_text);
    }
    url.target = authority_end == std::string::npos ? "/" : text.substr(authority_end);
    if (std::size_t hash = url.target.find('#'); hash != std::string::npos) {
        url.target.erase(hash);
    }
    if (url.target.empty() || url.target.front() != '/') {
        url.target.insert(0, "/");
    }
    return url;
}

Url resolve_url(const Url& base, const std::string& reference) {
    std::string ref = reference.substr(0, reference.find('#'));
    if (ref.find("://") != std::string::npos && ref.find("://") < ref.find_first_of("/?")) {
        return parse_url(ref, "URL");
    }
    if (ref.rfind("//", 0) == 0) {
        return parse_url(base.scheme + ":" + ref, "URL");
    }
    Url result = base;
    auto [base_path, base_query] = split_query(base.target);
    if (ref.empty()) {
        result.target = base_path + base_query;
    } else if (ref.front() == '?') {
        result.target = base_path + ref;
    } else {
        auto [ref_path, ref_query] = split_query(ref);
        if (ref_path.front() == '/') {
            result.target = remove_dot_segments(ref_path) + ref_query;
        } else {
            std::string merged = base_path.substr(0, base_path.rfind('/') + 1) + ref_path;
            result.target = remove_dot_segments(merged) + ref_query;
        }
    }
    return result;
}

std::string encode_query_value(const std::string& value) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string encoded;
    for (unsigned char c : value) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            encoded += static_cast<char>(c);
        } else {
            encoded += '%';
            encoded += kHex[c >> 4];
            encoded += kHex[c & 0x0f];
        }
    }
    return encoded;
}

}  // namespace kiln::registry::detail
