// SplitText, TextLength and Truncate: parts within the limit in characters and in bytes,
// never a cut inside a UTF-8 sequence, paragraph/line/space boundaries preferred in the second
// half of a part, long words cut between characters, no word lost or reordered.
#include "webhook/text_split.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace wache::webhook {
namespace {

// Strict UTF-8 check: well-formed sequences only (no stray continuation bytes, no truncated
// sequences, no overlong forms, no surrogates).
bool IsValidUtf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;  // truncated sequence
    for (size_t k = 1; k <= n; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

std::vector<std::string> WordsOfParts(const std::vector<std::string>& parts) {
  std::vector<std::string> out;
  for (const auto& p : parts) {
    for (auto& w : Words(p)) out.push_back(std::move(w));
  }
  return out;
}

std::string Repeat(const std::string& s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

// Checks every property a split must have, for any text and limit.
void ExpectWellFormedSplit(const std::string& text, const std::vector<std::string>& parts,
                           size_t limit, LengthUnit unit) {
  ASSERT_FALSE(parts.empty());
  for (const auto& p : parts) {
    EXPECT_LE(TextLength(p, unit), limit) << "part: " << p;
    EXPECT_TRUE(IsValidUtf8(p)) << "part: " << p;
    if (!p.empty()) {
      EXPECT_NE(p.front(), ' ') << "part: " << p;
      EXPECT_NE(p.back(), ' ') << "part: " << p;
      EXPECT_NE(p.back(), '\n') << "part: " << p;
    }
  }
  if (parts.size() > 1) {
    for (const auto& p : parts) EXPECT_FALSE(p.empty());
  }
  // Words longer than a part are cut, so compare the concatenation of all non-space text.
  std::string joined_text, joined_parts;
  for (const auto& w : Words(text)) joined_text += w;
  for (const auto& w : WordsOfParts(parts)) joined_parts += w;
  EXPECT_EQ(joined_parts, joined_text);
}

// --- TextLength ---

TEST(TextLengthTest, CountsCodePointsInCharactersAndOctetsInBytes) {
  EXPECT_EQ(TextLength("Straße", LengthUnit::kCharacters), 6u);
  EXPECT_EQ(TextLength("Straße", LengthUnit::kBytes), 7u);
  EXPECT_EQ(TextLength("€", LengthUnit::kCharacters), 1u);
  EXPECT_EQ(TextLength("€", LengthUnit::kBytes), 3u);
  EXPECT_EQ(TextLength("😀", LengthUnit::kCharacters), 1u);
  EXPECT_EQ(TextLength("😀", LengthUnit::kBytes), 4u);
  EXPECT_EQ(TextLength("Привет", LengthUnit::kCharacters), 6u);
  EXPECT_EQ(TextLength("Привет", LengthUnit::kBytes), 12u);
}

TEST(TextLengthTest, EmptyTextHasLengthZero) {
  EXPECT_EQ(TextLength("", LengthUnit::kCharacters), 0u);
  EXPECT_EQ(TextLength("", LengthUnit::kBytes), 0u);
}

// --- SplitText ---

TEST(SplitTextTest, EmptyTextGivesOneEmptyPart) {
  EXPECT_EQ(SplitText("", 10, LengthUnit::kCharacters), std::vector<std::string>{""});
  EXPECT_EQ(SplitText("", 10, LengthUnit::kBytes), std::vector<std::string>{""});
}

TEST(SplitTextTest, WhitespaceOnlyTextGivesOneEmptyPart) {
  EXPECT_EQ(SplitText(" \n\n  \t", 3, LengthUnit::kCharacters), std::vector<std::string>{""});
}

TEST(SplitTextTest, TextWithinTheLimitIsOnePartUnchanged) {
  const std::string text = "Bitte wählen Sie 110.\n\nDanke!";
  EXPECT_EQ(SplitText(text, 100, LengthUnit::kCharacters), std::vector<std::string>{text});
  // Exactly at the limit, in each unit.
  EXPECT_EQ(SplitText("äöü", 3, LengthUnit::kCharacters), std::vector<std::string>{"äöü"});
  EXPECT_EQ(SplitText("äöü", 6, LengthUnit::kBytes), std::vector<std::string>{"äöü"});
}

TEST(SplitTextTest, PrefersAParagraphBreakInTheSecondHalf) {
  // 61 characters, a paragraph break, then lines and spaces that also fit the window.
  const std::string p1 = "Erster Absatz mit einigen Worten, die zusammen bleiben sollen";
  const std::string p2 = "Zweiter Absatz\nmit einer Zeile und noch vielen weiteren Worten hier";
  ASSERT_EQ(TextLength(p1, LengthUnit::kCharacters), 61u);
  auto parts = SplitText(p1 + "\n\n" + p2, 100, LengthUnit::kCharacters);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0], p1);
  EXPECT_EQ(parts[1], p2);
}

TEST(SplitTextTest, PrefersALineBreakOverASpace) {
  const std::string l1 = "Erste Zeile mit einigen Worten, die zusammen bleiben sollen";
  const std::string l2 = "zweite Zeile mit noch vielen weiteren Worten hier und da und dort";
  auto parts = SplitText(l1 + "\n" + l2, 100, LengthUnit::kCharacters);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0], l1);
  EXPECT_EQ(parts[1], l2);
}

TEST(SplitTextTest, BreaksAtTheLastSpaceThatFits) {
  // "aaaa bbbb cccc ..." with limit 12: "aaaa bbbb" (9) fits, "aaaa bbbb cccc" (14) does not.
  auto parts = SplitText("aaaa bbbb cccc dddd eeee", 12, LengthUnit::kCharacters);
  EXPECT_EQ(parts, (std::vector<std::string>{"aaaa bbbb", "cccc dddd", "eeee"}));
}

TEST(SplitTextTest, ASpaceRightAfterTheWindowIsAGoodCut) {
  auto parts = SplitText("aaaa bbbb", 4, LengthUnit::kCharacters);
  EXPECT_EQ(parts, (std::vector<std::string>{"aaaa", "bbbb"}));
}

TEST(SplitTextTest, ABoundaryInTheFirstHalfIsNotUsedSoPartsDoNotGetTiny) {
  // The only paragraph break is at 5 of 40; the split goes to the last space instead.
  const std::string text = "kurz\n\nwort wort wort wort wort wort wort wort wort wort";
  auto parts = SplitText(text, 40, LengthUnit::kCharacters);
  ASSERT_GE(parts.size(), 2u);
  EXPECT_GT(TextLength(parts[0], LengthUnit::kCharacters), 20u);
  ExpectWellFormedSplit(text, parts, 40, LengthUnit::kCharacters);
}

TEST(SplitTextTest, AWordLongerThanAPartIsCutBetweenCharacters) {
  auto parts = SplitText(std::string(250, 'x'), 100, LengthUnit::kCharacters);
  EXPECT_EQ(parts, (std::vector<std::string>{std::string(100, 'x'), std::string(100, 'x'),
                                             std::string(50, 'x')}));
}

TEST(SplitTextTest, ALongWordOfMultiByteCharactersIsCutBetweenCharactersInByteMode) {
  // 101 'ä' = 202 bytes; an odd byte limit would fall inside a character.
  const std::string text = Repeat("ä", 101);
  auto parts = SplitText(text, 101, LengthUnit::kBytes);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0], Repeat("ä", 50));
  EXPECT_EQ(parts[1], Repeat("ä", 50));
  EXPECT_EQ(parts[2], "ä");
}

TEST(SplitTextTest, ALongWordOfMultiByteCharactersIsCutByCharactersInCharacterMode) {
  auto parts = SplitText(Repeat("€", 25), 10, LengthUnit::kCharacters);
  EXPECT_EQ(parts, (std::vector<std::string>{Repeat("€", 10), Repeat("€", 10), Repeat("€", 5)}));
}

TEST(SplitTextTest, AnEmojiAtTheBoundaryInByteModeMovesWholeToTheNextPart) {
  // 998 + 4 bytes: the emoji would end at byte 1002, so it must not be cut at 1000.
  const std::string text = std::string(998, 'a') + "😀";
  auto parts = SplitText(text, 1000, LengthUnit::kBytes);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0], std::string(998, 'a'));
  EXPECT_EQ(parts[1], "😀");
}

TEST(SplitTextTest, AnEmojiAfterASpaceAtTheBoundaryInByteModeStartsTheNextPart) {
  const std::string text = std::string(990, 'a') + " bbbbbb 😀😀 cc";
  auto parts = SplitText(text, 1000, LengthUnit::kBytes);
  ExpectWellFormedSplit(text, parts, 1000, LengthUnit::kBytes);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0], std::string(990, 'a') + " bbbbbb");
  EXPECT_EQ(parts[1], "😀😀 cc");
}

TEST(SplitTextTest, WhitespaceAtTheCutIsDropped) {
  auto parts = SplitText("aaaa   \n\n   bbbb", 6, LengthUnit::kCharacters);
  EXPECT_EQ(parts, (std::vector<std::string>{"aaaa", "bbbb"}));
}

TEST(SplitTextTest, RejoinedPartsKeepAllWordsInOrder) {
  std::string text;
  for (int i = 0; i < 700; ++i) {
    text += "wort" + std::to_string(i) + (i % 37 == 0 ? "\n\n" : i % 11 == 0 ? "\n" : " ");
  }
  for (size_t limit : {50u, 99u, 256u, 1000u}) {
    for (LengthUnit unit : {LengthUnit::kCharacters, LengthUnit::kBytes}) {
      auto parts = SplitText(text, limit, unit);
      EXPECT_EQ(WordsOfParts(parts), Words(text)) << "limit " << limit;
      ExpectWellFormedSplit(text, parts, limit, unit);
    }
  }
}

TEST(SplitTextTest, NeverSplitsInsideAUtf8SequenceAndKeepsEveryPartWithinTheLimitInBothUnits) {
  // A deterministic mix of 1-, 2-, 3- and 4-byte characters, spaces and line breaks.
  const std::vector<std::string> pieces = {"a", "ä", "€",  "😀", " ", "Ж", "b", "\n",
                                           "ß", "𝄞", "中", "c", "d", " ", "é", "🇩🇪"};
  std::string text;
  uint32_t seed = 12345;
  for (int i = 0; i < 3000; ++i) {
    seed = seed * 1103515245u + 12345u;
    text += pieces[(seed >> 16) % pieces.size()];
  }
  ASSERT_TRUE(IsValidUtf8(text));
  for (size_t limit : {4u, 5u, 7u, 13u, 64u, 101u, 1000u}) {
    for (LengthUnit unit : {LengthUnit::kCharacters, LengthUnit::kBytes}) {
      SCOPED_TRACE("limit " + std::to_string(limit) +
                   (unit == LengthUnit::kBytes ? " bytes" : " characters"));
      ExpectWellFormedSplit(text, SplitText(text, limit, unit), limit, unit);
    }
  }
}

TEST(SplitTextTest, PartsInByteModeFitWhereCharacterModeWouldNot) {
  // 800 Cyrillic letters = 1600 bytes: one part by characters, two by bytes.
  const std::string text = Repeat("ж", 800);
  EXPECT_EQ(SplitText(text, 1000, LengthUnit::kCharacters).size(), 1u);
  auto parts = SplitText(text, 1000, LengthUnit::kBytes);
  ASSERT_EQ(parts.size(), 2u);
  ExpectWellFormedSplit(text, parts, 1000, LengthUnit::kBytes);
}

TEST(SplitTextTest, ALimitOfZeroStillTerminates) {
  auto parts = SplitText("ab c", 0, LengthUnit::kCharacters);
  EXPECT_EQ(parts, (std::vector<std::string>{"a", "b", "c"}));
}

// --- Truncate ---

TEST(TruncateTest, TextWithinTheLimitIsUnchanged) {
  EXPECT_EQ(Truncate("Online-Anzeige", 20), "Online-Anzeige");
  EXPECT_EQ(Truncate(Repeat("ä", 20), 20), Repeat("ä", 20));
  EXPECT_EQ(Truncate("", 20), "");
}

TEST(TruncateTest, LongerTextEndsInAnEllipsisWithinTheLimit) {
  std::string cut = Truncate("Voraussetzungen für die Bewerbung", 20);
  EXPECT_EQ(cut, "Voraussetzungen für…");
  EXPECT_EQ(TextLength(cut, LengthUnit::kCharacters), 20u);
}

TEST(TruncateTest, ASpaceBeforeTheEllipsisIsDropped) {
  EXPECT_EQ(Truncate("Hallo Welt und mehr", 7), "Hallo…");
}

TEST(TruncateTest, NeverCutsInsideACharacter) {
  EXPECT_EQ(Truncate("😀😀😀", 2), "😀…");
  // In bytes the ellipsis costs three: 8 bytes leave 5 for text, i.e. two 'ä'.
  std::string cut = Truncate(Repeat("ä", 6), 8, LengthUnit::kBytes);
  EXPECT_EQ(cut, "ää…");
  EXPECT_LE(cut.size(), 8u);
  EXPECT_TRUE(IsValidUtf8(cut));
}

TEST(TruncateTest, ALimitSmallerThanTheEllipsisGivesEmptyText) {
  EXPECT_EQ(Truncate("abcdef", 2, LengthUnit::kBytes), "");
  EXPECT_EQ(Truncate("abcdef", 0), "");
}

}  // namespace
}  // namespace wache::webhook
