// The one way in for YAML. Everything that reads staff-edited YAML (flows, templates,
// config, conversation tests) goes through here, so that every problem becomes a Diagnostic
// with file, line and column. The tree itself is bot/yaml_tree.h.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bot/diagnostics.h"
#include "bot/yaml_tree.h"

namespace wache::bot {

// Parses a YAML file. On a syntax error, reports it with its position and returns
// nullopt. An empty file gives a null document, not an error.
std::optional<YamlDocument> LoadYamlFile(const std::string& path, Diagnostics& diags);
std::optional<YamlDocument> LoadYamlString(const std::string& text, const std::string& name,
                                           Diagnostics& diags);

// Runs `read`, turning any exception that a reader did not foresee into a diagnostic for
// `file`. Every loader wraps its work in this: no staff file can crash Wache.
void GuardYaml(const std::string& file, Diagnostics& diags, const std::function<void()>& read);

// A reader bound to one file: positions and typed access that report instead of throwing.
class YamlReader {
 public:
  YamlReader(std::string file, Diagnostics& diags) : file_(std::move(file)), diags_(diags) {}

  SourceLocation At(const YamlNode& node) const;
  const std::string& file() const { return file_; }
  Diagnostics& diags() { return diags_; }

  // Scalar as string; reports "expected <what>" and returns nullopt if not a scalar.
  std::optional<std::string> String(const YamlNode& node, const std::string& what);
  std::optional<int> Int(const YamlNode& node, const std::string& what);
  std::optional<bool> Bool(const YamlNode& node, const std::string& what);
  // A scalar or a sequence of scalars.
  std::vector<std::pair<std::string, SourceLocation>> StringList(const YamlNode& node,
                                                                 const std::string& what);
  // Reports every key of `map` that is not in `known`, with a did-you-mean hint.
  void CheckKeys(const YamlNode& map, const std::vector<std::string>& known,
                 const std::string& context);
  // Key of a map entry as string (keys are always scalars in our formats).
  std::string Key(const YamlNode& key);

 private:
  std::string file_;
  Diagnostics& diags_;
};

}  // namespace wache::bot
