#include "queue/leader_file.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include <signal.h>

#include <nlohmann/json.hpp>

#include "common/atomic_file.h"

namespace kiln::queue {
namespace {

struct ProcStat {
    char state = '?';
    unsigned long long start_time = 0;
};

/// `pid (comm) state ...`: comm may hold spaces and parentheses, so the fields
/// are counted from the last `)`.
std::optional<ProcStat> read_proc_stat(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!in || !std::getline(in, line)) {
        return std::nullopt;
    }
    const auto close = line.rfind(')');
    if (close == std::string::npos || close + 2 >= line.size()) {
        return std::nullopt;
    }
    ProcStat stat;
    // Fields 3 to 22 of proc(5): state ... starttime.
    if (std::sscanf(line.c_str() + close + 2,
                    "%c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu", &stat.state,
                    &stat.start_time) != 2) {
        return std::nullopt;
    }
    return stat;
}

}  // namespace

void write_leader_file(const std::filesystem::path& path, const LeaderRecord& record) {
    const nlohmann::json value{{"pid", record.pid}, {"start_time", record.start_time}, {"group", record.group},
                               {"group_start_time", record.group_start_time}};
    write_file_atomic(path, value.dump() + "\n");
}

std::optional<nlohmann::json> read_json_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) {
        return std::nullopt;
    }
    std::stringstream text;
    text << in.rdbuf();
    nlohmann::json value = nlohmann::json::parse(text.str(), nullptr, false);
    if (value.is_discarded()) {
        return std::nullopt;
    }
    return value;
}

std::optional<LeaderRecord> read_leader_file(const std::filesystem::path& path) {
    const std::optional<nlohmann::json> parsed = read_json_file(path);
    if (!parsed) {
        return std::nullopt;
    }
    const nlohmann::json& value = *parsed;
    if (!value.is_object() || !value.contains("pid") || !value.contains("start_time") || !value.contains("group") ||
        !value["pid"].is_number_integer() || !value["start_time"].is_number_unsigned() ||
        !value["group"].is_number_integer() || !value.contains("group_start_time") ||
        !value["group_start_time"].is_number_unsigned()) {
        return std::nullopt;
    }
    LeaderRecord record;
    record.pid = value["pid"].get<pid_t>();
    record.start_time = value["start_time"].get<unsigned long long>();
    record.group = value["group"].get<pid_t>();
    record.group_start_time = value["group_start_time"].get<unsigned long long>();
    if (record.pid <= 0 || record.group <= 0) {
        return std::nullopt;
    }
    return record;
}

std::optional<unsigned long long> process_start_time(pid_t pid) {
    if (const std::optional<ProcStat> stat = read_proc_stat(pid)) {
        return stat->start_time;
    }
    return std::nullopt;
}

bool leader_alive(const LeaderRecord& record) {
    const std::optional<ProcStat> stat = read_proc_stat(record.pid);
    return stat && stat->start_time == record.start_time && stat->state != 'Z' && stat->state != 'X';
}

void kill_step_group(const LeaderRecord& record) {
    const std::optional<unsigned long long> start_time = process_start_time(record.group);
    if (!start_time || *start_time == record.group_start_time) {
        ::kill(-record.group, SIGKILL);
    }
}

}  // namespace kiln::queue
