#include <catch2/catch.hpp>

#include <set>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include "common/atomic_file.h"
#include "common/error.h"
#include "queue/queue.h"
#include "tests/support/small_tmpfs.h"
#include "tests/unit/runner/runner_fixture.h"

using kiln::queue::BuildStatus;

TEST_CASE("enqueue writes the record, an empty log and the job before it returns", "[enqueue]") {
    const kiln::test::StateFixture state;
    const kiln::queue::BuildRecord record = state.queue("app", "release/1.2");
    CHECK(record.id.number == 1);
    CHECK(record.status == BuildStatus::queued);
    CHECK(record.id.branch() == "release/1.2");
    CHECK(record.queued_at.has_value());
    CHECK(std::filesystem::is_regular_file(state.layout.log_file("app", 1)));
    CHECK(std::filesystem::file_size(state.layout.log_file("app", 1)) == 0);
    CHECK(kiln::queue::read_record(state.layout, "app", 1).status == BuildStatus::queued);

    const std::vector<kiln::queue::Job> jobs = kiln::queue::list_queued(state.layout);
    REQUIRE(jobs.size() == 1);
    CHECK(jobs[0].file_name() == "app@1.json");
    CHECK(jobs[0].repo_path == state.dir / "app.git");
    CHECK(jobs[0].id.branch() == "release/1.2");
    CHECK(jobs[0].id.sha == std::string(40, 'a'));
    CHECK(std::distance(std::filesystem::directory_iterator(state.layout.queue_dir()), {}) == 1);
}

TEST_CASE("numbers count per repo and continue after the newest build", "[enqueue]") {
    const kiln::test::StateFixture state;
    CHECK(state.queue("app").id.number == 1);
    CHECK(state.queue("app").id.number == 2);
    CHECK(state.queue("team/app").id.number == 1);
    std::filesystem::create_directories(state.layout.build_dir("app", 41));
    CHECK(state.queue("app").id.number == 42);
    CHECK(kiln::queue::list_queued(state.layout).size() == 4);
}

TEST_CASE("processes enqueueing at once never share a number", "[enqueue][slow]") {
    const kiln::test::StateFixture state;
    constexpr int kProcesses = 8;
    constexpr int kEach = 10;
    std::vector<pid_t> children;
    for (int i = 0; i < kProcesses; ++i) {
        const pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            int code = 0;
            try {
                for (int j = 0; j < kEach; ++j) {
                    state.queue("app");
                }
            } catch (...) {
                code = 1;
            }
            ::_exit(code);
        }
        children.push_back(pid);
    }
    for (pid_t pid : children) {
        int status = 0;
        REQUIRE(::waitpid(pid, &status, 0) == pid);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
    }
    const std::vector<int> numbers = kiln::queue::build_numbers(state.layout, "app");
    CHECK(numbers.size() == kProcesses * kEach);
    CHECK(numbers.front() == 1);
    CHECK(numbers.back() == kProcesses * kEach);
    std::set<int> in_queue;
    for (const kiln::queue::Job& job : kiln::queue::list_queued(state.layout)) {
        in_queue.insert(job.id.number);
    }
    CHECK(in_queue.size() == kProcesses * kEach);
}

namespace {

// Every file under `dir` whose name says it is a write-temp-then-rename temp file.
std::vector<std::string> temp_files(const std::filesystem::path& dir) {
    std::vector<std::string> found;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        if (entry.path().filename().string().find(".tmp.") != std::string::npos) {
            found.push_back(entry.path().string());
        }
    }
    return found;
}

}  // namespace

TEST_CASE("a job that cannot be written burns no number", "[enqueue]") {
    const kiln::test::StateFixture state;
    CHECK(state.queue("app").id.number == 1);
    std::filesystem::rename(state.layout.queue_dir(), state.dir / "queue.away");
    state.dir.write("state/queue", "a file where the queue folder belongs");
    REQUIRE_THROWS_AS(state.queue("app"), kiln::StateError);
    CHECK(kiln::queue::build_numbers(state.layout, "app") == std::vector<int>{1});
    CHECK(temp_files(state.layout.root()).empty());

    std::filesystem::remove(state.layout.queue_dir());
    std::filesystem::rename(state.dir / "queue.away", state.layout.queue_dir());
    CHECK(state.queue("app").id.number == 2);
}

TEST_CASE("a push on a full disk says so, burns no number and leaves no temp file", "[enqueue]") {
    if (const std::optional<std::string> reason = kiln::test::SmallTmpfs::cannot_mount()) {
        WARN("skipped: " << *reason);
        return;
    }
    const kiln::test::StateFixture state;
    const kiln::test::SmallTmpfs disk(state.layout.root(), 256 * 1024);
    CHECK(state.queue("app").id.number == 1);
    disk.fill();
    REQUIRE_THROWS_WITH(state.queue("app"), "writing '" + state.layout.record_file("app", 2).string() +
                                                "': No space left on device");
    CHECK(kiln::queue::build_numbers(state.layout, "app") == std::vector<int>{1});
    CHECK(kiln::queue::list_queued(state.layout).size() == 1);
    CHECK(temp_files(state.layout.root()).empty());

    disk.free_space();
    CHECK(state.queue("app").id.number == 2);
    CHECK(kiln::queue::read_record(state.layout, "app", 2).status == BuildStatus::queued);
}

TEST_CASE("branch_of_ref takes only branches", "[enqueue]") {
    CHECK(kiln::queue::branch_of_ref("refs/heads/main") == "main");
    CHECK(kiln::queue::branch_of_ref("refs/heads/release/1.2") == "release/1.2");
    CHECK(kiln::queue::branch_of_ref("refs/tags/v1") == "");
    CHECK(kiln::queue::branch_of_ref("") == "");
}
