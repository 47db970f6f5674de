#include "common/kiln_lines.h"

namespace kiln {

std::string kiln_line(std::string_view text) {
    std::string line(kLinePrefix);
    line += text;
    return line;
}

std::string follow_command(const std::string& repo, int number) {
    return "kiln logs " + repo + " " + std::to_string(number) + " -f";
}

std::string show_command(const std::string& repo, int number) {
    return "kiln show " + repo + " " + std::to_string(number);
}

std::string ssh_command(const std::string& user, const std::string& host, const std::string& command) {
    std::string line = "ssh ";
    line += user.empty() ? kUserPlaceholder : user;
    line += '@';
    line += host.empty() ? kHostPlaceholder : host;
    return line + " " + command;
}

std::string queued_line(const std::string& label, const std::string& follow) {
    return kiln_line("build " + label + " queued (follow: " + follow + ")");
}

}  // namespace kiln
