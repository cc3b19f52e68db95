// Language detection for short chat messages, for choosing the reply language when no
// language-specific keyword decided it. Knows de, en, tr, pl (Latin script: distinctive
// letters and common short words), ru and uk (Cyrillic: letters only one of them uses,
// then common words) and ar (Arabic script). Returns "" when the text gives no clear
// signal (a name, a number, "ok"), so the conversation keeps its language. A guess that
// rests on the script alone (Cyrillic without a Ukrainian or Russian tell, Latin with only
// ö/ü, which German and Turkish share) is marked not confident.
// Thread-safe: pure function.
#pragma once

#include <string>
#include <string_view>

#include "bot/normalizer.h"

namespace wache::bot {

struct DetectedLanguage {
  std::string code;  // "" if there is no signal at all
  bool confident = false;  // false: a guess from the script alone ("Вкрали велосипед" → ru)
};

DetectedLanguage DetectLanguage(std::string_view raw, const NormalizedText& normalized);

}  // namespace wache::bot
