#include "common/terminal_text.h"

#include <cstdio>

namespace kiln {
namespace {

constexpr unsigned char kUtf8C1Lead = 0xc2;

void append_visible(std::string& out, unsigned char byte) {
    if (byte == '\n' || byte == '\t' || byte == '\r') {
        out += static_cast<char>(byte);
    } else if (byte < 0x20) {
        out += '^';
        out += static_cast<char>(byte + 0x40);
    } else if (byte == 0x7f) {
        out += "^?";
    } else {
        out += static_cast<char>(byte);
    }
}

void append_c1(std::string& out, unsigned char second) {
    char text[8];
    std::snprintf(text, sizeof text, "\\u%04x", static_cast<unsigned>(second));
    out += text;
}

}  // namespace

std::string TerminalFilter::feed(std::string_view chunk) {
    std::string out;
    out.reserve(chunk.size());
    std::size_t i = 0;
    if (held_lead_ && !chunk.empty()) {
        held_lead_ = false;
        const auto next = static_cast<unsigned char>(chunk[0]);
        if (next >= 0x80 && next <= 0x9f) {
            append_c1(out, next);
            i = 1;
        } else {
            out += static_cast<char>(kUtf8C1Lead);
        }
    }
    for (; i < chunk.size(); ++i) {
        const auto byte = static_cast<unsigned char>(chunk[i]);
        if (byte != kUtf8C1Lead) {
            append_visible(out, byte);
            continue;
        }
        if (i + 1 == chunk.size()) {
            held_lead_ = true;
            break;
        }
        const auto next = static_cast<unsigned char>(chunk[i + 1]);
        if (next >= 0x80 && next <= 0x9f) {
            append_c1(out, next);
            ++i;
        } else {
            out += static_cast<char>(byte);
        }
    }
    return out;
}

std::string TerminalFilter::finish() {
    if (!held_lead_) {
        return {};
    }
    held_lead_ = false;
    return std::string(1, static_cast<char>(kUtf8C1Lead));
}

std::string neutralise_controls(std::string_view text) {
    TerminalFilter filter;
    return filter.feed(text) + filter.finish();
}

}  // namespace kiln
