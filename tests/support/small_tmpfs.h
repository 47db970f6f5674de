#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

namespace kiln::test {

/// A tmpfs of a few pages mounted at an existing directory, so a test can fill
/// a file system for real (ENOSPC from the kernel, not from a fake). Needs
/// root; unmounted (lazily, so open files cannot keep it) on destruction.
class SmallTmpfs {
public:
    /// Why this process cannot mount one (not root), or nothing.
    static std::optional<std::string> cannot_mount();

    /// Mounts a tmpfs of `bytes` at `dir`. Throws std::runtime_error.
    SmallTmpfs(std::filesystem::path dir, std::size_t bytes);
    ~SmallTmpfs();
    SmallTmpfs(const SmallTmpfs&) = delete;
    SmallTmpfs& operator=(const SmallTmpfs&) = delete;

    const std::filesystem::path& path() const { return dir_; }
    /// Writes `filler` until the kernel says ENOSPC: nothing more fits.
    void fill() const;
    /// Removes what fill() wrote.
    void free_space() const;

private:
    std::filesystem::path filler() const { return dir_ / "filler"; }
    std::filesystem::path dir_;
};

}  // namespace kiln::test
