// Normalize, HasWords, CodePointCount, IsValidUtf8: what people type on a phone becomes
// comparable tokens.
#include "bot/normalizer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <utf8proc.h>

namespace wache::bot {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(NormalizerTest, ShoutedCryWithEmojiEqualsPlainWord) {
  EXPECT_EQ(Normalize("HIIILFE!!! 😱").text, "hilfe");
  EXPECT_EQ(Normalize("Hilfe").text, "hilfe");
  EXPECT_EQ(Normalize("hilfe").text, "hilfe");
}

TEST(NormalizerTest, DecomposedUmlautIsSpelledOutLikeThePrecomposedOne) {
  // "u" + U+0308 COMBINING DIAERESIS, as some keyboards and copy-paste produce it.
  EXPECT_EQ(Normalize("U\u0308berfall").text, "ueberfall");
}

// ASCII takes a short path around utf8proc (bot/normalizer.cc). It must fold each of the
// 128 characters exactly as the Unicode path would: case-folded letters and digits (the
// word categories), apostrophes dropped, everything else a separator.
TEST(NormalizerTest, AsciiShortPathFoldsLikeUnicodeCategories) {
  for (int c = 1; c < 0x80; ++c) {
    std::string expected;
    if (c == '\'' || c == '`') {
      expected = "xy";  // joins the words
    } else {
      const utf8proc_category_t cat = utf8proc_category(c);
      const bool word =
          cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL || cat == UTF8PROC_CATEGORY_ND;
      expected = word ? "x" + std::string(1, static_cast<char>(utf8proc_tolower(c))) + "y" : "x y";
    }
    const std::string input = "x" + std::string(1, static_cast<char>(c)) + "y";
    EXPECT_EQ(Normalize(input).text, expected) << "character " << c;
    // The same character next to a non-ASCII letter goes through the Unicode path for the
    // rest of the text and must still fold the same way.
    EXPECT_EQ(Normalize("\u00e9" + input).text, "e" + expected) << "character " << c;
  }
}

TEST(NormalizerTest, CodePointCountCountsInvalidBytesLikeCodePoints) {
  for (const std::string s : {"", "abc", "\u00fcber", "\xff\xfe", "a\xc3", "\u043f\u043e"}) {
    EXPECT_EQ(CodePointCount(s), CodePoints(s).size()) << s;
  }
}

TEST(NormalizerTest, SplitsIntoTokensSeparatedBySingleSpaces) {
  NormalizedText n = Normalize("  Mir wurde,   das Rad...geklaut!  ");
  EXPECT_THAT(n.tokens, ElementsAre("mir", "wurde", "das", "rad", "geklaut"));
  EXPECT_EQ(n.text, "mir wurde das rad geklaut");
}

TEST(NormalizerTest, SpellsOutUmlautsByDefault) {
  EXPECT_EQ(Normalize("Überfall Ärger Öl").text, "ueberfall aerger oel");
}

TEST(NormalizerTest, BaseLetterModeDropsUmlautDots) {
  EXPECT_EQ(Normalize("Überfall Ärger Öl", UmlautMode::kBaseLetter).text, "uberfall arger ol");
}

TEST(NormalizerTest, SharpSIsAlwaysSpelledOut) {
  EXPECT_EQ(Normalize("Straße").text, "strasse");
  EXPECT_EQ(Normalize("Straße", UmlautMode::kBaseLetter).text, "strasse");
  EXPECT_EQ(Normalize("STRAẞE").text, "strasse");
}

TEST(NormalizerTest, StripsAccentsAndCombiningMarks) {
  EXPECT_EQ(Normalize("café").text, "cafe");
  EXPECT_EQ(Normalize("şikayet").text, "sikayet");
  // "cafe" + combining acute accent (decomposed form)
  EXPECT_EQ(Normalize("cafe\xCC\x81").text, "cafe");
  // Arabic "shukran" with harakat (fatha, sukun, damma) equals the bare spelling.
  EXPECT_EQ(Normalize("شُكْرًا").text, Normalize("شكرا").text);
}

TEST(NormalizerTest, MapsTurkishAndPolishSpecialLetters) {
  EXPECT_EQ(Normalize("yardım").text, "yardim");
  EXPECT_EQ(Normalize("İstanbul").text, "istanbul");
  EXPECT_EQ(Normalize("włamanie").text, "wlamanie");
  EXPECT_EQ(Normalize("Łódź").text, "lodz");
}

TEST(NormalizerTest, DropsArabicTatweel) {
  // "مرحبا" with a tatweel (U+0640) stretching the word.
  EXPECT_EQ(Normalize("مرحـــبا").text, Normalize("مرحبا").text);
}

TEST(NormalizerTest, ApostrophesJoinWords) {
  EXPECT_EQ(Normalize("don't").text, "dont");
  EXPECT_EQ(Normalize("gibt’s").text, "gibts");
}

TEST(NormalizerTest, CutsRunsOfThreeOrMoreEqualLettersToOne) {
  EXPECT_EQ(Normalize("hiiiiiilfe").text, "hilfe");
  EXPECT_EQ(Normalize("neeein").text, "nein");
}

TEST(NormalizerTest, KeepsDoubleLetters) {
  EXPECT_EQ(Normalize("Messer").text, "messer");
  EXPECT_EQ(Normalize("Kommissar").text, "kommissar");
}

TEST(NormalizerTest, KeepsRunsOfDigitsSoPhoneNumbersSurvive) {
  EXPECT_THAT(Normalize("0800 111 0 111").tokens, ElementsAre("0800", "111", "0", "111"));
  EXPECT_EQ(Normalize("1000000").text, "1000000");
}

TEST(NormalizerTest, CutsRunsOfNonAsciiLetters) {
  EXPECT_EQ(Normalize("помогиииите").text, "помогите");
}

TEST(NormalizerTest, LowercasesCyrillic) { EXPECT_EQ(Normalize("ПОМОГИТЕ").text, "помогите"); }

TEST(NormalizerTest, EmojiOnlyMessageHasNoTokens) {
  NormalizedText n = Normalize("😱🙏👮‍♀️");
  EXPECT_THAT(n.tokens, IsEmpty());
  EXPECT_EQ(n.text, "");
}

TEST(NormalizerTest, InvalidUtf8BytesBecomeSeparatorsInsteadOfFailing) {
  EXPECT_THAT(Normalize("ab\xFF"
                        "cd")
                  .tokens,
              ElementsAre("ab", "cd"));
  EXPECT_THAT(Normalize("\xC3").tokens, IsEmpty());  // truncated sequence
}

TEST(NormalizerTest, HasWordsIsFalseForEmojiAndPunctuationOnly) {
  EXPECT_FALSE(HasWords("😱"));
  EXPECT_FALSE(HasWords("?!..."));
  EXPECT_FALSE(HasWords(""));
  EXPECT_TRUE(HasWords("ok 👍"));
  EXPECT_TRUE(HasWords("110"));
  EXPECT_TRUE(HasWords("помощь!"));  // letters, but no ASCII ones
  EXPECT_TRUE(HasWords("😱 Ä"));
}

TEST(NormalizerTest, CodePointCountCountsCharactersNotBytes) {
  EXPECT_EQ(CodePointCount("Körpergröße"), 11u);
  EXPECT_EQ(CodePointCount("😱"), 1u);
  EXPECT_EQ(CodePointCount(""), 0u);
}

TEST(NormalizerTest, CodePointCountCountsEachInvalidByteOnce) {
  EXPECT_EQ(CodePointCount("a\xFF\xFE"
                           "b"),
            4u);
}

TEST(NormalizerTest, IsValidUtf8RejectsBrokenSequences) {
  EXPECT_TRUE(IsValidUtf8("Grüße 😱"));
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8("\xC3"));          // truncated two-byte sequence
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // UTF-16 surrogate encoded as UTF-8
}

}  // namespace
}  // namespace wache::bot
