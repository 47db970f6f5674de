#pragma once

// The one place that walks yaml-cpp nodes: typed reads that report a problem
// to Diagnostics (with the node's file position) instead of throwing, so one
// pass finds every problem in a file. Internal to config/.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/diagnostics.h"

namespace kiln::config {

/// A value to read, with what messages call it and where it is.
struct Field {
    std::string path;  ///< `runner.timeout`, `notify[0].url`; empty for the document
    Position at;       ///< the value, or its key when the value is missing
    YAML::Node value;
};

/// Parses `text` as a single YAML document. Empty text gives a null node; a
/// syntax error or a second document is reported and gives nothing.
std::optional<YAML::Node> load_document(const std::string& text, Diagnostics& diagnostics);

/// The whole document as a Field, for reading its top-level mapping.
Field document_field(const YAML::Node& document);

class YamlReader {
public:
    explicit YamlReader(Diagnostics& diagnostics) : diagnostics_(diagnostics) {}

    using KeyHandler = std::function<void(const Field&)>;
    using KeyHandlers = std::vector<std::pair<std::string, KeyHandler>>;

    using EntryReader = std::function<void(const std::string& key, Position key_at, const Field& value)>;

    /// Calls `read` on every entry of the mapping `field`, in file order, with
    /// the value's path `field.key`. Reports a non-mapping, a non-string key and
    /// a duplicate key (and skips those entries).
    void for_each_entry(const Field& field, const EntryReader& read);

    /// Calls the handler of every key of the mapping `field`, in file order.
    /// Reports what for_each_entry does, and an unknown key, suggesting a close
    /// known one, or the entry of `hints` for it.
    void for_each_key(const Field& field, const KeyHandlers& handlers,
                      const std::map<std::string, std::string>& hints = {});

    /// Calls `read` on every element of the list `field` (path `name[i]`).
    void for_each_element(const Field& field, const std::function<void(const Field&)>& read);

    /// Reports `what` for `field` as `path: what`.
    void error(const Field& field, const std::string& what);

    std::optional<std::string> string(const Field& field);
    /// A string checked by `problem` (see value_checks.h).
    std::optional<std::string> checked_string(const Field& field,
                                              std::optional<std::string> (*problem)(const std::string&));
    std::optional<int> integer(const Field& field, int min);
    /// A plain `true` or `false`.
    std::optional<bool> boolean(const Field& field);
    std::optional<std::chrono::seconds> duration(const Field& field);
    std::optional<std::uint64_t> size(const Field& field);
    /// A single string or a list of them, each checked by `problem`.
    std::optional<std::vector<std::string>> string_list(const Field& field,
                                                        std::optional<std::string> (*problem)(const std::string&));

    /// `a mapping`, `a list`, `nothing` or the quoted scalar: for "got ..." in messages.
    static std::string describe(const YAML::Node& node);

private:
    Diagnostics& diagnostics_;
};

}  // namespace kiln::config
