#include "git-objects/git_delta.h"

namespace kiln::git_objects {

std::optional<DeltaSizes> delta_sizes(const std::string& delta) {
    std::size_t at = 0;
    const auto varint = [&]() -> std::optional<std::uint64_t> {
        std::uint64_t value = 0;
        for (int shift = 0; at < delta.size() && shift < 64; shift += 7) {
            const auto byte = static_cast<unsigned char>(delta[at++]);
            value |= std::uint64_t{byte & 0x7fU} << shift;
            if ((byte & 0x80U) == 0) {
                return value;
            }
        }
        return std::nullopt;
    };
    const std::optional<std::uint64_t> source = varint();
    const std::optional<std::uint64_t> result = varint();
    if (!source || !result) {
        return std::nullopt;
    }
    return DeltaSizes{*source, *result, at};
}

std::optional<std::string> apply_delta(const std::string& base, const std::string& delta, std::uint64_t max_result) {
    const std::optional<DeltaSizes> sizes = delta_sizes(delta);
    if (!sizes || sizes->source != base.size() || sizes->result > max_result) {
        return std::nullopt;
    }
    const std::uint64_t result_size = sizes->result;
    std::size_t at = sizes->header_bytes;
    std::string result;
    result.reserve(result_size);
    while (at < delta.size()) {
        const auto op = static_cast<unsigned char>(delta[at++]);
        if ((op & 0x80U) != 0) {
            std::uint64_t offset = 0;
            std::uint64_t length = 0;
            for (unsigned i = 0; i < 4; ++i) {
                if ((op & (1U << i)) != 0) {
                    if (at >= delta.size()) {
                        return std::nullopt;
                    }
                    offset |= std::uint64_t{static_cast<unsigned char>(delta[at++])} << (8 * i);
                }
            }
            for (unsigned i = 0; i < 3; ++i) {
                if ((op & (0x10U << i)) != 0) {
                    if (at >= delta.size()) {
                        return std::nullopt;
                    }
                    length |= std::uint64_t{static_cast<unsigned char>(delta[at++])} << (8 * i);
                }
            }
            length = length == 0 ? 0x10000 : length;
            if (offset + length > base.size() || result.size() + length > result_size) {
                return std::nullopt;
            }
            result.append(base, offset, length);
        } else if (op != 0) {
            if (at + op > delta.size() || result.size() + op > result_size) {
                return std::nullopt;
            }
            result.append(delta, at, op);
            at += op;
        } else {
            return std::nullopt;
        }
    }
    if (result.size() != result_size) {
        return std::nullopt;
    }
    return result;
}

}  // namespace kiln::git_objects
