#include "image-archive/gzip.h"

#include <algorithm>
#include <string>
#include <vector>

#include <zlib.h>

#include "common/error.h"

namespace kiln::registry {
namespace {
// Input is pulled in blocks this big: few calls into libarchive or read().
constexpr std::size_t kInputBlock = 256 * 1024;
// windowBits 15 plus 16 asks zlib for a gzip header and trailer.
constexpr int kGzipWindowBits = 15 + 16;
constexpr int kMemLevel = 8;
// zlib counts in 32-bit uInt.
constexpr std::size_t kMaxOutput = 1U << 30;
}  // namespace

struct GzipReader::Impl {
    std::function<std::size_t(char*, std::size_t)> source;
    z_stream stream{};
    std::vector<char> input = std::vector<char>(kInputBlock);
    bool input_done = false;
    bool finished = false;

    ~Impl() { deflateEnd(&stream); }
};

GzipReader::GzipReader(std::function<std::size_t(char*, std::size_t)> source, int level)
    : impl_(std::make_unique<Impl>()) {
    impl_->source = std::move(source);
    if (deflateInit2(&impl_->stream, level, Z_DEFLATED, kGzipWindowBits, kMemLevel, Z_DEFAULT_STRATEGY) != Z_OK) {
        throw RegistryError(describe("starting gzip compression", impl_->stream.msg != nullptr ? impl_->stream.msg
                                                                                                : "zlib refused"));
    }
}

GzipReader::~GzipReader() = default;
GzipReader::GzipReader(GzipReader&&) noexcept = default;
GzipReader& GzipReader::operator=(GzipReader&&) noexcept = default;

std::size_t GzipReader::read(char* buffer, std::size_t capacity) {
    Impl& impl = *impl_;
    if (impl.finished) {
        return 0;
    }
    capacity = std::min<std::size_t>(capacity, kMaxOutput);
    impl.stream.next_out = reinterpret_cast<Bytef*>(buffer);
    impl.stream.avail_out = static_cast<uInt>(capacity);
    // Keep feeding input until some output is ready, so a 0 always means the end.
    while (impl.stream.avail_out == capacity) {
        if (impl.stream.avail_in == 0 && !impl.input_done) {
            const std::size_t count = impl.source(impl.input.data(), impl.input.size());
            impl.input_done = count == 0;
            impl.stream.next_in = reinterpret_cast<Bytef*>(impl.input.data());
            impl.stream.avail_in = static_cast<uInt>(count);
        }
        const int rc = deflate(&impl.stream, impl.input_done ? Z_FINISH : Z_NO_FLUSH);
        if (rc == Z_STREAM_END) {
            impl.finished = true;
            break;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            throw RegistryError(describe("gzip-compressing a layer", impl.stream.msg != nullptr ? impl.stream.msg
                                                                                                 : std::to_string(rc)));
        }
    }
    return capacity - impl.stream.avail_out;
}

}  // namespace kiln::registry
