# Every dependency is a Debian package and REQUIRED: a missing one stops the
# configure step with its name instead of failing later in a compile.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBGIT2 REQUIRED IMPORTED_TARGET libgit2>=1.5)
# Debian ships cpp-httplib compiled; its .pc carries defines that change class
# layout, so every user must link PkgConfig::HTTPLIB rather than add an include path.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib>=0.11)
find_package(yaml-cpp 0.7 REQUIRED)
find_package(spdlog 1.10 REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(CLI11 2.1 REQUIRED)
find_package(LibArchive 3.6 REQUIRED)
find_package(ZLIB REQUIRED)
find_package(Threads REQUIRED)
if(KILN_BUILD_TESTS)
  find_package(Catch2 2.13 REQUIRED)
endif()
