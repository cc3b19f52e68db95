// Reply templates: per-platform variants, variations, {variables}, {{literal}} braces,
// the fallback language and the loader's diagnostics.
#include "bot/templates.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace wache::bot {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const std::map<std::string, std::string> kVars = {{"emergency_number", "110"},
                                                  {"station_name", "Polizei Köln"}};

TemplateSet Load(const std::string& de, const std::string& en = "") {
  TemplateSet t;
  Diagnostics diags;
  t.LoadString(de, "de.yaml", "de", diags);
  if (!en.empty()) t.LoadString(en, "en.yaml", "en", diags);
  EXPECT_EQ(diags.Format(), "");
  return t;
}

std::string Text(const TemplateSet& t, const std::string& key, const std::string& platform,
                 int variation = 0, const std::string& language = "de") {
  return t.Render(key, language, "de", platform, kVars, variation).text;
}

TEST(TemplatesTest, PlainTextIsRenderedForEveryPlatform) {
  TemplateSet t = Load("hello: Guten Tag\n");
  EXPECT_EQ(Text(t, "hello", "whatsapp"), "Guten Tag");
  EXPECT_EQ(Text(t, "hello", "x"), "Guten Tag");
}

TEST(TemplatesTest, PlatformVariantReplacesTheTextOnThatPlatformOnly) {
  TemplateSet t =
      Load("menu:\n  text: Tippen Sie auf eine Antwort\n  x: Antworten Sie mit 1 oder 2\n");
  EXPECT_EQ(Text(t, "menu", "x"), "Antworten Sie mit 1 oder 2");
  EXPECT_EQ(Text(t, "menu", "whatsapp"), "Tippen Sie auf eine Antwort");
  EXPECT_EQ(Text(t, "menu", "instagram"), "Tippen Sie auf eine Antwort");
}

TEST(TemplatesTest, VariationsArePickedInTurnAndWrapAround) {
  TemplateSet t = Load("thanks:\n  variations: [Gern geschehen, Sehr gern, Bitte sehr]\n");
  EXPECT_EQ(Text(t, "thanks", "whatsapp", 0), "Gern geschehen");
  EXPECT_EQ(Text(t, "thanks", "whatsapp", 1), "Sehr gern");
  EXPECT_EQ(Text(t, "thanks", "whatsapp", 2), "Bitte sehr");
  EXPECT_EQ(Text(t, "thanks", "whatsapp", 3), "Gern geschehen");
  EXPECT_EQ(Text(t, "thanks", "whatsapp", -1), "Sehr gern");  // never out of range
}

TEST(TemplatesTest, ListValueAndTextPlusVariationsAreAllVariations) {
  TemplateSet t = Load("a: [eins, zwei]\nb:\n  text: drei\n  variations: [vier]\n");
  EXPECT_THAT(t.Find("de", "a")->variations, ElementsAre("eins", "zwei"));
  EXPECT_THAT(t.Find("de", "b")->variations, ElementsAre("drei", "vier"));
}

TEST(TemplatesTest, PlatformVariantCanHaveItsOwnVariations) {
  TemplateSet t = Load("hi:\n  text: Hallo\n  messenger: [Hallo!, Hi!]\n");
  EXPECT_EQ(Text(t, "hi", "messenger", 0), "Hallo!");
  EXPECT_EQ(Text(t, "hi", "messenger", 1), "Hi!");
  EXPECT_EQ(Text(t, "hi", "whatsapp", 1), "Hallo");
}

TEST(TemplatesTest, VariablesAreFilledIn) {
  TemplateSet t = Load("call: \"Hier ist die {station_name}. Notruf: {emergency_number}.\"\n");
  EXPECT_EQ(Text(t, "call", "whatsapp"), "Hier ist die Polizei Köln. Notruf: 110.");
}

TEST(TemplatesTest, UnknownVariableStaysVisible) {
  EXPECT_EQ(FillVariables("Rufen Sie {emergency_nmber} an", kVars),
            "Rufen Sie {emergency_nmber} an");
}

TEST(TemplatesTest, DoubledBracesWriteLiteralBraces) {
  EXPECT_EQ(FillVariables("{{emergency_number}} ist {emergency_number}", kVars),
            "{emergency_number} ist 110");
  EXPECT_EQ(FillVariables("a }} b {{ c", kVars), "a } b { c");
}

TEST(TemplatesTest, BracesAroundNonNamesAreLeftAlone) {
  EXPECT_EQ(FillVariables("{} { emergency_number } {a-b}", kVars), "{} { emergency_number } {a-b}");
}

TEST(TemplatesTest, VariablesInListsEachUseWithItsOffsetAndSkipsLiterals) {
  auto uses = VariablesIn("{a} und {{b}} und {c_2}");
  ASSERT_EQ(uses.size(), 2u);
  EXPECT_EQ(uses[0].name, "a");
  EXPECT_EQ(uses[0].offset, 0u);
  EXPECT_EQ(uses[1].name, "c_2");
  EXPECT_EQ(uses[1].offset, 18u);
  EXPECT_THAT(VariablesIn("keine {} {x-y}"), IsEmpty());
}

TEST(TemplatesTest, MissingTranslationFallsBackToTheFallbackLanguage) {
  TemplateSet t = Load("hello: Hallo\nonly_de: Nur deutsch\n", "hello: Hello\n");
  RenderedText en = t.Render("hello", "en", "de", "whatsapp", kVars);
  EXPECT_EQ(en.text, "Hello");
  EXPECT_EQ(en.language, "en");
  RenderedText fallback = t.Render("only_de", "en", "de", "whatsapp", kVars);
  EXPECT_TRUE(fallback.found);
  EXPECT_EQ(fallback.text, "Nur deutsch");
  EXPECT_EQ(fallback.language, "de");
}

TEST(TemplatesTest, UnknownKeyIsNotFoundInAnyLanguage) {
  TemplateSet t = Load("hello: Hallo\n");
  RenderedText r = t.Render("nope", "en", "de", "whatsapp", kVars);
  EXPECT_FALSE(r.found);
  EXPECT_EQ(r.text, "");
  EXPECT_FALSE(t.Has("nope"));
  EXPECT_TRUE(t.Has("hello"));
}

TEST(TemplatesTest, KeysAndLanguagesAreSortedUnions) {
  TemplateSet t = Load("b: B\na: A\n", "c: C\na: A\n");
  EXPECT_THAT(t.Keys(), ElementsAre("a", "b", "c"));
  EXPECT_THAT(t.Languages(), ElementsAre("de", "en"));
  EXPECT_EQ(t.Find("en", "b"), nullptr);
  ASSERT_NE(t.Find("de", "b"), nullptr);
  EXPECT_EQ(t.Find("de", "b")->where.line, 1);
}

// --- loader errors ---

std::string Errors(const std::string& yaml) {
  TemplateSet t;
  Diagnostics diags;
  t.LoadString(yaml, "t.yaml", "de", diags);
  return diags.Format();
}

TEST(TemplatesTest, UnknownPlatformKeyGetsDidYouMean) {
  EXPECT_THAT(Errors("menu:\n  text: Hallo\n  whatsap: Hi\n"),
              HasSubstr("t.yaml:3:3: error: unknown key 'whatsap' in template 'menu' (did you "
                        "mean 'whatsapp'?)"));
}

TEST(TemplatesTest, MapWithoutTextIsAnError) {
  EXPECT_THAT(Errors("menu:\n  x: Hallo\n"),
              HasSubstr("t.yaml:1:1: error: template 'menu' needs 'text:'"));
}

TEST(TemplatesTest, EmptyTextAndMissingValueAreErrors) {
  std::string out = Errors("a: \"\"\nb:\n");
  EXPECT_THAT(out, HasSubstr("t.yaml:1:4: error: empty text"));
  EXPECT_THAT(out, HasSubstr("t.yaml:2:1: error: template 'b' has no text"));
}

TEST(TemplatesTest, KeyDefinedTwiceForOneLanguageIsAnError) {
  TemplateSet t;
  Diagnostics diags;
  t.LoadString("hello: Hallo\n", "one.yaml", "de", diags);
  t.LoadString("\nhello: Servus\n", "two.yaml", "de", diags);
  t.LoadString("hello: Hello\n", "en.yaml", "en", diags);  // other language: fine
  EXPECT_EQ(diags.error_count(), 1);
  EXPECT_THAT(diags.Format(), HasSubstr("two.yaml:2:1: error: template 'hello' is defined twice "
                                        "for language 'de' (first at one.yaml:1)"));
  EXPECT_EQ(t.Render("hello", "de", "de", "x", {}).text, "Hallo");  // the first one stays
}

TEST(TemplatesTest, EmptyFileIsOnlyAWarning) {
  TemplateSet t;
  Diagnostics diags;
  t.LoadString("# nothing yet\n", "t.yaml", "de", diags);
  EXPECT_EQ(diags.error_count(), 0);
  EXPECT_EQ(diags.warning_count(), 1);
  EXPECT_THAT(diags.Format(), HasSubstr("t.yaml:1:1: warning: empty template file"));
}

TEST(TemplatesTest, NonMapFileAndBadSyntaxAreErrors) {
  EXPECT_THAT(Errors("- a\n- b\n"), HasSubstr("t.yaml:1:1: error: a template file is a map"));
  EXPECT_THAT(Errors("a: [unclosed\n"), HasSubstr("t.yaml:2:1: error: YAML syntax"));
}

TEST(TemplatesTest, LoadDirReadsTwoLetterFoldersAndWarnsAboutOthers) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(testing::TempDir()) / "wache_templates_dir";
  fs::remove_all(dir);
  fs::create_directories(dir / "de");
  fs::create_directories(dir / "english");
  fs::create_directories(dir / "tr");  // empty: still a language
  std::ofstream(dir / "de" / "common.yaml") << "hello: Hallo\n";
  std::ofstream(dir / "english" / "common.yaml") << "hello: Hello\n";
  Diagnostics diags;
  TemplateSet t = TemplateSet::LoadDir(dir.string(), diags);
  EXPECT_EQ(diags.error_count(), 0);
  EXPECT_THAT(diags.Format(), HasSubstr("english: warning: folder name is not a two-letter"));
  EXPECT_THAT(t.Languages(), ElementsAre("de", "tr"));
  EXPECT_EQ(t.Render("hello", "de", "de", "x", {}).text, "Hallo");
  fs::remove_all(dir);
}

TEST(TemplatesTest, LoadDirReportsAMissingFolder) {
  Diagnostics diags;
  TemplateSet::LoadDir("/nonexistent/templates", diags);
  EXPECT_THAT(diags.Format(),
              HasSubstr("/nonexistent/templates: error: template folder not found"));
}

}  // namespace
}  // namespace wache::bot
