#pragma once

#include <filesystem>

#include "doctor/doctor.h"

namespace kiln::doctor {

/// The user the box's kiln runs as: whoever runs doctor, except that for root
/// it is the owner of `git_root`, when someone else owns it. Root then takes
/// that user's identity (groups included) for good, so that every check sees
/// what that user's runner and hooks see: its files, its docker socket, its
/// repositories (git refuses another user's). Throws StateError when the
/// identity cannot be taken.
User become_kiln_user(const std::filesystem::path& git_root);

}  // namespace kiln::doctor
