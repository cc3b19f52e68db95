// The YAML tree under every staff file (bot/yaml_tree.h) and the diagnostics LoadYamlString
// gives for the mistakes staff make most (bot/yaml_source.cc).
#include "bot/yaml_tree.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "bot/yaml_source.h"

namespace wache::bot {
namespace {

using ::testing::HasSubstr;

YamlDocument Parse(const std::string& text) {
  YamlParse p = YamlParse::Of(text);
  EXPECT_TRUE(p.document) << p.error.message;
  return std::move(*p.document);
}

TEST(YamlTreeTest, MapsSequencesAndScalarsWithTheirPositions) {
  YamlDocument doc = Parse(
      "# a comment\n"
      "flow: thanks\n"
      "when:\n"
      "  - keywords: [danke, \"vielen dank\"]\n"
      "steps:\n"
      "  - say: thanks.reply\n");
  ASSERT_TRUE(doc.IsMap());
  EXPECT_EQ(doc.size(), 3u);
  EXPECT_EQ(doc["flow"].Scalar(), "thanks");
  EXPECT_EQ(doc["flow"].Mark().line, 1);
  EXPECT_EQ(doc["flow"].Mark().column, 6);
  YamlNode keywords = doc["when"][size_t{0}]["keywords"];
  ASSERT_TRUE(keywords.IsSequence());
  ASSERT_EQ(keywords.size(), 2u);
  EXPECT_EQ(keywords[size_t{1}].Scalar(), "vielen dank");
  EXPECT_EQ(keywords[size_t{1}].Mark().line, 3);
  EXPECT_EQ(keywords[size_t{1}].Mark().column, 22);  // the opening quote
  EXPECT_EQ(doc["steps"].Mark().line, 5);
  EXPECT_EQ(doc["steps"].Mark().column, 2);  // the '-' of the first item

  std::vector<std::string> keys;
  for (const auto& kv : doc) keys.push_back(kv.first.Scalar());
  EXPECT_EQ(keys, (std::vector<std::string>{"flow", "when", "steps"}));
  std::vector<std::string> items;
  for (const auto& item : keywords) items.push_back(item.Scalar());
  EXPECT_EQ(items, (std::vector<std::string>{"danke", "vielen dank"}));
}

TEST(YamlTreeTest, MissingKeysAndWrongShapesAreUndefinedNotErrors) {
  YamlDocument doc = Parse("a: text\nb: [1, 2]\n");
  EXPECT_FALSE(doc["missing"]);
  EXPECT_FALSE(doc["a"]["x"]);        // a scalar has no keys
  EXPECT_FALSE(doc["b"]["x"]);        // nor does a sequence
  EXPECT_FALSE(doc["b"][size_t{5}]);  // out of range
  EXPECT_FALSE(doc["missing"]["deeper"]);
  EXPECT_EQ(doc["b"].Scalar(), "");
  EXPECT_EQ(doc["missing"].size(), 0u);
  EXPECT_TRUE(doc["missing"].Mark().is_null());
  int visited = 0;
  for (const auto& item : doc["missing"]) visited += item.IsDefined();
  EXPECT_EQ(visited, 0);
}

TEST(YamlTreeTest, OnlyPlainNullWordsAreNull) {
  YamlDocument doc = Parse("a:\nb: ~\nc: null\nd: \"null\"\ne: ''\nf: nothing\n");
  EXPECT_TRUE(doc["a"].IsNull());
  EXPECT_TRUE(doc["b"].IsNull());
  EXPECT_TRUE(doc["c"].IsNull());
  EXPECT_TRUE(doc["d"].IsScalar());
  EXPECT_EQ(doc["d"].Scalar(), "null");
  EXPECT_TRUE(doc["e"].IsScalar());
  EXPECT_EQ(doc["e"].Scalar(), "");
  EXPECT_TRUE(doc["f"].IsScalar());
}

TEST(YamlTreeTest, AnEmptyTextIsANullDocument) {
  EXPECT_TRUE(Parse("").IsNull());
  EXPECT_TRUE(Parse("# only a comment\n").IsNull());
}

TEST(YamlTreeTest, ADuplicateKeyKeepsBothEntriesAndTheFirstAnswers) {
  YamlDocument doc = Parse("say: first\nsay: second\n");
  EXPECT_EQ(doc.size(), 2u);
  EXPECT_EQ(doc["say"].Scalar(), "first");
}

TEST(YamlTreeTest, OnlyTheFirstDocumentCounts) {
  YamlDocument doc = Parse("a: 1\n---\nb: [unclosed\n");
  EXPECT_EQ(doc["a"].Scalar(), "1");
  EXPECT_FALSE(doc["b"]);
}

TEST(YamlTreeTest, AliasesShareTheAnchoredNode) {
  YamlDocument doc = Parse("base: &words [hilfe, notruf]\nalso: *words\n");
  ASSERT_TRUE(doc["also"].IsSequence());
  EXPECT_EQ(doc["also"][size_t{1}].Scalar(), "notruf");
}

TEST(YamlTreeTest, ACollectionCannotContainItself) {
  // An alias inside its own anchor would make a cycle; it counts as undefined.
  YamlParse p = YamlParse::Of("a: &loop [1, *loop]\n");
  ASSERT_FALSE(p.document);
  EXPECT_EQ(p.error.kind, YamlError::Kind::kUndefinedAlias);
  EXPECT_EQ(p.error.message, "loop");
}

TEST(YamlTreeTest, DeepNestingIsRefusedAtOnce) {
  const std::string deep = "a: " + std::string(100000, '[') + std::string(100000, ']') + "\n";
  YamlParse p = YamlParse::Of(deep);
  ASSERT_FALSE(p.document);
  EXPECT_THAT(p.error.message, HasSubstr("nested more than 200 levels deep"));
  EXPECT_EQ(p.error.mark.line, 0);
  EXPECT_EQ(p.error.mark.column, 3 + 199);  // the 200th '[' below the top map
  // Nesting that real files use is fine.
  const std::string ok = "a: " + std::string(150, '[') + std::string(150, ']') + "\n";
  EXPECT_TRUE(YamlParse::Of(ok).document);
}

TEST(YamlTreeTest, ManyAliasesDoNotMultiplyTheTree) {
  // "Billion laughs": each level repeats the one before ten times.
  std::string text = "l0: &l0 [ha, ha, ha, ha, ha, ha, ha, ha, ha, ha]\n";
  for (int i = 1; i <= 9; ++i) {
    const std::string prev = "*l" + std::to_string(i - 1);
    text += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) text += prev + (j < 9 ? ", " : "");
    text += "]\n";
  }
  YamlDocument doc = Parse(text);
  EXPECT_EQ(doc["l9"].size(), 10u);
  // The canonical text stops growing instead of writing 10^10 words.
  EXPECT_LT(doc["l9"].Canonical().size(), 2u << 20);
}

TEST(YamlTreeTest, CanonicalIgnoresCommentsQuotingAndLayout) {
  YamlDocument a = Parse("server:\n  port: 8080  # the port\n  host: \"0.0.0.0\"\n");
  YamlDocument b = Parse("server: {port: '8080', host: 0.0.0.0}\n");
  YamlDocument c = Parse("server: {port: 8081, host: 0.0.0.0}\n");
  EXPECT_EQ(a["server"].Canonical(), b["server"].Canonical());
  EXPECT_NE(a["server"].Canonical(), c["server"].Canonical());
  // Structure cannot be imitated by a scalar's text.
  YamlDocument d = Parse("x: [a, b]\n");
  YamlDocument e = Parse("x: '[a, b]'\n");
  EXPECT_NE(d["x"].Canonical(), e["x"].Canonical());
}

// What staff see for the mistakes they make most (flows/README.md lists the same).
std::string ErrorFor(const std::string& text, SourceLocation* where = nullptr) {
  Diagnostics diags;
  auto doc = LoadYamlString(text, "f.yaml", diags);
  EXPECT_FALSE(doc);
  if (diags.all().empty()) return "";
  if (where) *where = diags.all()[0].where;
  return diags.all()[0].message;
}

TEST(YamlSourceTest, SyntaxErrorsNameThePlaceAndTheLikelyFix) {
  SourceLocation at;
  EXPECT_THAT(ErrorFor("steps:\n  - say: Frage: sonstiges\n", &at),
              HasSubstr("needs quotes, like \"Frage: sonstiges\""));
  EXPECT_EQ(at.line, 2);
  EXPECT_EQ(at.column, 15);  // the second ':'

  EXPECT_THAT(ErrorFor("steps:\n\t- say: x\n", &at), HasSubstr("a tab: indent with spaces only"));
  EXPECT_EQ(at.line, 2);
  EXPECT_EQ(at.column, 1);

  EXPECT_THAT(ErrorFor("when:\n  - keywords: [dieb, raub\nsteps: []\n"),
              HasSubstr("flow sequence that starts at line 2 (a list opened with '['"));
  EXPECT_THAT(ErrorFor("a: \"unclosed\nb: c\n"),
              HasSubstr("quoted scalar that starts at line 1 (a quote that is opened"));
  EXPECT_THAT(ErrorFor("a:\n  - ask: x\n    choices\n      - label: y\n"),
              HasSubstr("a key needs ':' after it"));
}

TEST(YamlSourceTest, AnUnquotedStarKeywordIsExplained) {
  SourceLocation at;
  EXPECT_THAT(ErrorFor("keywords: [*diebstahl, raub]\n", &at),
              HasSubstr("needs quotes: \"*diebstahl\""));
  EXPECT_EQ(at.line, 1);
  EXPECT_EQ(at.column, 12);
}

TEST(YamlSourceTest, TextThatIsNotUtf8IsFoundAtItsLine) {
  SourceLocation at;
  EXPECT_THAT(ErrorFor("a: ok\nb: caf\xe9\n", &at), HasSubstr("save the file as UTF-8"));
  EXPECT_EQ(at.line, 2);
  EXPECT_EQ(at.column, 7);
}

TEST(YamlSourceTest, NumbersAndYesNoAreReadStrictly) {
  Diagnostics diags;
  auto doc = LoadYamlString(
      "a: 42\nb: +7\nc: -3\nd: 4.5\ne: 99999999999\nf: yes\ng: Off\nh: maybe\n", "f.yaml", diags);
  ASSERT_TRUE(doc);
  YamlReader r("f.yaml", diags);
  EXPECT_EQ(r.Int((*doc)["a"], "n"), 42);
  EXPECT_EQ(r.Int((*doc)["b"], "n"), 7);
  EXPECT_EQ(r.Int((*doc)["c"], "n"), -3);
  EXPECT_EQ(r.Int((*doc)["d"], "n"), std::nullopt);
  EXPECT_EQ(r.Int((*doc)["e"], "n"), std::nullopt);  // does not fit an int
  EXPECT_EQ(r.Bool((*doc)["f"], "b"), true);
  EXPECT_EQ(r.Bool((*doc)["g"], "b"), false);
  EXPECT_EQ(r.Bool((*doc)["h"], "b"), std::nullopt);
  EXPECT_EQ(diags.error_count(), 3);
}

}  // namespace
}  // namespace wache::bot
