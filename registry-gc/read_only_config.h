#pragma once

// The registry's config switched to read-only for the length of a gc, and
// put back on every way out: the destructor restores the original bytes and
// restarts the registry, so an error, an exception or a signal leaves it as
// it was. A copy of the original sits next to it meanwhile
// (`<config>.kiln-gc-original`), so a gc killed outright (SIGKILL, power)
// is undone by the next one.

#include <filesystem>
#include <functional>
#include <string>

namespace kiln::registry_gc {

class ReadOnlyConfig {
public:
    /// Restarts the registry and waits until it answers; throws on failure.
    using Restart = std::function<void()>;

    /// Saves `path`'s bytes, mode and owner, writes the copy, then the
    /// read-only version in place (atomically). Does not restart. Throws
    /// StateError or ConfigError; nothing has changed then.
    ReadOnlyConfig(std::filesystem::path path, Restart restart);
    /// restore() unless done; its errors are logged, never thrown.
    ~ReadOnlyConfig();
    ReadOnlyConfig(const ReadOnlyConfig&) = delete;
    ReadOnlyConfig& operator=(const ReadOnlyConfig&) = delete;

    /// Puts the original back, removes the copy, then restarts. Throws.
    void restore();

    /// `<path>.kiln-gc-original`.
    static std::filesystem::path saved_copy(const std::filesystem::path& path);

    /// When a gc died with the registry read-only, the copy is still there:
    /// puts it back (same mode and owner) and returns true. Throws StateError.
    static bool restore_leftover(const std::filesystem::path& path);

private:
    std::filesystem::path path_;
    Restart restart_;
    std::string original_;
    bool restored_ = false;
};

}  // namespace kiln::registry_gc
