#include "registry-gc/storage_size.h"

#include <system_error>

#include "common/error.h"

namespace kiln::registry_gc {

std::uint64_t storage_bytes(const std::filesystem::path& root) {
    const std::string doing = "measuring the registry's storage '" + root.string() + "'";
    std::error_code ec;
    if (!std::filesystem::is_directory(root, ec)) {
        throw StateError(describe(doing, ec ? ec.message() : "not a directory"));
    }
    std::uint64_t total = 0;
    std::filesystem::recursive_directory_iterator it(root, ec);
    for (; !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        std::error_code entry_ec;
        if (it->is_regular_file(entry_ec) && !it->is_symlink(entry_ec)) {
            const std::uintmax_t size = it->file_size(entry_ec);
            // A file garbage-collect removed between the listing and here counts as gone.
            if (!entry_ec) {
                total += size;
            }
        }
    }
    if (ec) {
        throw StateError(describe(doing, ec.message()));
    }
    return total;
}

}  // namespace kiln::registry_gc
