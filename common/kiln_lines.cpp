#include "common/kiln_lines.h"

namespace kiln {

std::string kiln_line(std::string_view text) {
    std::string line(kLinePrefix);
    line += text;
    return line;
}

}  // namespace kiln
