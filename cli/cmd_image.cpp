// `kiln image ls|tags|inspect|tag|rm|prune` (and `push` and `gc`, defined in
// cmd_image_push.cpp and cmd_image_gc.cpp): the registry configured as `registry:`.

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "cli/command.h"
#include "cli/json_output.h"
#include "cli/release_reference.h"
#include "common/error.h"
#include "common/text.h"
#include "common/units.h"
#include "registry-client/client.h"
#include "registry-client/image_inspect.h"
#include "registry-client/image_list.h"
#include "registry-client/image_prune.h"
#include "registry-client/image_remove.h"
#include "registry-client/image_tag.h"
#include "registry-client/reference.h"
#include "runner/registry_options.h"

namespace kiln::cli {
namespace {

std::string default_host(Context& context) { return registry::host_of_url(context.config().registry.url); }

// A reference as every image command takes it: a build may be named by its
// number (`app#42`) or a short sha (`app:1a2b3c4`).
registry::Reference parse_image_reference(Context& context, const std::string& text) {
    return registry::parse_reference(expand_release_reference(context.config(), text), default_host(context));
}

registry::Client client_for(Context& context, const registry::Reference& ref) {
    return registry::Client(runner::registry_options_for(context.config().registry, ref));
}

Handler define_ls(CLI::App& command) {
    auto json = std::make_shared<bool>(false);
    command.add_flag("--json", *json, "Print JSON");
    return [json](Context& context) {
        registry::Client client(runner::registry_options(context.config().registry));
        std::vector<registry::RepositoryTags> images = registry::list_images(client);
        if (*json) {
            nlohmann::json list = nlohmann::json::array();
            for (const auto& image : images) {
                list.push_back({{"name", image.name}, {"tags", image.tags}});
            }
            print_json(list);
            return 0;
        }
        if (images.empty()) {
            std::cerr << "no images in " << client.url() << "\n";
            return 0;
        }
        std::printf("%-32s %s\n", "REPOSITORY", "TAGS");
        for (const auto& image : images) {
            std::printf("%-32s %s\n", image.name.c_str(), join(image.tags, ", ").c_str());
        }
        return 0;
    };
}

Handler define_tags(CLI::App& command) {
    auto repo = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    command.add_option("REPO", *repo, "Repository, [HOST:PORT/]NAME")->required();
    command.add_flag("--json", *json, "Print JSON");
    return [repo, json](Context& context) {
        registry::Reference ref = registry::parse_repository(*repo, default_host(context));
        registry::Client client = client_for(context, ref);
        std::vector<std::string> tags = client.tags(ref.name);
        if (*json) {
            print_json({{"repository", ref.str()}, {"tags", tags}});
            return 0;
        }
        for (const auto& tag : tags) {
            std::printf("%s\n", tag.c_str());
        }
        return 0;
    };
}

nlohmann::json to_json(const registry::ImageInfo& info) {
    nlohmann::json value{{"reference", info.reference},   {"digest", info.digest},
                         {"media_type", info.media_type}, {"manifest_size", info.manifest_size},
                         {"size", info.size}};
    if (registry::is_index(info.media_type)) {
        value["manifests"] = nlohmann::json::array();
        for (const auto& child : info.manifests) {
            value["manifests"].push_back({{"digest", child.digest},
                                          {"media_type", child.media_type},
                                          {"size", child.size},
                                          {"platform", child.platform.str()}});
        }
        return value;
    }
    value["config"] = info.config_digest;
    value["platform"] = info.platform.str();
    value["os"] = info.platform.os;
    value["architecture"] = info.platform.architecture;
    value["created"] = info.created.empty() ? nlohmann::json(nullptr) : nlohmann::json(info.created);
    value["layers"] = nlohmann::json::array();
    for (const auto& layer : info.layers) {
        value["layers"].push_back({{"digest", layer.digest}, {"media_type", layer.media_type}, {"size", layer.size}});
    }
    return value;
}

Handler define_inspect(CLI::App& command) {
    auto text = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    command.add_option("REF", *text, "Image, [HOST:PORT/]NAME[:TAG|@DIGEST|#BUILD] (tag defaults to latest; a short sha tag works)")->required();
    command.add_flag("--json", *json, "Print JSON");
    return [text, json](Context& context) {
        registry::Reference ref = parse_image_reference(context, *text);
        registry::Client client = client_for(context, ref);
        std::optional<registry::ImageInfo> info = registry::inspect_image(client, ref);
        if (!info) {
            throw RegistryError(describe("inspecting " + ref.str(), ref.str() + " does not exist"));
        }
        if (*json) {
            print_json(to_json(*info));
            return 0;
        }
        std::printf("Reference:  %s\nDigest:     %s\nMedia type: %s\nSize:       %s\n", info->reference.c_str(),
                    info->digest.c_str(), info->media_type.c_str(), format_size(info->size).c_str());
        if (registry::is_index(info->media_type)) {
            std::printf("Manifests:\n");
            for (const auto& child : info->manifests) {
                std::printf("  %s  %-16s %s\n", child.digest.c_str(), child.platform.str().c_str(),
                            format_size(child.size).c_str());
            }
            return 0;
        }
        std::printf("Platform:   %s\nCreated:    %s\nConfig:     %s\nLayers:\n",
                    info->platform.str().empty() ? "-" : info->platform.str().c_str(),
                    info->created.empty() ? "-" : info->created.c_str(), info->config_digest.c_str());
        for (const auto& layer : info->layers) {
            std::printf("  %s  %10s  %s\n", layer.digest.c_str(), format_size(layer.size).c_str(),
                        layer.media_type.c_str());
        }
        return 0;
    };
}

Handler define_tag(CLI::App& command) {
    auto source = std::make_shared<std::string>();
    auto new_tag = std::make_shared<std::string>();
    command.add_option("REF", *source, "Existing image, [HOST:PORT/]NAME[:TAG|@DIGEST|#BUILD] (a short sha tag works)")->required();
    command.add_option("NEWTAG", *new_tag, "Tag to add in the same repository")->required();
    return [source, new_tag](Context& context) {
        registry::Reference ref = parse_image_reference(context, *source);
        registry::Client client = client_for(context, ref);
        std::string digest = registry::tag_image(client, ref, *new_tag);
        std::printf("%s/%s:%s %s\n", ref.host.c_str(), ref.name.c_str(), new_tag->c_str(), digest.c_str());
        return 0;
    };
}

Handler define_rm(CLI::App& command) {
    auto text = std::make_shared<std::string>();
    auto all_tags = std::make_shared<bool>(false);
    command.add_option("REF", *text, "Image, [HOST:PORT/]NAME[:TAG|@DIGEST|#BUILD] (a short sha tag works)")->required();
    command.add_flag("--all-tags", *all_tags, "Delete the image the tag names, with all its tags");
    // The flag's name before single-tag removal existed; scripts still pass it.
    command.add_flag("--force", *all_tags, "Same as --all-tags")->group("");
    command.footer("A tag whose image other tags also name is removed alone: the image stays, under its other "
                   "tags. A tag alone on its image, or a reference by digest, deletes the image. --force is the old "
                   "name of --all-tags.");
    return [text, all_tags](Context& context) {
        registry::Reference ref = parse_image_reference(context, *text);
        registry::Client client = client_for(context, ref);
        registry::RemoveResult removed = registry::remove_image(client, ref, *all_tags);
        if (!removed.image_deleted) {
            std::printf("untagged %s/%s:%s (its image %s stays, tagged %s)\n", ref.host.c_str(), ref.name.c_str(),
                        ref.tag.c_str(), removed.digest.c_str(), join(removed.kept_tags, ", ").c_str());
            return 0;
        }
        std::printf("deleted %s/%s@%s%s\n", ref.host.c_str(), ref.name.c_str(), removed.digest.c_str(),
                    removed.tags.empty() ? "" : (" (tags: " + join(removed.tags, ", ") + ")").c_str());
        return 0;
    };
}

Handler define_prune(CLI::App& command) {
    auto repo = std::make_shared<std::string>();
    auto keep = std::make_shared<int>(-1);
    auto dry_run = std::make_shared<bool>(false);
    auto builds_only = std::make_shared<bool>(false);
    auto json = std::make_shared<bool>(false);
    command.add_option("REPO", *repo, "Repository, [HOST:PORT/]NAME")->required();
    command.add_option("--keep", *keep, "Newest distinct images to keep (>= 1)")->required();
    command.add_flag("--dry-run", *dry_run, "Print the plan, delete nothing");
    command.add_flag("--build-tags-only", *builds_only,
                     "Count and delete only tags that look like commit ids (7-64 hex digits); other tags are kept "
                     "and keep their images");
    command.add_flag("--json", *json, "Print the plan as JSON");
    command.footer("Tags are ordered by the `created` time in their image's config, newest first (equal times by "
                   "tag name). The newest N distinct images are kept with all their tags (tags naming one image "
                   "count once); an older tag whose image a kept tag also names is kept too, because the registry "
                   "deletes an image with all its tags.");
    return [=](Context& context) {
        if (*keep < 1) {
            throw UsageError(describe("pruning " + *repo, "--keep must be at least 1"));
        }
        registry::Reference ref = registry::parse_repository(*repo, default_host(context));
        registry::Client client = client_for(context, ref);
        registry::PruneOptions options;
        options.keep = *keep;
        options.dry_run = *dry_run;
        if (*builds_only) {
            options.counts = registry::looks_like_build_tag;
        }
        registry::PrunePlan plan = registry::prune_images(client, ref.name, options);
        if (*json) {
            nlohmann::json entries = nlohmann::json::array();
            for (const auto& entry : plan.entries) {
                entries.push_back({{"tag", entry.tag},
                                   {"digest", entry.digest},
                                   {"created", entry.created},
                                   {"delete", entry.action == registry::PruneEntry::Action::remove}});
            }
            print_json({{"repository", ref.str()}, {"dry_run", *dry_run}, {"tags", entries}, {"deleted", plan.deleted}});
            return 0;
        }
        for (const auto& entry : plan.entries) {
            std::printf("%-7s %-24s %s  %s\n", entry.action == registry::PruneEntry::Action::remove ? "delete" : "keep",
                        entry.tag.c_str(), entry.digest.substr(0, 19).c_str(),
                        entry.action == registry::PruneEntry::Action::remove ||
                                entry.action == registry::PruneEntry::Action::keep
                            ? (entry.created.empty() ? "-" : entry.created.c_str())
                            : registry::describe_action(entry.action).c_str());
        }
        std::cerr << (*dry_run ? "would delete " : "deleted ") << plan.deleted.size() << " image(s) from "
                  << ref.str() << "\n";
        return 0;
    };
}

}  // namespace

Handler define_image(CLI::App& command) {
    command.description("Work with images in the registry (registry.url in the config)");
    CLI::App* ls = command.add_subcommand("ls", "List repositories and their tags");
    CLI::App* tags = command.add_subcommand("tags", "List a repository's tags");
    CLI::App* inspect = command.add_subcommand("inspect", "Show an image's digest, size, layers, platform and creation");
    CLI::App* tag = command.add_subcommand("tag", "Add a tag to an image (manifest copy, no blobs move)");
    CLI::App* rm = command.add_subcommand("rm", "Remove a tag, or delete an image with all its tags");
    CLI::App* prune = command.add_subcommand("prune", "Keep a repository's newest N images, delete older ones");
    // `image push` belongs to cmd_image_push.cpp; its definer is declared in command.h.
    CLI::App* push = command.add_subcommand("push", "Push an image archive (docker save, OCI archive or layout)");
    // `image gc` belongs to cmd_image_gc.cpp.
    CLI::App* gc = command.add_subcommand("gc", "Free the disk deleted images leave, in a registry kiln manages");
    return dispatch_subcommands(command, {{ls, define_ls(*ls)},
                                         {tags, define_tags(*tags)},
                                         {inspect, define_inspect(*inspect)},
                                         {tag, define_tag(*tag)},
                                         {rm, define_rm(*rm)},
                                         {prune, define_prune(*prune)},
                                         {push, define_image_push(*push)},
                                         {gc, define_image_gc(*gc)}});
}

}  // namespace kiln::cli
