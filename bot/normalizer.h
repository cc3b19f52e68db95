// Text normaliser: turns what people type on a phone into comparable tokens, so that
// "HIIILFE!!! 😱", "Hilfe" and "hilfe" match the same keyword.
//
// Steps, in order: Unicode case folding; German umlauts and ß spelled out (ä → ae, ß → ss)
// or dropped to the base letter, by mode; other accents and combining marks stripped
// (é → e, ş → s, Arabic harakat removed); dotless ı and ł mapped to i and l; runs of three
// or more equal letters cut to one ("hiiilfe" → "hilfe"); punctuation, symbols and emoji
// become spaces; tokens are separated by single spaces.
//
// Not for: detecting personal data (that needs the raw text; see Trigger::raw_patterns).
// Thread-safe: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wache::bot {

enum class UmlautMode {
  kSpellOut,   // ä → ae, ö → oe, ü → ue (the way Germans type without umlaut keys)
  kBaseLetter  // ä → a, ö → o, ü → u (the other way)
};

struct NormalizedText {
  std::string text;                 // tokens joined by single spaces
  std::vector<std::string> tokens;  // words and numbers, in order
};

NormalizedText Normalize(std::string_view utf8, UmlautMode mode = UmlautMode::kSpellOut);

// True if the text contains at least one letter or digit (an emoji-only message does not).
bool HasWords(std::string_view utf8);

// Number of Unicode code points (for label length limits, which platforms count in
// characters, not bytes). Invalid UTF-8 bytes count one each.
size_t CodePointCount(std::string_view utf8);

// The code points of `utf8`; an invalid byte becomes U+FFFD. For letter-wise comparisons
// (typo distance counts letters, not bytes).
std::u32string CodePoints(std::string_view utf8);

// True if `utf8` is valid UTF-8.
bool IsValidUtf8(std::string_view utf8);

}  // namespace wache::bot
