# Every dependency is a Debian package and REQUIRED: a missing one stops the
# configure step with its name instead of failing later in a compile.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBGIT2 REQUIRED IMPORTED_TARGET libgit2>=1.5)
# Debian ships cpp-httplib compiled; its .pc carries defines that change class
# layout, so every user must link PkgConfig::HTTPLIB rather than add an include path.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib>=0.11)
find_package(yaml-cpp 0.7 REQUIRED)
find_package(spdlog 1.10 REQUIRED)
find_package(fmt 9 REQUIRED)
find_package(Threads REQUIRED)

find_package(nlohmann_json 3.10 REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(CLI11 2.1 REQUIRED)
find_package(LibArchive 3.6 REQUIRED)
if(KILN_BUILD_TESTS)
  find_package(Catch2 2.13 REQUIRED)
endif()

# kiln-hook runs on every push, and loading shared libraries is most of a small
# program's start-up (about 1.5 ms for libstdc++, 0.8 ms more for yaml-cpp,
# spdlog and fmt, 0.5 ms for libc and libz; docs/BENCHMARKS.md). So yaml-cpp
# and zlib are linked from Debian's static archives, and spdlog and fmt are
# used header-only (both packages support it): kiln-hook is a static binary.
find_library(KILN_YAML_CPP_ARCHIVE NAMES libyaml-cpp.a REQUIRED)
add_library(kiln_yaml_cpp INTERFACE)
target_link_libraries(kiln_yaml_cpp INTERFACE ${KILN_YAML_CPP_ARCHIVE})
find_library(KILN_ZLIB_ARCHIVE NAMES libz.a REQUIRED)
add_library(kiln_zlib INTERFACE)
target_link_libraries(kiln_zlib INTERFACE ${KILN_ZLIB_ARCHIVE})
add_library(kiln_spdlog INTERFACE)
target_compile_definitions(kiln_spdlog INTERFACE SPDLOG_FMT_EXTERNAL FMT_HEADER_ONLY=1)
target_include_directories(kiln_spdlog INTERFACE
  $<TARGET_PROPERTY:spdlog::spdlog_header_only,INTERFACE_INCLUDE_DIRECTORIES>
  $<TARGET_PROPERTY:fmt::fmt-header-only,INTERFACE_INCLUDE_DIRECTORIES>)
target_link_libraries(kiln_spdlog INTERFACE Threads::Threads)
