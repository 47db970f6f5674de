#include "doctor/subids.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <sstream>

namespace kiln::doctor {
namespace {

constexpr std::uint64_t kFirstSubid = 100000;

struct SubidLine {
    std::string owner;
    SubidRange range;
};

std::optional<std::uint64_t> parse_number(const std::string& text) {
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

std::vector<SubidLine> parse_lines(const std::string& text) {
    std::vector<SubidLine> lines;
    std::istringstream stream(text);
    std::string line;
    while (std::getline(stream, line)) {
        const std::size_t first = line.find(':');
        const std::size_t second = first == std::string::npos ? first : line.find(':', first + 1);
        if (second == std::string::npos) {
            continue;
        }
        const std::optional<std::uint64_t> start = parse_number(line.substr(first + 1, second - first - 1));
        const std::optional<std::uint64_t> count = parse_number(line.substr(second + 1));
        if (first > 0 && start && count) {
            lines.push_back({line.substr(0, first), {*start, *count}});
        }
    }
    return lines;
}

}  // namespace

std::vector<SubidRange> subid_ranges(const std::string& text, const std::string& user, uid_t uid) {
    std::vector<SubidRange> ranges;
    for (const SubidLine& line : parse_lines(text)) {
        if (line.owner == user || line.owner == std::to_string(uid)) {
            ranges.push_back(line.range);
        }
    }
    return ranges;
}

std::uint64_t free_subid_start(const std::string& text) {
    std::uint64_t start = kFirstSubid;
    for (const SubidLine& line : parse_lines(text)) {
        start = std::max(start, line.range.start + line.range.count);
    }
    return start;
}

}  // namespace kiln::doctor
