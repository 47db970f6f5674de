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

}  // namespace kiln
