#pragma once

// gzip compression as a stream: the reader pulls uncompressed bytes from a
// source and hands out compressed ones, so a layer is compressed while it
// uploads and never sits whole in memory or in a temporary file.

#include <cstddef>
#include <functional>
#include <memory>

namespace kiln::registry {

/// gzip level for layers pushed compressed. Level 1 runs about 3x faster than
/// the usual 6 for output about 10% bigger (docs/BENCHMARKS.md, image push);
/// compression bounds the push, so speed wins.
inline constexpr int kLayerGzipLevel = 1;

/// Reads `source` to its end and yields the bytes gzip-compressed (RFC 1952,
/// mtime 0, so equal input gives equal output). Move-only; owns a z_stream.
class GzipReader {
public:
    GzipReader(std::function<std::size_t(char*, std::size_t)> source, int level);
    ~GzipReader();
    GzipReader(GzipReader&&) noexcept;
    GzipReader& operator=(GzipReader&&) noexcept;
    GzipReader(const GzipReader&) = delete;
    GzipReader& operator=(const GzipReader&) = delete;

    /// Up to `capacity` compressed bytes; 0 at the end. Throws RegistryError.
    std::size_t read(char* buffer, std::size_t capacity);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace kiln::registry
