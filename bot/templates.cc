#include "bot/templates.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "bot/flow_loader.h"
#include "bot/yaml_source.h"

namespace wache::bot {
namespace {

namespace fs = std::filesystem;

bool IsVariableChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Reads a text node: a string, or a list of strings (variations).
std::vector<std::string> ReadVariations(YamlReader& r, const YamlNode& node) {
  std::vector<std::string> out;
  for (auto& [text, where] : r.StringList(node, "text")) {
    if (text.empty()) r.diags().Error(where, "empty text");
    out.push_back(text);
  }
  return out;
}

void ReadTemplates(YamlReader& r, const YamlNode& root, const std::string& language,
                   std::map<std::string, TemplateText>& out) {
  if (root.IsNull()) {
    r.diags().Warning({r.file(), 1, 1}, "empty template file");
    return;
  }
  if (!root.IsMap()) {
    r.diags().Error(r.At(root), "a template file is a map of 'key: text' lines");
    return;
  }
  std::vector<std::string> known = KnownPlatforms();
  known.push_back("text");
  known.push_back("variations");
  for (const auto& kv : root) {
    std::string key = r.Key(kv.first);
    TemplateText t;
    t.where = r.At(kv.first);
    const YamlNode& v = kv.second;
    if (v.IsScalar() || v.IsSequence()) {
      t.variations = ReadVariations(r, v);
    } else if (v.IsMap()) {
      r.CheckKeys(v, known, "template '" + key + "'");
      if (v["text"]) t.variations = ReadVariations(r, v["text"]);
      if (v["variations"]) {
        auto more = ReadVariations(r, v["variations"]);
        t.variations.insert(t.variations.end(), more.begin(), more.end());
      }
      for (const auto& p : KnownPlatforms()) {
        if (v[p]) t.platform[p] = ReadVariations(r, v[p]);
      }
    } else {
      r.diags().Error(t.where, "template '" + key + "' has no text");
    }
    if (t.variations.empty() && v.IsMap()) {
      r.diags().Error(t.where, "template '" + key +
                                   "' needs 'text:' (used where no platform "
                                   "variant is given)");
    }
    if (out.count(key)) {
      r.diags().Error(t.where, "template '" + key + "' is defined twice for language '" + language +
                                   "' (first at " + out[key].where.file + ":" +
                                   std::to_string(out[key].where.line) + ")");
      continue;
    }
    out[key] = std::move(t);
  }
}

}  // namespace

std::vector<VariableUse> VariablesIn(const std::string& text) {
  std::vector<VariableUse> out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{') {
      if (i + 1 < text.size() && text[i + 1] == '{') {
        ++i;
        continue;
      }
      size_t j = i + 1;
      while (j < text.size() && IsVariableChar(text[j])) ++j;
      if (j < text.size() && text[j] == '}' && j > i + 1) {
        out.push_back({text.substr(i + 1, j - i - 1), i});
        i = j;
      }
    }
  }
  return out;
}

std::string FillVariables(const std::string& text, const std::map<std::string, std::string>& vars) {
  std::string out;
  out.reserve(text.size() + 32);
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      out.push_back(c);
      ++i;
      continue;
    }
    if (c == '{') {
      size_t j = i + 1;
      while (j < text.size() && IsVariableChar(text[j])) ++j;
      if (j < text.size() && text[j] == '}' && j > i + 1) {
        auto it = vars.find(text.substr(i + 1, j - i - 1));
        if (it != vars.end()) {
          out += it->second;
          i = j;
          continue;
        }
      }
    }
    out.push_back(c);
  }
  return out;
}

void TemplateSet::LoadString(const std::string& yaml, const std::string& name,
                             const std::string& language, Diagnostics& diags) {
  auto root = LoadYamlString(yaml, name, diags);
  if (!root) return;
  YamlReader r(name, diags);
  GuardYaml(name, diags, [&] { ReadTemplates(r, *root, language, by_language_[language]); });
}

void TemplateSet::LoadFile(const std::string& path, const std::string& language,
                           Diagnostics& diags) {
  LoadFileInto(path, language, by_language_[language], diags);
}

void TemplateSet::LoadFileInto(const std::string& path, const std::string& language,
                               std::map<std::string, TemplateText>& out, Diagnostics& diags) {
  auto root = LoadYamlFile(path, diags);
  if (!root) return;
  YamlReader r(path, diags);
  GuardYaml(path, diags, [&] { ReadTemplates(r, *root, language, out); });
}

void TemplateSet::LoadStationString(const std::string& yaml, const std::string& name,
                                    const std::string& station, const std::string& language,
                                    Diagnostics& diags) {
  auto root = LoadYamlString(yaml, name, diags);
  if (!root) return;
  YamlReader r(name, diags);
  GuardYaml(name, diags,
            [&] { ReadTemplates(r, *root, language, by_station_[station][language]); });
}

namespace {

// The sub-folders of `dir`, sorted (files in it are not templates and are ignored).
std::vector<fs::path> SubFolders(const std::string& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_directory()) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool IsLanguageFolder(const fs::path& dir, Diagnostics& diags) {
  if (dir.filename().string().size() == 2) return true;
  diags.Warning({dir.string(), 0, 0},
                "folder name is not a two-letter language code; its files are ignored");
  return false;
}

}  // namespace

TemplateSet TemplateSet::LoadDir(const std::string& dir, Diagnostics& diags) {
  TemplateSet set;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    diags.Error({dir, 0, 0}, "template folder not found");
    return set;
  }
  for (const auto& sub : SubFolders(dir)) {
    if (sub.filename() == kStationFolder) {
      // templates/stations/<station>/<lang>/*.yaml: what one station says differently.
      for (const auto& station_dir : SubFolders(sub.string())) {
        auto& station = set.by_station_[station_dir.filename().string()];
        for (const auto& lang_dir : SubFolders(station_dir.string())) {
          if (!IsLanguageFolder(lang_dir, diags)) continue;
          auto& texts = station[lang_dir.filename().string()];
          for (const auto& file : YamlFilesIn(lang_dir.string())) {
            set.LoadFileInto(file, lang_dir.filename().string(), texts, diags);
          }
        }
      }
      continue;
    }
    if (!IsLanguageFolder(sub, diags)) continue;
    std::string lang = sub.filename().string();
    set.by_language_[lang];  // an empty language folder still counts as a language
    for (const auto& file : YamlFilesIn(sub.string())) set.LoadFile(file, lang, diags);
  }
  return set;
}

const TemplateText* TemplateSet::Find(const std::string& language, const std::string& key) const {
  auto l = by_language_.find(language);
  if (l == by_language_.end()) return nullptr;
  auto k = l->second.find(key);
  return k == l->second.end() ? nullptr : &k->second;
}

bool TemplateSet::Has(const std::string& key) const {
  for (const auto& [lang, keys] : by_language_) {
    if (keys.count(key)) return true;
  }
  return false;
}

std::vector<std::string> TemplateSet::Languages() const {
  std::vector<std::string> out;
  for (const auto& [lang, keys] : by_language_) out.push_back(lang);
  return out;
}

std::vector<std::string> TemplateSet::Keys() const {
  std::set<std::string> keys;
  for (const auto& [lang, texts] : by_language_) {
    for (const auto& [key, text] : texts) keys.insert(key);
  }
  return {keys.begin(), keys.end()};
}

const TemplateText* TemplateSet::FindForStation(const std::string& station,
                                                const std::string& language,
                                                const std::string& key) const {
  auto st = by_station_.find(station);
  if (st == by_station_.end()) return nullptr;
  auto l = st->second.find(language);
  if (l == st->second.end()) return nullptr;
  auto k = l->second.find(key);
  return k == l->second.end() ? nullptr : &k->second;
}

bool TemplateSet::HasForStation(const std::string& station, const std::string& key) const {
  auto st = by_station_.find(station);
  if (st == by_station_.end()) return false;
  for (const auto& [lang, keys] : st->second) {
    if (keys.count(key)) return true;
  }
  return false;
}

RenderedText TemplateSet::Render(const std::string& key, const std::string& language,
                                 const std::string& fallback_language, const std::string& platform,
                                 const std::map<std::string, std::string>& vars, int variation,
                                 const std::string& station) const {
  RenderedText out;
  // The reader's language comes first, then the station: a Köln text in German does not
  // replace the force-wide English text for someone who writes in English.
  auto find = [&](const std::string& lang) -> const TemplateText* {
    if (!station.empty()) {
      if (const TemplateText* own = FindForStation(station, lang, key)) return own;
    }
    return Find(lang, key);
  };
  const TemplateText* t = find(language);
  out.language = language;
  if (!t) {
    t = find(fallback_language);
    out.language = fallback_language;
  }
  if (!t) return out;
  const std::vector<std::string>* texts = &t->variations;
  if (auto p = t->platform.find(platform); p != t->platform.end() && !p->second.empty()) {
    texts = &p->second;
  }
  if (texts->empty()) return out;
  size_t pick = static_cast<size_t>(variation < 0 ? -variation : variation) % texts->size();
  out.text = FillVariables((*texts)[pick], vars);
  out.found = true;
  return out;
}

}  // namespace wache::bot
