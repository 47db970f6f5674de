#pragma once

namespace kiln::cli {

/// Parses the command line, runs the chosen subcommand and returns the exit
/// code. The one place that catches kiln::Error and prints `kiln: error: ...`.
int run(int argc, char** argv);

}  // namespace kiln::cli
