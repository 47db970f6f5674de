#include <iostream>

#include "cli/command.h"

namespace kiln::cli {

// KILN_VERSION (`git describe`) is defined for this file alone, so a new
// commit recompiles one file, not the whole CLI.
std::string version() {
    return KILN_VERSION;
}

Handler define_version(CLI::App&) {
    return [](Context&) {
        std::cout << "kiln " << version() << '\n';
        return 0;
    };
}

}  // namespace kiln::cli
