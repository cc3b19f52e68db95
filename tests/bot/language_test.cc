// DetectLanguage: the reply language of short chat messages; "" when the text gives no
// clear signal, so that the conversation keeps its language.
#include "bot/language.h"

#include <gtest/gtest.h>

namespace wache::bot {
namespace {

std::string Detect(const std::string& text) { return DetectLanguage(text, Normalize(text)).code; }
bool Confident(const std::string& text) { return DetectLanguage(text, Normalize(text)).confident; }

TEST(LanguageTest, GermanByCommonWords) {
  EXPECT_EQ(Detect("Hallo, mir wurde das Fahrrad geklaut"), "de");
  EXPECT_EQ(Detect("Wie kann ich mich bewerben?"), "de");
}

TEST(LanguageTest, GermanByItsLettersWhenNoCommonWordHelps) {
  EXPECT_EQ(Detect("Körpergröße"), "de");
  EXPECT_EQ(Detect("Fußgänger"), "de");
}

TEST(LanguageTest, EnglishByCommonWords) {
  EXPECT_EQ(Detect("Hello, my bike was stolen yesterday"), "en");
  EXPECT_EQ(Detect("How can I apply?"), "en");
}

TEST(LanguageTest, TurkishByItsLettersEvenWithoutCommonWords) {
  EXPECT_EQ(Detect("Başvuru yapmak istiyorum"), "tr");
  EXPECT_EQ(Detect("yardım"), "tr");  // dotless ı
}

TEST(LanguageTest, TurkishByCommonWordsWrittenWithoutSpecialLetters) {
  EXPECT_EQ(Detect("merhaba polis yardim lutfen"), "tr");
}

TEST(LanguageTest, PolishByItsLettersAndWords) {
  EXPECT_EQ(Detect("Dzień dobry, proszę o pomoc"), "pl");
  EXPECT_EQ(Detect("ktoś się włamuje"), "pl");
}

TEST(LanguageTest, RussianByCyrillicWords) {
  EXPECT_EQ(Detect("Здравствуйте, у меня украли телефон"), "ru");
  EXPECT_EQ(Detect("Помогите"), "ru");
}

TEST(LanguageTest, RussianByLettersUkrainianDoesNotUse) {
  // "так" is a Ukrainian common word; the Russian-only "ё" outweighs it.
  EXPECT_EQ(Detect("так, елка"), "uk");
  EXPECT_EQ(Detect("так, ёлка"), "ru");
}

TEST(LanguageTest, UkrainianByLettersRussianDoesNotUse) {
  EXPECT_EQ(Detect("Допоможіть, будь ласка"), "uk");
  EXPECT_EQ(Detect("Привіт"), "uk");
}

TEST(LanguageTest, CyrillicWithoutAnyTellIsRussianButOnlyAGuess) {
  EXPECT_EQ(Detect("Вкрали велосипед"), "ru");
  EXPECT_FALSE(Confident("Вкрали велосипед"));
  EXPECT_TRUE(Confident("Помогите"));
}

TEST(LanguageTest, LettersGermanAndTurkishShareAreOnlyAGuess) {
  EXPECT_EQ(Detect("ölçü"), "tr");  // ö ü shared, ç Turkish (and French)
  EXPECT_FALSE(Confident("ölçü"));
  EXPECT_EQ(Detect("Übung"), "");  // one shared letter: a tie, no signal
}

TEST(LanguageTest, CommonWordsAndDistinctiveLettersAreConfident) {
  EXPECT_TRUE(Confident("Wie kann ich mich bewerben?"));
  EXPECT_TRUE(Confident("Körpergröße"));  // ß is German only
  EXPECT_TRUE(Confident("yardım"));
}

TEST(LanguageTest, ArabicByScript) {
  EXPECT_EQ(Detect("مرحبا، سرقوا دراجتي"), "ar");
  EXPECT_EQ(Detect("النجدة!"), "ar");
}

TEST(LanguageTest, NoSignalGivesEmpty) {
  EXPECT_EQ(Detect("ok"), "");
  EXPECT_EQ(Detect("Max Mustermann"), "");
  EXPECT_EQ(Detect("12345"), "");
  EXPECT_EQ(Detect("😱🙏"), "");
  EXPECT_EQ(Detect(""), "");
}

TEST(LanguageTest, TieBetweenLanguagesGivesEmpty) {
  // One German ("ich") and one English ("the") common word: no clear winner.
  EXPECT_EQ(Detect("ich the"), "");
}

TEST(LanguageTest, OneCommonWordIsEnoughForAShortMessage) {
  EXPECT_EQ(Detect("danke"), "de");
  EXPECT_EQ(Detect("thanks"), "en");
}

TEST(LanguageTest, MajorityOfCommonWordsWins) {
  // "hallo" is German, but the rest is English.
  EXPECT_EQ(Detect("hallo, I need help with my application"), "en");
}

}  // namespace
}  // namespace wache::bot
