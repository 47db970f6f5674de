#include "deploy/hook_listener.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <list>
#include <memory>
#include <vector>

#include <fcntl.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "common/error.h"
#include "common/text.h"

namespace kiln::registry::detail {
namespace {

using Clock = std::chrono::steady_clock;

struct Connection {
    enum class Phase { head, body, reply, drain, done };
    UniqueFd fd;
    std::string remote;
    Clock::time_point deadline;
    Phase phase = Phase::head;
    std::string input;
    std::uint64_t body_left = 0;
    std::string reply;
    std::size_t sent = 0;
};

std::string percent_decode(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
            out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += text[i] == '+' ? ' ' : text[i];
        }
    }
    return out;
}

std::string query_value(const std::string& query, const std::string& key) {
    for (const std::string& pair : split(query, '&')) {
        if (pair.rfind(key + "=", 0) == 0) {
            return percent_decode(pair.substr(key.size() + 1));
        }
    }
    return "";
}

void answer(Connection& connection, int status, const std::string& reason, const std::string& text) {
    connection.reply = "HTTP/1.1 " + std::to_string(status) + " " + reason +
                       "\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(text.size()) +
                       "\r\nConnection: close\r\n\r\n" + text;
    connection.sent = 0;
    connection.phase = Connection::Phase::reply;
}

}  // namespace

HookListener::HookListener(const std::string& host, int port, Judge judge, Accepted accepted, HookLimits limits)
    : judge_(std::move(judge)), accepted_(std::move(accepted)), limits_(limits) {
    const std::string doing = "listening on " + host + ":" + std::to_string(port);
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    addrinfo* found = nullptr;
    const std::string service = std::to_string(port);
    if (int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
        throw Error(describe(doing, gai_strerror(rc)));
    }
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, &freeaddrinfo);
    for (addrinfo* address = addresses.get(); address && !listen_fd_; address = address->ai_next) {
        UniqueFd fd(socket(address->ai_family, address->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
        int on = 1;
        if (fd && setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) == 0 &&
            bind(fd.get(), address->ai_addr, address->ai_addrlen) == 0 && listen(fd.get(), 64) == 0) {
            listen_fd_ = std::move(fd);
        }
    }
    if (!listen_fd_) {
        throw Error(describe(doing, "cannot bind (address in use or not local?)"));
    }
    sockaddr_storage bound{};
    socklen_t length = sizeof bound;
    check_errno(getsockname(listen_fd_.get(), reinterpret_cast<sockaddr*>(&bound), &length), doing);
    port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                              : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    int pipe_fds[2];
    check_errno(pipe2(pipe_fds, O_CLOEXEC), doing);
    wake_read_ = UniqueFd(pipe_fds[0]);
    wake_write_ = UniqueFd(pipe_fds[1]);
    thread_ = std::thread([this] { serve(); });
}

HookListener::~HookListener() {
    char byte = 0;
    // The loop wakes on any byte or on the pipe closing; either way it ends.
    if (write(wake_write_.get(), &byte, 1) != 1) {
        wake_write_ = UniqueFd();
    }
    thread_.join();
}

void HookListener::serve() {
    std::list<Connection> connections;
    char buffer[4096];
    while (true) {
        std::vector<pollfd> fds{{wake_read_.get(), POLLIN, 0}, {listen_fd_.get(), POLLIN, 0}};
        const Clock::time_point now = Clock::now();
        Clock::time_point next = Clock::time_point::max();
        for (const Connection& connection : connections) {
            const short events = connection.phase == Connection::Phase::reply ? POLLOUT : POLLIN;
            fds.push_back({connection.fd.get(), events, 0});
            next = std::min(next, connection.deadline);
        }
        int timeout = -1;
        if (next != Clock::time_point::max()) {
            timeout = static_cast<int>(
                std::max<std::int64_t>(0, std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count() + 1));
        }
        if (poll(fds.data(), fds.size(), timeout) < 0 && errno != EINTR) {
            spdlog::error("watch listener: poll: {}", std::strerror(errno));
            return;
        }
        if (fds[0].revents != 0) {
            return;
        }
        std::size_t index = 2;
        for (Connection& connection : connections) {
            const short ready = fds[index++].revents;
            if (ready == 0) {
                continue;
            }
            switch (connection.phase) {
            case Connection::Phase::head: {
                ssize_t got = recv(connection.fd.get(), buffer, sizeof buffer, 0);
                if (got <= 0) {
                    connection.phase = Connection::Phase::done;
                    break;
                }
                connection.input.append(buffer, static_cast<std::size_t>(got));
                std::size_t end = connection.input.find("\r\n\r\n");
                if (end == std::string::npos) {
                    if (connection.input.size() > limits_.max_header_bytes) {
                        answer(connection, 431, "Request Header Fields Too Large", "headers too large\n");
                    }
                    break;
                }
                if (end > limits_.max_header_bytes) {
                    answer(connection, 431, "Request Header Fields Too Large", "headers too large\n");
                    break;
                }
                // Judged on the headers alone: nothing of the body has been asked for yet.
                std::string head = connection.input.substr(0, end);
                const std::uint64_t buffered = connection.input.size() - end - 4;
                std::size_t line_end = head.find("\r\n");
                std::string request_line = head.substr(0, line_end);
                std::size_t space = request_line.find(' ');
                std::size_t second = request_line.find(' ', space == std::string::npos ? space : space + 1);
                std::string method = request_line.substr(0, space);
                std::string target = space == std::string::npos ? "" : request_line.substr(space + 1, second - space - 1);
                std::string path = target.substr(0, target.find('?'));
                std::string query = target.find('?') == std::string::npos ? "" : target.substr(target.find('?') + 1);
                std::string token = query_value(query, "token");
                std::string content_length;
                bool chunked = false;
                for (std::size_t start = line_end; start != std::string::npos && start < head.size();) {
                    std::size_t stop = head.find("\r\n", start + 2);
                    std::string line = head.substr(start + 2, stop == std::string::npos ? std::string::npos : stop - start - 2);
                    start = stop;
                    std::size_t colon = line.find(':');
                    if (colon == std::string::npos) {
                        continue;
                    }
                    std::string key = lowercase(trim(line.substr(0, colon)));
                    std::string value(trim(line.substr(colon + 1)));
                    if (key == "authorization" && value.rfind("Bearer ", 0) == 0) {
                        token = value.substr(7);
                    } else if (key == "content-length") {
                        content_length = value;
                    } else if (key == "transfer-encoding") {
                        chunked = true;
                    }
                }
                if (path != "/hook") {
                    answer(connection, 404, "Not Found", "not found: kiln watch listens on /hook\n");
                } else if (method != "POST") {
                    answer(connection, 405, "Method Not Allowed", "POST /hook\n");
                } else if (!judge_(token, connection.remote)) {
                    answer(connection, 403, "Forbidden", "forbidden: wrong or missing token\n");
                } else if (chunked) {
                    answer(connection, 411, "Length Required", "send a Content-Length\n");
                } else if (!content_length.empty() &&
                           (content_length.size() > 18 ||
                            content_length.find_first_not_of("0123456789") != std::string::npos ||
                            std::stoull(content_length) > limits_.max_body_bytes)) {
                    spdlog::warn("watch hook=refused from={} reason=\"body over {} bytes\"", connection.remote,
                                 limits_.max_body_bytes);
                    answer(connection, 413, "Payload Too Large", "body too large\n");
                } else {
                    const std::uint64_t length = content_length.empty() ? 0 : std::stoull(content_length);
                    connection.body_left = length - std::min(length, buffered);
                    connection.phase = Connection::Phase::body;
                }
                connection.input.clear();
                if (connection.phase == Connection::Phase::body && connection.body_left == 0) {
                    accepted_(connection.remote);
                    answer(connection, 202, "Accepted", "check queued\n");
                }
                break;
            }
            case Connection::Phase::body: {
                ssize_t got = recv(connection.fd.get(), buffer, sizeof buffer, 0);
                if (got <= 0) {
                    connection.phase = Connection::Phase::done;
                    break;
                }
                connection.body_left -= std::min<std::uint64_t>(connection.body_left, static_cast<std::uint64_t>(got));
                if (connection.body_left == 0) {
                    accepted_(connection.remote);
                    answer(connection, 202, "Accepted", "check queued\n");
                }
                break;
            }
            case Connection::Phase::reply: {
                ssize_t put = send(connection.fd.get(), connection.reply.data() + connection.sent,
                                   connection.reply.size() - connection.sent, MSG_NOSIGNAL);
                if (put <= 0) {
                    connection.phase = Connection::Phase::done;
                    break;
                }
                connection.sent += static_cast<std::size_t>(put);
                if (connection.sent == connection.reply.size()) {
                    // Closing with unread bytes would reset the connection and
                    // could lose the answer: read to the client's end, within the deadline.
                    shutdown(connection.fd.get(), SHUT_WR);
                    connection.phase = Connection::Phase::drain;
                }
                break;
            }
            case Connection::Phase::drain:
                if (recv(connection.fd.get(), buffer, sizeof buffer, 0) <= 0) {
                    connection.phase = Connection::Phase::done;
                }
                break;
            case Connection::Phase::done:
                break;
            }
        }
        const Clock::time_point after = Clock::now();
        connections.remove_if([&after](const Connection& connection) {
            if (connection.phase != Connection::Phase::done && after >= connection.deadline &&
                connection.phase != Connection::Phase::drain) {
                spdlog::warn("watch hook=dropped from={} reason=\"no complete request in time\"", connection.remote);
            }
            return connection.phase == Connection::Phase::done || after >= connection.deadline;
        });
        if (fds[1].revents != 0) {
            sockaddr_storage peer{};
            socklen_t length = sizeof peer;
            UniqueFd fd(accept4(listen_fd_.get(), reinterpret_cast<sockaddr*>(&peer), &length, SOCK_NONBLOCK | SOCK_CLOEXEC));
            if (fd && connections.size() < limits_.max_connections) {
                char host[NI_MAXHOST] = "";
                getnameinfo(reinterpret_cast<sockaddr*>(&peer), length, host, sizeof host, nullptr, 0, NI_NUMERICHOST);
                Connection connection;
                connection.fd = std::move(fd);
                connection.remote = host;
                connection.deadline = after + limits_.deadline;
                connections.push_back(std::move(connection));
            }
        }
    }
}

}  // namespace kiln::registry::detail
