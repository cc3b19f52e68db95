#include "bot/yaml_source.h"

#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

namespace wache::bot {

namespace {

// The character at a 0-based line and column (columns count characters, as libyaml's do).
std::string_view CharAt(std::string_view text, YamlMark m) {
  size_t i = 0;
  for (int line = 0; line < m.line && i < text.size(); ++i) {
    if (text[i] == '\n') ++line;
  }
  for (int col = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (col++ == m.column) break;
  }
  return i < text.size() ? text.substr(i, 1) : std::string_view();
}

// What staff most often did when libyaml says this, and the fix (flows/README.md has the
// same table). libyaml's own words come first, so the message can be looked up.
std::string SyntaxHint(const std::string& problem, std::string_view at) {
  auto has = [&](std::string_view s) { return problem.find(s) != std::string::npos; };
  if (has("cannot start any token") && at == "\t") return "a tab: indent with spaces only";
  if (has("cannot start any token")) {
    return "a text that starts with a character like @, ` or % needs quotes around it";
  }
  if (has("mapping values are not allowed")) {
    return "a text with ':' in it needs quotes, like \"Frage: sonstiges\"; or the line is "
           "indented too far";
  }
  if (has("could not find expected ':'")) {
    return "a key needs ':' after it, like 'choices:'";
  }
  if (has("quoted scalar")) return "a quote that is opened but never closed";
  if (has("expected ',' or ']'")) return "a list opened with '[' but not closed with ']'";
  if (has("expected ',' or '}'")) return "a '{' that is not closed with '}'";
  if (has("did not find expected key") || has("did not find expected '-'")) {
    return "often a quote left open on the line above; otherwise this line is indented "
           "differently from the lines above it: keys of one map, and the '-' of one list, start "
           "in the same column";
  }
  return "check indentation, a missing ':' or an unclosed quote or bracket";
}

}  // namespace

std::optional<YamlDocument> LoadYamlString(const std::string& text, const std::string& name,
                                           Diagnostics& diags) {
  YamlParse parsed = YamlParse::Of(text);
  if (parsed.document) return std::move(parsed.document);
  const YamlError& e = parsed.error;
  std::string message;
  switch (e.kind) {
    case YamlError::Kind::kNotUtf8:
      message = "not UTF-8 text here (" + e.message + "); save the file as UTF-8";
      break;
    case YamlError::Kind::kUndefinedAlias:
      message = "YAML syntax: '*" + e.message + "' without quotes means a reference to '&" +
                e.message + "', and there is none; a text that starts with '*' needs quotes: \"*" +
                e.message + "\"";
      break;
    case YamlError::Kind::kSyntax:
      message =
          "YAML syntax: " + e.message + " (" + SyntaxHint(e.message, CharAt(text, e.mark)) + ")";
      break;
  }
  diags.Error({name, e.mark.line + 1, e.mark.column + 1}, message);
  return std::nullopt;
}

std::optional<YamlDocument> LoadYamlFile(const std::string& path, Diagnostics& diags) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags.Error({path, 0, 0}, "cannot read file");
    return std::nullopt;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return LoadYamlString(buffer.str(), path, diags);
}

SourceLocation YamlReader::At(const YamlNode& node) const {
  if (!node) return {file_, 0, 0};  // a missing key: no position of its own
  const YamlMark m = node.Mark();
  if (m.is_null()) return {file_, 0, 0};
  return {file_, m.line + 1, m.column + 1};
}

std::optional<std::string> YamlReader::String(const YamlNode& node, const std::string& what) {
  if (!node || !node.IsScalar()) {
    diags_.Error(At(node), "expected " + what + " (a single value)");
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<int> YamlReader::Int(const YamlNode& node, const std::string& what) {
  if (node && node.IsScalar()) {
    const std::string& s = node.Scalar();
    int value = 0;
    const char* begin = s.data() + (s.size() > 1 && s[0] == '+' ? 1 : 0);
    auto [end, ec] = std::from_chars(begin, s.data() + s.size(), value);
    if (ec == std::errc() && end == s.data() + s.size()) return value;
  }
  diags_.Error(At(node), "expected " + what + " (a whole number)");
  return std::nullopt;
}

std::optional<bool> YamlReader::Bool(const YamlNode& node, const std::string& what) {
  if (node && node.IsScalar()) {
    // YAML's words for true and false, in the three spellings YAML allows.
    static const std::set<std::string, std::less<>> kTrue = {
        "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y"};
    static const std::set<std::string, std::less<>> kFalse = {
        "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N"};
    if (kTrue.count(node.Scalar())) return true;
    if (kFalse.count(node.Scalar())) return false;
  }
  diags_.Error(At(node), "expected " + what + " (true or false)");
  return std::nullopt;
}

std::vector<std::pair<std::string, SourceLocation>> YamlReader::StringList(
    const YamlNode& node, const std::string& what) {
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

std::string YamlReader::Key(const YamlNode& key) {
  return key && key.IsScalar() ? key.Scalar() : std::string();
}

void YamlReader::CheckKeys(const YamlNode& map, const std::vector<std::string>& known,
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
  } catch (const std::exception& e) {
    diags.Error({file, 0, 0}, std::string("cannot read this file: ") + e.what());
  }
}

}  // namespace wache::bot
