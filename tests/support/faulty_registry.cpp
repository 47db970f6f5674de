#include "tests/support/faulty_registry.h"

#include <stdexcept>

namespace kiln::test {

FaultyRegistry::FaultyRegistry() = default;

FaultyRegistry::~FaultyRegistry() {
    server_.stop();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void FaultyRegistry::start() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) {
        throw std::runtime_error("FaultyRegistry: cannot bind 127.0.0.1");
    }
    // bind_to_any_port() already listens, so clients may connect before the thread runs.
    thread_ = std::thread([this] { server_.listen_after_bind(); });
}

}  // namespace kiln::test
