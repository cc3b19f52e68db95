#include "bot/yaml_source.h"

#include <fstream>
#include <sstream>

namespace wache::bot {

std::optional<YAML::Node> LoadYamlString(const std::string& text, const std::string& name,
                                         Diagnostics& diags) {
  try {
    return YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    // yaml-cpp marks are 0-based.
    diags.Error({name, e.mark.line + 1, e.mark.column + 1},
                "YAML syntax: " + e.msg +
                    " (check indentation, a missing ':' or an unclosed quote or bracket)");
  } catch (const YAML::Exception& e) {
    diags.Error({name, e.mark.line + 1, e.mark.column + 1}, "YAML: " + e.msg);
  }
  return std::nullopt;
}

std::optional<YAML::Node> LoadYamlFile(const std::string& path, Diagnostics& diags) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags.Error({path, 0, 0}, "cannot read file");
    return std::nullopt;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return LoadYamlString(buffer.str(), path, diags);
}

SourceLocation YamlReader::At(const YAML::Node& node) const {
  if (!node) return {file_, 0, 0};  // a missing key: no position of its own
  const YAML::Mark m = node.Mark();
  if (m.is_null()) return {file_, 0, 0};
  return {file_, m.line + 1, m.column + 1};
}

std::optional<std::string> YamlReader::String(const YAML::Node& node, const std::string& what) {
  if (!node || !node.IsScalar()) {
    diags_.Error(At(node), "expected " + what + " (a single value)");
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<int> YamlReader::Int(const YAML::Node& node, const std::string& what) {
  if (node && node.IsScalar()) {
    try {
      return node.as<int>();
    } catch (const YAML::Exception&) {
    }
  }
  diags_.Error(At(node), "expected " + what + " (a whole number)");
  return std::nullopt;
}

std::optional<bool> YamlReader::Bool(const YAML::Node& node, const std::string& what) {
  if (node && node.IsScalar()) {
    try {
      return node.as<bool>();
    } catch (const YAML::Exception&) {
    }
  }
  diags_.Error(At(node), "expected " + what + " (true or false)");
  return std::nullopt;
}

std::vector<std::pair<std::string, SourceLocation>> YamlReader::StringList(
    const YAML::Node& node, const std::string& what) {
  std::vector<std::pair<std::string, SourceLocation>> out;
  if (!node) return out;
  if (node.IsScalar()) {
    out.emplace_back(node.Scalar(), At(node));
  } else if (node.IsSequence()) {
    for (const auto& item : node) {
      if (item.IsScalar()) {
        out.emplace_back(item.Scalar(), At(item));
      } else {
        diags_.Error(At(item), "expected " + what + " (text in quotes), found a list or map");
      }
    }
  } else if (!node.IsNull()) {
    diags_.Error(At(node), "expected a list of " + what + ", like [one, \"two words\"]");
  }
  return out;
}

std::string YamlReader::Key(const YAML::Node& key) {
  return key && key.IsScalar() ? key.Scalar() : std::string();
}

void YamlReader::CheckKeys(const YAML::Node& map, const std::vector<std::string>& known,
                           const std::string& context) {
  if (!map || !map.IsMap()) return;
  for (const auto& kv : map) {
    std::string key = Key(kv.first);
    bool found = false;
    for (const auto& k : known) found = found || k == key;
    if (!found) {
      std::string allowed;
      for (const auto& k : known) allowed += (allowed.empty() ? "" : ", ") + k;
      std::string hint = DidYouMean(key, known);
      diags_.Error(At(kv.first), "unknown key '" + key + "' in " + context +
                                     (hint.empty() ? " (allowed: " + allowed + ")" : hint));
    }
  }
}

}  // namespace wache::bot

namespace wache::bot {

void GuardYaml(const std::string& file, Diagnostics& diags, const std::function<void()>& read) {
  try {
    read();
  } catch (const YAML::Exception& e) {
    diags.Error(
        {file, e.mark.line + 1, e.mark.column + 1},
        "unexpected structure here (" + e.msg + "); compare with the examples in the README");
  } catch (const std::exception& e) {
    diags.Error({file, 0, 0}, std::string("cannot read this file: ") + e.what());
  }
}

}  // namespace wache::bot
