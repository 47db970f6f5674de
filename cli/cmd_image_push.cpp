// `kiln image push ARCHIVE REF`: pushes a docker save tarball, an OCI archive
// or an OCI layout directory to the registry.

#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <unistd.h>

#include "cli/command.h"
#include "cli/json_output.h"
#include "common/units.h"
#include "image-archive/blob_cache.h"
#include "image-archive/image_push.h"
#include "registry-client/reference.h"
#include "runner/registry_options.h"

namespace kiln::cli {
namespace {

using registry::BlobProgress;

const char* state_word(BlobProgress::State state) {
    switch (state) {
        case BlobProgress::State::checking:
            return "checking";
        case BlobProgress::State::uploading:
            return "uploading";
        case BlobProgress::State::compressing:
            return "gzip+upload";
        case BlobProgress::State::skipped:
            return "exists";
        case BlobProgress::State::mounted:
            return "mounted";
        case BlobProgress::State::uploaded:
            return "pushed";
    }
    return "";
}

bool is_final(BlobProgress::State state) {
    return state == BlobProgress::State::skipped || state == BlobProgress::State::mounted ||
           state == BlobProgress::State::uploaded;
}

// One line per blob on the terminal, redrawn in place: the cursor goes back
// up over the lines drawn last time. Redraws at most ten times a second,
// except when a blob changes state.
class ProgressDisplay {
public:
    void update(const BlobProgress& progress) {
        const auto [entry, added] = blobs_.try_emplace(progress.digest);
        if (added) {
            order_.push_back(progress.digest);
        }
        const bool changed = added || entry->second.state != progress.state;
        entry->second = progress;
        const auto now = std::chrono::steady_clock::now();
        if (changed || now - last_draw_ >= std::chrono::milliseconds(100)) {
            draw();
            last_draw_ = now;
        }
    }

    void draw() {
        std::string out;
        if (lines_drawn_ > 0) {
            out += "\x1b[" + std::to_string(lines_drawn_) + "A";
        }
        for (const std::string& digest : order_) {
            const BlobProgress& blob = blobs_.at(digest);
            char line[160];
            const std::string amount = is_final(blob.state) || blob.done == 0
                                           ? format_size(blob.size)
                                           : format_size(blob.done) + " / " + format_size(blob.size);
            std::snprintf(line, sizeof line, "\x1b[2K%s  %-11s %s\n", digest.substr(7, 12).c_str(),
                          state_word(blob.state), amount.c_str());
            out += line;
        }
        lines_drawn_ = order_.size();
        std::fputs(out.c_str(), stderr);
        std::fflush(stderr);
    }

private:
    std::map<std::string, BlobProgress> blobs_;
    std::vector<std::string> order_;
    std::size_t lines_drawn_ = 0;
    std::chrono::steady_clock::time_point last_draw_;
};

struct PushArguments {
    std::string archive;
    std::string reference;
    std::string select;
    std::string cache_dir;
    int jobs = 4;
    bool no_compress = false;
    bool json = false;
};

}  // namespace

Handler define_image_push(CLI::App& command) {
    auto args = std::make_shared<PushArguments>();
    command.description(
        "Push an image archive to the registry: a docker save tarball (classic or Docker 25), an OCI archive or an "
        "OCI layout directory. Blobs the registry has are skipped; uncompressed layers are gzipped.");
    command.add_option("ARCHIVE", args->archive, "The image archive (tar file) or OCI layout directory")->required();
    command.add_option("REF", args->reference, "Where to push it: [HOST:PORT/]NAME[:TAG|@DIGEST] (tag default: latest)")
        ->required();
    command.add_option("--image", args->select,
                       "Which image, when the archive holds several (a RepoTags entry or OCI ref name)");
    command.add_option("-j,--jobs", args->jobs, "Blobs uploaded at once")->check(CLI::Range(1, 16))->capture_default_str();
    command.add_option("--cache-dir", args->cache_dir,
                       "Where to remember compressed layer digests (default: $XDG_CACHE_HOME/kiln)");
    command.add_flag("--no-compress", args->no_compress, "Push uncompressed layers as they are");
    command.add_flag("--json", args->json, "Print the result as JSON");
    return [args](Context& context) {
        const config::RegistryConfig& configured = context.config().registry;
        const registry::Reference target =
            registry::parse_reference(args->reference, registry::host_of_url(configured.url));

        registry::PushOptions push;
        push.jobs = args->jobs;
        push.select = args->select;
        push.compress = !args->no_compress;
        push.cache_dir = args->cache_dir.empty() ? registry::default_cache_dir() : std::filesystem::path(args->cache_dir);
        auto display = std::make_shared<ProgressDisplay>();
        if (::isatty(STDERR_FILENO) == 1 && !args->json) {
            push.progress = [display](const BlobProgress& progress) { display->update(progress); };
        }
        const registry::PushResult result =
            registry::push_image(runner::registry_options_for(configured, target), target, args->archive, push);
        if (push.progress) {
            display->draw();
            std::fprintf(stderr, "%d pushed (%s), %d already there, %d mounted\n", result.blobs_uploaded,
                         format_size(result.bytes_uploaded).c_str(), result.blobs_skipped, result.blobs_mounted);
        }
        const std::string pushed = target.host + "/" + target.name + (target.tag.empty() ? "" : ":" + target.tag) +
                                   "@" + result.digest;
        if (args->json) {
            print_json({{"reference", pushed},
                        {"digest", result.digest},
                        {"media_type", result.media_type},
                        {"size", result.size},
                        {"blobs", {{"uploaded", result.blobs_uploaded},
                                   {"skipped", result.blobs_skipped},
                                   {"mounted", result.blobs_mounted}}},
                        {"bytes_uploaded", result.bytes_uploaded}});
        } else {
            std::printf("%s\n", pushed.c_str());
        }
        return 0;
    };
}

}  // namespace kiln::cli
