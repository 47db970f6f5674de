#include "queue/build_record.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <ctime>
#include <system_error>

#include "common/atomic_file.h"
#include "common/error.h"

namespace kiln::queue {
namespace {

constexpr std::array<std::pair<BuildStatus, std::string_view>, 9> kStatusNames{{
    {BuildStatus::queued, "queued"},
    {BuildStatus::running, "running"},
    {BuildStatus::success, "success"},
    {BuildStatus::failed, "failed"},
    {BuildStatus::timeout, "timeout"},
    {BuildStatus::cancelled, "cancelled"},
    {BuildStatus::skipped, "skipped"},
    {BuildStatus::superseded, "superseded"},
    {BuildStatus::interrupted, "interrupted"},
}};

nlohmann::json time_field(const std::optional<std::int64_t>& unix_seconds) {
    return unix_seconds ? nlohmann::json(format_iso8601(*unix_seconds)) : nlohmann::json(nullptr);
}

std::optional<std::int64_t> read_time(const nlohmann::json& json, const char* key, const std::string& source) {
    if (!json.contains(key) || json[key].is_null()) {
        return std::nullopt;
    }
    std::optional<std::int64_t> parsed = parse_iso8601(json[key].get<std::string>());
    if (!parsed) {
        throw StateError(describe("reading '" + source + "'", std::string(key) + " is not an ISO 8601 UTC time"));
    }
    return parsed;
}

std::string read_string(const nlohmann::json& json, const char* key) {
    return json.contains(key) && json[key].is_string() ? json[key].get<std::string>() : std::string();
}

// A folder name that is a build number: digits only, no leading zero.
std::optional<int> parse_number(const std::string& text) {
    int value = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end || value <= 0 || text[0] == '0') {
        return std::nullopt;
    }
    return value;
}

}  // namespace

std::string to_string(BuildStatus status) {
    for (const auto& [value, name] : kStatusNames) {
        if (value == status) {
            return std::string(name);
        }
    }
    return "unknown";
}

std::optional<BuildStatus> parse_status(std::string_view text) {
    for (const auto& [value, name] : kStatusNames) {
        if (name == text) {
            return value;
        }
    }
    return std::nullopt;
}

bool is_final(BuildStatus status) {
    return status != BuildStatus::queued && status != BuildStatus::running;
}

std::optional<std::int64_t> BuildRecord::duration_seconds(std::int64_t now) const {
    if (!started_at) {
        return std::nullopt;
    }
    return std::max<std::int64_t>(0, finished_at.value_or(now) - *started_at);
}

nlohmann::json to_json(const BuildRecord& record) {
    nlohmann::json json;
    add_identity(json, record.id);
    json["status"] = to_string(record.status);
    json["queued_at"] = time_field(record.queued_at);
    json["started_at"] = time_field(record.started_at);
    json["finished_at"] = time_field(record.finished_at);
    const std::optional<std::int64_t> duration =
        record.finished_at ? record.duration_seconds(*record.finished_at) : std::nullopt;
    json["duration_seconds"] = duration ? nlohmann::json(*duration) : nlohmann::json(nullptr);
    json["exit_code"] = record.exit_code ? nlohmann::json(*record.exit_code) : nlohmann::json(nullptr);
    json["targets"] = record.targets;
    json["image"] = record.image;
    json["digest"] = record.digest;
    json["reason"] = record.reason;
    if (!record.cancelled_by.empty()) {
        json["cancelled_by"] = record.cancelled_by;
    }
    json["order"] = record.order;
    if (!record.notify.empty()) {
        nlohmann::json deliveries = nlohmann::json::array();
        for (const NotifyDelivery& delivery : record.notify) {
            deliveries.push_back({{"url", delivery.url}, {"ok", delivery.error.empty()}, {"error", delivery.error}});
        }
        json["notify"] = deliveries;
    }
    return json;
}

BuildRecord record_from_json(const nlohmann::json& json, const std::string& source) {
    const std::string doing = "reading '" + source + "'";
    if (!json.is_object() || !json.contains("repo") || !json.contains("number") || !json.contains("status")) {
        throw StateError(describe(doing, "not a build record (repo, number or status missing)"));
    }
    try {
        BuildRecord record;
        record.id = identity_from_json(json);
        const std::string status = json["status"].get<std::string>();
        const std::optional<BuildStatus> parsed = parse_status(status);
        if (!parsed) {
            throw StateError(describe(doing, "unknown status '" + status + "'"));
        }
        record.status = *parsed;
        record.queued_at = read_time(json, "queued_at", source);
        record.started_at = read_time(json, "started_at", source);
        record.finished_at = read_time(json, "finished_at", source);
        if (json.contains("exit_code") && !json["exit_code"].is_null()) {
            record.exit_code = json["exit_code"].get<int>();
        }
        if (json.contains("targets") && json["targets"].is_array()) {
            record.targets = json["targets"].get<std::vector<std::string>>();
        }
        record.image = read_string(json, "image");
        record.digest = read_string(json, "digest");
        record.reason = read_string(json, "reason");
        record.cancelled_by = read_string(json, "cancelled_by");
        // Records written before kiln knew the order are each their own push.
        record.order = json.contains("order") && json["order"].is_number_integer() ? json["order"].get<int>()
                                                                                   : record.id.number;
        if (json.contains("notify") && json["notify"].is_array()) {
            for (const nlohmann::json& delivery : json["notify"]) {
                record.notify.push_back({read_string(delivery, "url"), read_string(delivery, "error")});
            }
        }
        return record;
    } catch (const nlohmann::json::exception& error) {
        throw StateError(describe(doing, error.what()));
    }
}

std::optional<BuildRecord> find_record(const StateLayout& layout, const std::string& repo, int number) {
    const std::filesystem::path file = layout.record_file(repo, number);
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
        return std::nullopt;
    }
    const std::string text = read_file(file);
    nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded()) {
        throw StateError(describe("reading '" + file.string() + "'", "not valid JSON"));
    }
    return record_from_json(json, file.string());
}

BuildRecord read_record(const StateLayout& layout, const std::string& repo, int number) {
    std::optional<BuildRecord> record = find_record(layout, repo, number);
    if (!record) {
        throw StateError(describe("reading build " + repo + "#" + std::to_string(number), "no such build"));
    }
    return *record;
}

void write_record(const StateLayout& layout, const BuildRecord& record) {
    write_file_atomic(layout.record_file(record.id.repo, record.id.number), to_json(record).dump(2) + "\n");
}

std::vector<int> build_numbers(const StateLayout& layout, const std::string& repo) {
    std::vector<int> numbers;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(layout.builds_dir(repo), ec), end; !ec && it != end; it.increment(ec)) {
        if (std::optional<int> number = parse_number(it->path().filename().string()); number && it->is_directory()) {
            numbers.push_back(*number);
        }
    }
    std::sort(numbers.begin(), numbers.end());
    return numbers;
}

std::vector<std::string> build_repos(const StateLayout& layout) {
    // A folder holding numbered folders is a repo (`app`); its other folders
    // may be repos one level deeper (`team/app`).
    std::vector<std::string> repos;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(layout.builds_root(), ec), end; !ec && it != end; it.increment(ec)) {
        if (!it->is_directory()) {
            continue;
        }
        const std::string name = it->path().filename().string();
        if (!build_numbers(layout, name).empty()) {
            repos.push_back(name);
        }
        std::error_code inner_ec;
        for (std::filesystem::directory_iterator inner(it->path(), inner_ec), inner_end; !inner_ec && inner != inner_end;
             inner.increment(inner_ec)) {
            const std::string child = inner->path().filename().string();
            const std::string nested = name + "/" + child;
            if (inner->is_directory() && !parse_number(child) && !build_numbers(layout, nested).empty()) {
                repos.push_back(nested);
            }
        }
    }
    std::sort(repos.begin(), repos.end());
    return repos;
}

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string format_iso8601(std::int64_t unix_seconds) {
    const std::time_t time = static_cast<std::time_t>(unix_seconds);
    std::tm utc{};
    ::gmtime_r(&time, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buffer;
}

std::optional<std::int64_t> parse_iso8601(std::string_view text) {
    std::tm utc{};
    const std::string copy(text);
    const char* end = ::strptime(copy.c_str(), "%Y-%m-%dT%H:%M:%SZ", &utc);
    if (end == nullptr || *end != '\0') {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(::timegm(&utc));
}

}  // namespace kiln::queue
