#include "common/units.h"

#include <array>
#include <cctype>
#include <cstdio>
#include <limits>
#include <utility>

namespace kiln {
namespace {

constexpr std::int64_t kMaxSeconds = 10LL * 365 * 24 * 3600;

// Reads the leading decimal digits of `text`; nothing when there are none or they overflow.
std::optional<std::uint64_t> take_number(std::string_view& text) {
    std::uint64_t value = 0;
    std::size_t digits = 0;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) {
        const std::uint64_t digit = static_cast<std::uint64_t>(text[digits] - '0');
        if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) {
            return std::nullopt;
        }
        value = value * 10 + digit;
        ++digits;
    }
    if (digits == 0) {
        return std::nullopt;
    }
    text.remove_prefix(digits);
    return value;
}

std::optional<std::int64_t> seconds_per_unit(char unit) {
    switch (unit) {
    case 's': return 1;
    case 'm': return 60;
    case 'h': return 3600;
    case 'd': return 86400;
    default: return std::nullopt;
    }
}

}  // namespace

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
    if (text.empty()) {
        return std::nullopt;
    }
    std::int64_t total = 0;
    bool bare = true;
    while (!text.empty()) {
        const std::optional<std::uint64_t> number = take_number(text);
        if (!number || *number > static_cast<std::uint64_t>(kMaxSeconds)) {
            return std::nullopt;
        }
        std::int64_t unit = 1;
        if (!text.empty()) {
            const std::optional<std::int64_t> per_unit = seconds_per_unit(text.front());
            if (!per_unit) {
                return std::nullopt;
            }
            unit = *per_unit;
            text.remove_prefix(1);
            bare = false;
        } else if (!bare) {
            return std::nullopt;  // "1m30" is ambiguous: say "1m30s"
        }
        total += static_cast<std::int64_t>(*number) * unit;
        if (total > kMaxSeconds) {
            return std::nullopt;
        }
    }
    if (total == 0) {
        return std::nullopt;
    }
    return std::chrono::seconds(total);
}

std::optional<std::uint64_t> parse_size(std::string_view text) {
    const std::optional<std::uint64_t> number = take_number(text);
    if (!number) {
        return std::nullopt;
    }
    static constexpr std::array<std::pair<std::string_view, std::uint64_t>, 13> kUnits{{
        {"", 1},
        {"B", 1},
        {"kB", 1000},
        {"KB", 1000},
        {"MB", 1000 * 1000},
        {"GB", 1000 * 1000 * 1000},
        {"K", 1024},
        {"M", 1024 * 1024},
        {"G", 1024 * 1024 * 1024},
        {"KiB", 1024},
        {"MiB", 1024 * 1024},
        {"GiB", 1024 * 1024 * 1024},
        {"TB", 1000ULL * 1000 * 1000 * 1000},
    }};
    for (const auto& [suffix, factor] : kUnits) {
        if (text == suffix) {
            if (*number > std::numeric_limits<std::uint64_t>::max() / factor) {
                return std::nullopt;
            }
            return *number * factor;
        }
    }
    return std::nullopt;
}

std::string format_duration(std::chrono::seconds duration) {
    const long long total = duration.count();
    char buffer[32];
    if (total >= 3600) {
        std::snprintf(buffer, sizeof buffer, "%lldh%02lldm", total / 3600, (total % 3600) / 60);
    } else if (total >= 60) {
        std::snprintf(buffer, sizeof buffer, "%lldm%02llds", total / 60, total % 60);
    } else {
        std::snprintf(buffer, sizeof buffer, "%llds", total);
    }
    return buffer;
}

std::string format_size(std::uint64_t bytes) {
    static constexpr std::array<const char*, 5> kSuffixes{"B", "kB", "MB", "GB", "TB"};
    double value = static_cast<double>(bytes);
    std::size_t unit = 0;
    while (value >= 1000 && unit + 1 < kSuffixes.size()) {
        value /= 1000;
        ++unit;
    }
    char buffer[32];
    if (unit == 0) {
        std::snprintf(buffer, sizeof buffer, "%llu%s", static_cast<unsigned long long>(bytes), kSuffixes[unit]);
    } else {
        std::snprintf(buffer, sizeof buffer, value < 10 ? "%.1f%s" : "%.0f%s", value, kSuffixes[unit]);
    }
    return buffer;
}

}  // namespace kiln
