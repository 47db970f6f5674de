#include "common/secret_mask.h"

#include <algorithm>
#include <cstdint>

namespace kiln {
namespace {

constexpr std::string_view kStandard = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

bool unreserved(unsigned char byte) {
    return (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') || (byte >= '0' && byte <= '9') ||
           byte == '-' || byte == '.' || byte == '_' || byte == '~';
}

// The base64 characters that depend on `value`'s bytes alone when it sits
// `offset` (0, 1 or 2) bytes after a 3-byte boundary of a longer text: what
// the base64 of that text holds wherever it holds `value`. Character i covers
// bits [6i, 6i+6) of the text.
std::string embedded_base64(std::string_view value, std::size_t offset, bool url_alphabet) {
    const std::string text = std::string(offset, '\0') + std::string(value);
    const std::string encoded = base64_encode(text, url_alphabet, false);
    const std::size_t first = (8 * offset + 5) / 6;
    const std::size_t last = (8 * (offset + value.size())) / 6;
    return last > first ? encoded.substr(first, last - first) : std::string();
}

}  // namespace

std::string base64_encode(std::string_view bytes, bool url_alphabet, bool pad) {
    const std::string_view alphabet = url_alphabet ? kUrl : kStandard;
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const std::size_t left = std::min<std::size_t>(3, bytes.size() - i);
        std::uint32_t group = static_cast<unsigned char>(bytes[i]) << 16;
        if (left > 1) group |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        if (left > 2) group |= static_cast<unsigned char>(bytes[i + 2]);
        for (std::size_t c = 0; c < 4; ++c) {
            if (c <= left) {
                out += alphabet[(group >> (18 - 6 * c)) & 0x3f];
            } else if (pad) {
                out += '=';
            }
        }
    }
    return out;
}

std::string percent_encode(std::string_view bytes, bool lower_hex, bool plus_for_space) {
    const char* digits = lower_hex ? "0123456789abcdef" : "0123456789ABCDEF";
    std::string out;
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        if (unreserved(byte)) {
            out += c;
        } else if (byte == ' ' && plus_for_space) {
            out += '+';
        } else {
            out += '%';
            out += digits[byte >> 4];
            out += digits[byte & 0xf];
        }
    }
    return out;
}

void SecretMask::add(std::string_view value) {
    if (value.size() < kMinLength) {
        return;
    }
    add_form(std::string(value));
    // A log line ends at \r as well as \n, so a value holding either reaches
    // a line of the log only in pieces: `abcd\r` then `EFGH`.
    std::size_t start = 0;
    for (std::size_t i = 0; i <= value.size(); ++i) {
        if (i == value.size() || value[i] == '\n' || value[i] == '\r') {
            if (i - start >= kMinLength && i - start < value.size()) {
                add_form(std::string(value.substr(start, i - start)));
            }
            start = i + 1;
        }
    }
    for (const bool url : {false, true}) {
        add_form(base64_encode(value, url, true));
        add_form(base64_encode(value, url, false));
        for (std::size_t offset = 0; offset < 3; ++offset) {
            std::string core = embedded_base64(value, offset, url);
            if (core.size() >= kMinEmbeddedBase64) {
                add_form(std::move(core));
            }
        }
    }
    for (const bool lower : {false, true}) {
        for (const bool plus : {false, true}) {
            add_form(percent_encode(value, lower, plus));
        }
    }
}

void SecretMask::add(const std::vector<std::string>& values) {
    for (const std::string& value : values) {
        add(value);
    }
}

void SecretMask::add(const SecretMask& other) {
    for (const std::string& form : other.forms_) {
        add_form(form);
    }
}

void SecretMask::add_form(std::string form) {
    if (form.size() < kMinLength || std::find(forms_.begin(), forms_.end(), form) != forms_.end()) {
        return;
    }
    // Longest first: prefix_tail and readers of forms() see the whole before its parts.
    const auto at = std::find_if(forms_.begin(), forms_.end(),
                                 [&](const std::string& known) { return known.size() < form.size(); });
    forms_.insert(at, std::move(form));
}

std::string SecretMask::apply(std::string_view text) const {
    if (forms_.empty()) {
        return std::string(text);
    }
    // Mark every byte any form covers first, then replace each run: two
    // secrets that overlap in the text are then both hidden whole, which
    // replacing one after the other would not do.
    std::vector<bool> covered(text.size(), false);
    bool any = false;
    for (const std::string& form : forms_) {
        for (std::size_t at = text.find(form); at != std::string_view::npos; at = text.find(form, at + 1)) {
            std::fill(covered.begin() + static_cast<std::ptrdiff_t>(at),
                      covered.begin() + static_cast<std::ptrdiff_t>(at + form.size()), true);
            any = true;
        }
    }
    if (!any) {
        return std::string(text);
    }
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (!covered[i]) {
            out += text[i];
        } else if (i == 0 || !covered[i - 1]) {
            out += kMasked;
        }
    }
    return out;
}

std::size_t SecretMask::prefix_tail(std::string_view text) const {
    std::size_t longest = 0;
    for (const std::string& form : forms_) {
        const std::size_t limit = std::min(form.size() - 1, text.size());
        for (std::size_t length = limit; length > longest; --length) {
            if (text.substr(text.size() - length) == std::string_view(form).substr(0, length)) {
                longest = length;
                break;
            }
        }
    }
    return longest;
}

}  // namespace kiln
