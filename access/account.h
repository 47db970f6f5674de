#pragma once

// The user kiln runs as, from the password database: its name and home, which
// neither $HOME nor $USER may decide (sshd and sudo set those, and a client
// may send its own through AcceptEnv).

#include <filesystem>
#include <string>

namespace kiln::access {

struct Account {
    std::string name;
    std::filesystem::path home;
};

/// The password database's entry of the effective uid. Throws StateError when
/// it has none.
Account current_account();

/// `<home>/.ssh/authorized_keys` of `account`.
std::filesystem::path authorized_keys_path(const Account& account);

}  // namespace kiln::access
