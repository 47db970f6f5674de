# Compiler flags live on one interface target that every kiln target links,
# never in CMAKE_CXX_FLAGS, so a subproject or a test cannot drift from them.
add_library(kiln_options INTERFACE)
target_compile_features(kiln_options INTERFACE cxx_std_20)
target_compile_options(kiln_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
target_compile_definitions(kiln_options INTERFACE GIT_DEPRECATE_HARD)

if(KILN_SANITIZE)
  # GCC warns falsely (-Wmaybe-uninitialized) under sanitizers, and its manual
  # advises against combining them with -Werror.
  set(KILN_WERROR OFF CACHE BOOL "" FORCE)
  target_compile_options(kiln_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
  target_link_options(kiln_options INTERFACE -fsanitize=address,undefined)
endif()

if(KILN_WERROR)
  target_compile_options(kiln_options INTERFACE -Werror)
endif()

# GCC 12 at -O3 (Release) warns falsely, -Wrestrict on a memcpy inside
# libstdc++, wherever a one-character literal is copied into a std::string
# (`env["LC_ALL"] = "C"`, `"/" + path`, `insert(0, "/")`): GCC bug 105329,
# fixed in GCC 13. It broke Release with -Werror in several files, and any new
# such line would break it again unseen, as CI builds RelWithDebInfo (-O2),
# where the warning never fires. So it is off only there: GCC 12, Release.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12
   AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(kiln_options INTERFACE $<$<CONFIG:Release>:-Wno-restrict>)
endif()
