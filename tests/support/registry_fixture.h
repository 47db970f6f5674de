#pragma once

#include <filesystem>
#include <string>
#include <sys/types.h>

#include "tests/support/temp_dir.h"

namespace kiln::test {

/// A real `docker-registry serve` on 127.0.0.1 and a free port, storing in a
/// temp dir, deletes enabled (unless told not to), optionally with htpasswd (bcrypt) auth. Killed
/// and removed on destruction.
class RegistryFixture {
public:
    struct Options {
        bool auth = false;
        bool deletes = true;  ///< storage.delete.enabled
        std::string username = "kiln";
        std::string password = "s3cret";
    };

    RegistryFixture() : RegistryFixture(Options{}) {}
    explicit RegistryFixture(Options options);
    ~RegistryFixture();
    RegistryFixture(const RegistryFixture&) = delete;
    RegistryFixture& operator=(const RegistryFixture&) = delete;

    /// `http://127.0.0.1:<port>`.
    std::string url() const;
    /// `127.0.0.1:<port>`.
    std::string host() const;
    const Options& options() const { return options_; }

    /// Stops the registry (SIGTERM, then waits); the storage stays.
    void stop();
    /// Starts it again on the same port and storage; waits until it answers.
    void start();

    /// True when `docker-registry` is installed (tests skip loudly otherwise).
    static bool available();

private:
    Options options_;
    TempDir dir_;
    int port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace kiln::test
