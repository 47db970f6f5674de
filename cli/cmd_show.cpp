#include <cstdio>
#include <memory>

#include "cli/build_select.h"
#include "cli/command.h"
#include "cli/json_output.h"
#include "common/terminal_text.h"
#include "common/text.h"
#include "common/units.h"
#include "queue/build_liveness.h"

namespace kiln::cli {
namespace {

// A reason can quote what a build printed: shown, like `kiln logs`, with its
// control characters made visible rather than sent to the terminal.
void print_field(const char* name, const std::string& value) {
    if (!value.empty()) {
        std::printf("%-10s %s\n", name, neutralise_controls(value).c_str());
    }
}

std::string time_text(const std::optional<std::int64_t>& time) {
    return time ? queue::format_iso8601(*time) : std::string();
}

}  // namespace

Handler define_show(CLI::App& command) {
    auto repo = std::make_shared<std::string>();
    auto which = std::make_shared<std::string>("last");
    auto json = std::make_shared<bool>(false);
    command.add_option("REPO", *repo, "Repository name")->required();
    command.add_option("N", *which, "Build number, or 'last' (default)");
    command.add_flag("--json", *json, "Print build.json's fields as JSON, plus 'log' (the log file's path)");
    return [repo, which, json](Context& context) {
        const queue::StateLayout layout(context.config().state_dir);
        const queue::BuildRecord record = queue::displayed_record(layout, select_build(layout, *repo, *which));
        const std::string log = layout.log_file(record.id.repo, record.id.number).string();
        if (*json) {
            nlohmann::json value = queue::to_json(record);
            value["log"] = log;
            print_json(value);
            return 0;
        }
        const std::optional<std::int64_t> duration = record.duration_seconds(queue::unix_now());
        print_field("build", record.id.label());
        print_field("status", queue::to_string(record.status));
        print_field("reason", record.reason);
        print_field("cancelled by", record.cancelled_by);
        print_field("ref", record.id.ref);
        print_field("branch", record.id.branch());
        print_field("sha", record.id.sha);
        print_field("trigger", record.id.trigger);
        print_field("pushed by", record.id.pushed_by);
        print_field("queued", time_text(record.queued_at));
        print_field("started", time_text(record.started_at));
        print_field("finished", time_text(record.finished_at));
        print_field("duration", duration ? format_duration(std::chrono::seconds(*duration)) : std::string());
        print_field("exit code", record.exit_code ? std::to_string(*record.exit_code) : std::string());
        print_field("targets", join(record.targets, " "));
        print_field("image", record.image);
        print_field("digest", record.digest);
        print_field("log", log);
        return 0;
    };
}

}  // namespace kiln::cli
