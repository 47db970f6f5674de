#include "tests/support/registry_fixture.h"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>

#include <arpa/inet.h>
#include <crypt.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace kiln::test {
namespace {

int free_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        throw std::runtime_error("finding a free port failed");
    }
    close(fd);
    return ntohs(address.sin_port);
}

bool accepts(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    close(fd);
    return ok;
}

// distribution's htpasswd accepts bcrypt only; libxcrypt makes one.
std::string bcrypt(const std::string& password) {
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    if (!crypt_gensalt_rn("$2b$", 5, nullptr, 0, salt, sizeof salt)) {
        throw std::runtime_error("crypt_gensalt_rn failed");
    }
    crypt_data data{};
    const char* hash = crypt_r(password.c_str(), salt, &data);
    if (!hash || hash[0] == '*') {
        throw std::runtime_error("bcrypt failed");
    }
    return hash;
}

}  // namespace

RegistryFixture::RegistryFixture(Options options) : options_(std::move(options)), port_(free_port()) {
    std::string config = "version: 0.1\n"
                         "log:\n  level: warn\n  accesslog:\n    disabled: true\n"
                         "storage:\n  filesystem:\n    rootdirectory: " + (dir_ / "storage").string() + "\n"
                         "  delete:\n    enabled: " + (options_.deletes ? "true" : "false") + "\n"
                         "http:\n  addr: 127.0.0.1:" + std::to_string(port_) + "\n  secret: kiln-test-secret\n";
    if (options_.auth) {
        dir_.write("htpasswd", options_.username + ":" + bcrypt(options_.password) + "\n");
        config += "auth:\n  htpasswd:\n    realm: kiln-test\n    path: " + (dir_ / "htpasswd").string() + "\n";
    }
    dir_.write("config.yml", config);
    start();
}

RegistryFixture::~RegistryFixture() { stop(); }

std::string RegistryFixture::url() const { return "http://" + host(); }
std::string RegistryFixture::host() const { return "127.0.0.1:" + std::to_string(port_); }

bool RegistryFixture::available() { return std::system("command -v docker-registry >/dev/null 2>&1") == 0; }

void RegistryFixture::start() {
    std::string config = (dir_ / "config.yml").string();
    std::string log = (dir_ / "registry.log").string();
    pid_ = fork();
    if (pid_ < 0) {
        throw std::runtime_error("fork failed");
    }
    if (pid_ == 0) {
        int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        execlp("docker-registry", "docker-registry", "serve", config.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (!accepts(port_)) {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            std::ifstream in(log);
            std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            throw std::runtime_error("docker-registry exited at start: " + text);
        }
        if (std::chrono::steady_clock::now() > deadline) {
            throw std::runtime_error("docker-registry did not listen on " + host() + " within 15 s");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

void RegistryFixture::stop() {
    if (pid_ <= 0) {
        return;
    }
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
}

}  // namespace kiln::test
