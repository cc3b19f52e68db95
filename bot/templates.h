// Reply templates: templates/<lang>/*.yaml, key → text. A station's own wording lives in
// templates/stations/<station>/<lang>/*.yaml and wins for that station's accounts. A text may have
// per-platform variants (whatsapp, messenger, instagram, x) and variations (other wordings, picked
// in turn so that repeated answers do not read like a machine). {variables} are filled in from the
// account's configuration; "{{" and "}}" write literal braces.
//
// Not for: platform rendering of buttons and length limits (that is the adapter's job).
// Thread-safety: immutable after loading; concurrent Render calls are safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bot/diagnostics.h"

namespace wache::bot {

inline const std::vector<std::string>& KnownPlatforms() {
  static const std::vector<std::string> kPlatforms = {"whatsapp", "messenger", "instagram", "x"};
  return kPlatforms;
}

struct TemplateText {
  std::vector<std::string> variations;                       // at least one
  std::map<std::string, std::vector<std::string>> platform;  // platform → its variations
  SourceLocation where;
};

struct RenderedText {
  std::string text;
  std::string language;  // the language the text came from (may be the fallback)
  bool found = false;
};

struct VariableUse {
  std::string name;
  size_t offset = 0;  // byte offset of '{' in the text
};

// The {variables} a text uses. Literal "{{" / "}}" are skipped.
std::vector<VariableUse> VariablesIn(const std::string& text);
// Fills {variables}; unknown ones are left as they are, visible rather than silently empty.
std::string FillVariables(const std::string& text, const std::map<std::string, std::string>& vars);

// Station texts, per station id, language and key.
using StationTexts =
    std::map<std::string, std::map<std::string, std::map<std::string, TemplateText>>>;

class TemplateSet {
 public:
  // The folder under the templates folder that holds the station texts.
  static constexpr const char* kStationFolder = "stations";

  // Loads templates/<lang>/*.yaml for every language folder under `dir`, and the station
  // texts under templates/stations/.
  static TemplateSet LoadDir(const std::string& dir, Diagnostics& diags);
  // Loads one file for one language (used by tests and `check FILE`).
  void LoadFile(const std::string& path, const std::string& language, Diagnostics& diags);
  void LoadString(const std::string& yaml, const std::string& name, const std::string& language,
                  Diagnostics& diags);
  // Station texts from a string (tests).
  void LoadStationString(const std::string& yaml, const std::string& name,
                         const std::string& station, const std::string& language,
                         Diagnostics& diags);

  // Renders `key` in `language`, else in `fallback_language`. In each language the text of
  // `station` ("" = none) wins over the force-wide one. `variation` picks among the
  // variations (modulo their count). found=false if the key exists in neither language.
  RenderedText Render(const std::string& key, const std::string& language,
                      const std::string& fallback_language, const std::string& platform,
                      const std::map<std::string, std::string>& vars, int variation = 0,
                      const std::string& station = "") const;

  // Force-wide texts only.
  const TemplateText* Find(const std::string& language, const std::string& key) const;
  // The station's own text, if it has one in `language`.
  const TemplateText* FindForStation(const std::string& station, const std::string& language,
                                     const std::string& key) const;
  bool HasForStation(const std::string& station, const std::string& key) const;  // any language
  const StationTexts& by_station() const { return by_station_; }
  bool Has(const std::string& key) const;  // force-wide, in any language
  std::vector<std::string> Languages() const;
  bool HasLanguage(const std::string& language) const { return by_language_.count(language) > 0; }
  std::vector<std::string> Keys() const;  // force-wide, union over languages, sorted
  const std::map<std::string, std::map<std::string, TemplateText>>& by_language() const {
    return by_language_;
  }

 private:
  void LoadFileInto(const std::string& path, const std::string& language,
                    std::map<std::string, TemplateText>& out, Diagnostics& diags);

  std::map<std::string, std::map<std::string, TemplateText>> by_language_;  // lang → key → text
  StationTexts by_station_;
};

}  // namespace wache::bot
