#include "cli/json_output.h"

#include <iostream>

namespace kiln::cli {

void print_json(const nlohmann::json& value) {
    std::cout << value.dump(2) << '\n';
}

}  // namespace kiln::cli
