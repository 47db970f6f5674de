#include <iostream>

#include "cli/command.h"

namespace kiln::cli {

Handler define_version(CLI::App&) {
    return [](Context&) {
        std::cout << "kiln " << KILN_VERSION << '\n';
        return 0;
    };
}

}  // namespace kiln::cli
