#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kiln {

/// Parses durations such as `90s`, `20m`, `1h30m`, `2d` or a bare number of
/// seconds; nothing when malformed, zero-length or absurdly large.
std::optional<std::chrono::seconds> parse_duration(std::string_view text);

/// Parses sizes such as `50MB`, `512KiB`, `1G` or a bare number of bytes.
/// Decimal (kB, MB, GB) and binary (KiB, MiB, GiB) units; K/M/G alone are binary.
std::optional<std::uint64_t> parse_size(std::string_view text);

/// `1h02m`, `3m05s`, `42s`: short and stable, for tables and status lines.
std::string format_duration(std::chrono::seconds duration);

/// `50MB`, `1.5GB`, `812B`: decimal units, for tables.
std::string format_size(std::uint64_t bytes);

}  // namespace kiln
