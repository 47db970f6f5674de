#pragma once

#include <array>

namespace kiln {

/// The files GNU make reads when given no `-f`, in the order it tries them:
/// a commit "has a Makefile" when one of them is at its root.
inline constexpr std::array<const char*, 3> kMakefileNames{"GNUmakefile", "makefile", "Makefile"};

}  // namespace kiln
