#include "queue/state_layout.h"

#include <algorithm>

namespace kiln::queue {

std::string StateLayout::job_file_name(const std::string& repo, int number) {
    std::string name = repo;
    std::replace(name.begin(), name.end(), '/', '~');
    return name + "@" + std::to_string(number) + ".json";
}

}  // namespace kiln::queue
