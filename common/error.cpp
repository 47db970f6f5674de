#include "common/error.h"

namespace kiln {

std::string describe(const std::string& doing, const std::string& why) {
    return doing + ": " + why;
}

}  // namespace kiln
