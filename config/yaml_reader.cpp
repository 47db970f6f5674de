#include "config/yaml_reader.h"

#include <algorithm>
#include <charconv>

#include "common/text.h"
#include "common/units.h"
#include "config/suggest.h"

namespace kiln::config {
namespace {

// yaml-cpp marks are 0-based; nodes built outside the parser carry -1.
Position position_of(const YAML::Mark& mark) {
    return {mark.line < 0 ? 1 : mark.line + 1, mark.column < 0 ? 1 : mark.column + 1};
}

std::string with_path(const std::string& path, const std::string& what) {
    return path.empty() ? what : path + ": " + what;
}

}  // namespace

std::optional<YAML::Node> load_document(const std::string& text, Diagnostics& diagnostics) {
    std::vector<YAML::Node> documents;
    try {
        documents = YAML::LoadAll(text);
    } catch (const YAML::ParserException& error) {
        diagnostics.error(position_of(error.mark), "invalid YAML: " + error.msg);
        return std::nullopt;
    }
    if (documents.empty()) {
        return YAML::Node(YAML::NodeType::Null);
    }
    if (documents.size() > 1) {
        diagnostics.error(position_of(documents[1].Mark()), "a config file holds one YAML document, found a second");
        return std::nullopt;
    }
    return documents.front();
}

Field document_field(const YAML::Node& document) {
    return {"", position_of(document.Mark()), document};
}

std::string YamlReader::describe(const YAML::Node& node) {
    switch (node.Type()) {
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: {
        constexpr std::size_t kShown = 60;
        const std::string& text = node.Scalar();
        return "'" + (text.size() > kShown ? text.substr(0, kShown) + "..." : text) + "'";
    }
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: break;
    }
    return "nothing";
}

void YamlReader::error(const Field& field, const std::string& what) {
    diagnostics_.error(field.at, with_path(field.path, what));
}

void YamlReader::for_each_entry(const Field& field, const EntryReader& read) {
    if (!field.value.IsMap()) {
        error(field, "expected a mapping of keys, got " + describe(field.value));
        return;
    }
    const std::string where = field.path.empty() ? "" : " in " + field.path;
    std::map<std::string, int> seen;  // key -> line it first appeared on
    for (const auto& pair : field.value) {
        const YAML::Node& key = pair.first;
        const Position key_at = position_of(key.Mark());
        if (!key.IsScalar()) {
            diagnostics_.error(key_at, "expected a key name" + where + ", got " + describe(key));
            continue;
        }
        const std::string& name = key.Scalar();
        const auto [first, inserted] = seen.emplace(name, key_at.line);
        if (!inserted) {
            diagnostics_.error(key_at, "duplicate key '" + name + "'" + where + " (first set on line " +
                                           std::to_string(first->second) + ")");
            continue;
        }
        const YAML::Node value = pair.second;
        const std::string path = field.path.empty() ? name : field.path + "." + name;
        read(name, key_at, {path, value.IsNull() ? key_at : position_of(value.Mark()), value});
    }
}

void YamlReader::for_each_key(const Field& field, const KeyHandlers& handlers,
                              const std::map<std::string, std::string>& hints) {
    if (field.path.empty() && field.value.IsNull()) {
        return;  // an empty file: every key keeps its default
    }
    std::vector<std::string> known;
    for (const auto& [name, handler] : handlers) {
        known.push_back(name);
    }
    const std::string where = field.path.empty() ? "" : " in " + field.path;
    for_each_entry(field, [&](const std::string& name, Position key_at, const Field& value) {
        const auto handler = std::find_if(handlers.begin(), handlers.end(),
                                          [&name](const auto& entry) { return entry.first == name; });
        if (handler != handlers.end()) {
            handler->second(value);
            return;
        }
        std::string what = "unknown key '" + name + "'" + where;
        if (const auto hint = hints.find(name); hint != hints.end()) {
            what += " (" + hint->second + ")";
        } else if (const std::optional<std::string> suggestion = closest_match(name, known)) {
            what += " (did you mean '" + *suggestion + "'?)";
        } else {
            what += " (known keys: " + join(known) + ")";
        }
        diagnostics_.error(key_at, what);
    });
}

void YamlReader::for_each_element(const Field& field, const std::function<void(const Field&)>& read) {
    if (!field.value.IsSequence()) {
        error(field, "expected a list, got " + describe(field.value));
        return;
    }
    std::size_t index = 0;
    for (const YAML::Node& element : field.value) {
        const Position at = element.IsNull() ? field.at : position_of(element.Mark());
        read({field.path + "[" + std::to_string(index) + "]", at, element});
        ++index;
    }
}

std::optional<std::string> YamlReader::string(const Field& field) {
    if (!field.value.IsScalar()) {
        error(field, "expected a string, got " + describe(field.value));
        return std::nullopt;
    }
    return field.value.Scalar();
}

std::optional<std::string> YamlReader::checked_string(const Field& field,
                                                      std::optional<std::string> (*problem)(const std::string&)) {
    std::optional<std::string> text = string(field);
    if (!text) {
        return std::nullopt;
    }
    if (const std::optional<std::string> why = problem(*text)) {
        error(field, *why);
        return std::nullopt;
    }
    return text;
}

std::optional<int> YamlReader::integer(const Field& field, int min) {
    const std::string expected = "expected a whole number of at least " + std::to_string(min);
    if (!field.value.IsScalar()) {
        error(field, expected + ", got " + describe(field.value));
        return std::nullopt;
    }
    const std::string& text = field.value.Scalar();
    int value = 0;
    const auto [end, rc] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (rc != std::errc() || end != text.data() + text.size() || value < min) {
        error(field, expected + ", got " + describe(field.value));
        return std::nullopt;
    }
    return value;
}

std::optional<bool> YamlReader::boolean(const Field& field) {
    // Plain only: a quoted "true" is a string someone meant as one.
    if (field.value.IsScalar() && field.value.Tag() == "?") {
        if (field.value.Scalar() == "true") {
            return true;
        }
        if (field.value.Scalar() == "false") {
            return false;
        }
    }
    error(field, "expected true or false, got " + describe(field.value));
    return std::nullopt;
}

std::optional<std::chrono::seconds> YamlReader::duration(const Field& field) {
    std::optional<std::chrono::seconds> value;
    if (field.value.IsScalar()) {
        value = parse_duration(field.value.Scalar());
    }
    if (!value) {
        error(field, "expected a duration like 90s, 20m or 1h30m, got " + describe(field.value));
    }
    return value;
}

std::optional<std::uint64_t> YamlReader::size(const Field& field) {
    std::optional<std::uint64_t> value;
    if (field.value.IsScalar()) {
        value = parse_size(field.value.Scalar());
    }
    if (!value) {
        error(field, "expected a size like 50MB, 512KiB or 2GB, got " + describe(field.value));
    }
    return value;
}

std::optional<std::vector<std::string>> YamlReader::string_list(
    const Field& field, std::optional<std::string> (*problem)(const std::string&)) {
    if (field.value.IsScalar()) {
        std::optional<std::string> single = checked_string(field, problem);
        return single ? std::optional<std::vector<std::string>>({*single}) : std::nullopt;
    }
    if (!field.value.IsSequence()) {
        error(field, "expected a string or a list of strings, got " + describe(field.value));
        return std::nullopt;
    }
    std::vector<std::string> items;
    bool ok = true;
    for_each_element(field, [&](const Field& element) {
        const std::optional<std::string> item = checked_string(element, problem);
        if (item) {
            items.push_back(*item);
        } else {
            ok = false;
        }
    });
    return ok ? std::optional<std::vector<std::string>>(std::move(items)) : std::nullopt;
}

}  // namespace kiln::config
