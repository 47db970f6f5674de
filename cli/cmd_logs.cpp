#include <array>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cli/build_select.h"
#include "cli/command.h"
#include "common/error.h"
#include "common/kiln_lines.h"
#include "common/terminal_text.h"
#include "queue/log_follow.h"

namespace kiln::cli {

Handler define_logs(CLI::App& command) {
    auto repo = std::make_shared<std::string>();
    auto which = std::make_shared<std::string>("last");
    auto follow = std::make_shared<bool>(false);
    command.add_option("REPO", *repo, "Repository name")->required();
    command.add_option("N", *which, "Build number, or 'last' (default)");
    command.add_flag("-f,--follow", *follow, "Keep printing the log until the build ends");
    command.footer("With -f, the exit code is the build's: 0 for success (or skipped: nothing to build), 3 for any\n"
                   "other end; 2 when kiln can no longer record its end (the state dir's disk is full, or its\n"
                   "runner died), said on stderr. Control characters a build printed (escape sequences) are\n"
                   "shown as ^[ and the like, so a build cannot drive your terminal; the log file, which\n"
                   "'kiln show REPO N' names, keeps every byte.");
    return [repo, which, follow](Context& context) {
        const queue::StateLayout layout(context.config().state_dir);
        const queue::BuildRecord record = select_build(layout, *repo, *which);
        if (*follow) {
            const queue::FollowResult result =
                queue::follow_build(layout, record.id.repo, record.id.number, std::cout, [] { return true; });
            const std::string show = show_command(record.id.repo, record.id.number);
            if (const std::optional<std::string> line = queue::stalled_line(layout, result, show)) {
                // stderr: stdout stays the build's log.
                std::cerr << *line << std::endl;
            }
            return queue::follow_exit_code(result);
        }
        const std::filesystem::path log = layout.log_file(record.id.repo, record.id.number);
        std::ifstream in(log, std::ios::binary);
        if (!in) {
            throw StateError(describe("reading '" + log.string() + "'", "cannot open it"));
        }
        TerminalFilter filter;
        std::array<char, 65536> buffer{};
        while (in.read(buffer.data(), buffer.size()) || in.gcount() > 0) {
            std::cout << filter.feed(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
        }
        std::cout << filter.finish();
        std::cout.flush();
        return 0;
    };
}

}  // namespace kiln::cli
