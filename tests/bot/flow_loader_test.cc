// Flow loader: flows/*.yaml into a FlowSet; every structural problem is a diagnostic with
// file:line:col, and loading goes on after the first problem.
#include "bot/flow_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "bot/matcher.h"
#include "bot/templates.h"

namespace wache::bot {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct Loaded {
  FlowSet set;
  Diagnostics diags;
};

std::unique_ptr<Loaded> Load(const std::string& yaml, const std::string& name = "f.yaml") {
  auto out = std::make_unique<Loaded>();
  LoadFlowString(yaml, name, out->set, out->diags);
  return out;
}

const char kGood[] = R"(flow: applicant
description: Applying to the police.
priority: normal
flags: [recruiting, info]
max_replies: 3
when:
  - keywords:
      de: [bewerbung, "polizist werden"]
      any: [karriere]
    except: { de: ["keine bewerbung"] }
  - start_at: tattoos
    keywords: [tattoo*]
    patterns: ['\btattoos?\b']
    raw_patterns: ['[0-9]+ cm']
steps:
  - id: menu
    ask: applicant.menu
    choices:
      - { label: applicant.btn_tattoos, next: tattoos }
      - label: common.btn_done
        id: done
        end: true
        keywords: { de: [nein], en: [no] }
      - { label: menu.btn_report, flow: online_report }
    if_not_understood: { say: common.please_pick, ask_again: 1, then: tattoos }
  - id: tattoos
    say: applicant.tattoos
    handover: true
    next: menu
)";

TEST(FlowLoaderTest, GoodFlowLoadsEveryFieldWithoutDiagnostics) {
  auto l = Load(kGood, "applicant.yaml");
  EXPECT_EQ(l->diags.Format(), "");
  ASSERT_EQ(l->set.flows.size(), 1u);
  const Flow& f = l->set.flows[0];
  EXPECT_EQ(f.name, "applicant");
  EXPECT_EQ(f.description, "Applying to the police.");
  EXPECT_EQ(f.priority, Priority::kNormal);
  EXPECT_THAT(f.flags, ElementsAre("recruiting", "info"));
  EXPECT_EQ(f.max_replies, 3);
  EXPECT_EQ(f.where.line, 1);

  ASSERT_EQ(f.triggers.size(), 2u);
  const Trigger& t0 = f.triggers[0];
  ASSERT_EQ(t0.keywords.size(), 3u);
  EXPECT_EQ(t0.keywords[0].text, "bewerbung");
  EXPECT_EQ(t0.keywords[0].language, "de");
  EXPECT_EQ(t0.keywords[1].text, "polizist werden");
  EXPECT_EQ(t0.keywords[2].text, "karriere");
  EXPECT_EQ(t0.keywords[2].language, "");  // "any"
  EXPECT_EQ(t0.keywords[0].where.line, 8);
  ASSERT_EQ(t0.except.size(), 1u);
  EXPECT_EQ(t0.except[0].text, "keine bewerbung");
  const Trigger& t1 = f.triggers[1];
  EXPECT_EQ(t1.start_at, "tattoos");
  ASSERT_EQ(t1.patterns.size(), 1u);
  EXPECT_EQ(t1.patterns[0].regex, "\\btattoos?\\b");
  EXPECT_EQ(t1.patterns[0].where.line, 13);
  ASSERT_EQ(t1.raw_patterns.size(), 1u);

  ASSERT_EQ(f.steps.size(), 2u);
  const Step& menu = f.steps[0];
  EXPECT_TRUE(menu.is_ask());
  ASSERT_EQ(menu.choices.size(), 3u);
  EXPECT_EQ(menu.choices[0].id, "applicant.btn_tattoos");  // id defaults to the label key
  EXPECT_EQ(menu.choices[0].next.step, "tattoos");
  EXPECT_EQ(menu.choices[1].id, "done");
  EXPECT_TRUE(menu.choices[1].next.end);
  EXPECT_EQ(menu.choices[1].keywords.size(), 2u);
  EXPECT_EQ(menu.choices[2].next.flow, "online_report");
  EXPECT_TRUE(menu.has_if_not_understood);
  EXPECT_EQ(menu.if_not_understood.say, "common.please_pick");
  EXPECT_EQ(menu.if_not_understood.ask_again, 1);
  EXPECT_EQ(menu.if_not_understood.then.step, "tattoos");
  const Step& tattoos = f.steps[1];
  EXPECT_EQ(tattoos.say, "applicant.tattoos");
  EXPECT_TRUE(tattoos.handover);
  EXPECT_EQ(tattoos.next.step, "menu");
  EXPECT_EQ(tattoos.where.line, 26);
}

TEST(FlowLoaderTest, SingleTriggerMayBeWrittenWithoutList) {
  auto l = Load(
      "flow: emergency\npriority: interrupt\nwhen:\n  keywords: [hilfe]\n"
      "steps:\n  - say: x\n");
  EXPECT_EQ(l->diags.Format(), "");
  ASSERT_EQ(l->set.flows[0].triggers.size(), 1u);
  EXPECT_EQ(l->set.flows[0].priority, Priority::kInterrupt);
}

TEST(FlowLoaderTest, EmptyInputIsAnErrorAtLineOne) {
  for (const char* text : {"", "# only a comment\n"}) {
    auto l = Load(text, "empty.yaml");
    EXPECT_EQ(l->diags.error_count(), 1) << "input: " << text;
    EXPECT_THAT(l->diags.Format(), HasSubstr("empty.yaml:1:1: error: empty flow file"));
    EXPECT_TRUE(l->set.flows.empty());
  }
}

TEST(FlowLoaderTest, YamlSyntaxErrorIsReportedWithItsPosition) {
  auto l = Load("flow: x\nsteps:\n  - say: [unclosed\n", "broken.yaml");
  ASSERT_EQ(l->diags.error_count(), 1);
  const Diagnostic& d = l->diags.all()[0];
  EXPECT_THAT(d.message, HasSubstr("YAML syntax"));
  EXPECT_EQ(d.where.file, "broken.yaml");
  EXPECT_GE(d.where.line, 3);
  EXPECT_GT(d.where.column, 0);
  EXPECT_TRUE(l->set.flows.empty());
}

TEST(FlowLoaderTest, AllOfWithOneGroupGetsOneMessageNotTwoThatContradict) {
  auto l = Load("flow: x\nwhen:\n  all_of:\n    - [gerade, jetzt]\nsteps:\n  - say: a\n");
  EXPECT_EQ(l->diags.error_count(), 1) << l->diags.Format();
  EXPECT_THAT(l->diags.Format(), HasSubstr("all_of: is a list of at least two keyword groups"));
}

TEST(FlowLoaderTest, StationsListTheStationsThatHaveTheFlow) {
  auto l = Load("flow: x\nstations: [koeln, bonn]\nwhen: { keywords: [a] }\nsteps:\n  - say: a\n");
  EXPECT_EQ(l->diags.Format(), "");
  ASSERT_EQ(l->set.flows.size(), 1u);
  const Flow& f = l->set.flows[0];
  EXPECT_TRUE(f.Serves("bonn"));
  EXPECT_FALSE(f.Serves("dortmund"));
  EXPECT_EQ(f.stations_where.line, 2);
}

TEST(FlowLoaderTest, UnknownKeyNamesItsPositionAndTheLikelyKey) {
  auto l = Load("flow: x\nstpes:\n  - say: a\n", "typo.yaml");
  EXPECT_THAT(l->diags.Format(),
              HasSubstr("typo.yaml:2:1: error: unknown key 'stpes' in a flow (did you mean "
                        "'steps'?)"));
}

TEST(FlowLoaderTest, UnknownKeyWithoutCloseMatchListsTheAllowedKeys) {
  auto l = Load("flow: x\nsteps:\n  - say: a\n    colour: blue\n");
  EXPECT_THAT(l->diags.Format(),
              HasSubstr("f.yaml:4:5: error: unknown key 'colour' in a step (allowed: id, say, "
                        "ask,"));
}

TEST(FlowLoaderTest, UnknownPriorityGetsDidYouMean) {
  auto l = Load("flow: x\npriority: interupt\nsteps:\n  - say: a\n");
  EXPECT_THAT(l->diags.Format(),
              HasSubstr("f.yaml:2:11: error: unknown priority 'interupt' (did you mean "
                        "'interrupt'?)"));
}

TEST(FlowLoaderTest, KeywordLanguageMustBeATwoLetterCode) {
  auto l = Load("flow: x\nwhen:\n  keywords: { german: [hallo] }\nsteps:\n  - say: a\n");
  EXPECT_THAT(l->diags.Format(), HasSubstr("f.yaml:3:15: error: 'german' is not a language code"));
}

TEST(FlowLoaderTest, KeywordWithoutAnyLetterOrDigitIsAnError) {
  auto blank = Load("flow: x\nwhen:\n  keywords: [\"*\"]\nsteps:\n  - say: a\n");
  EXPECT_THAT(blank->diags.Format(), HasSubstr("f.yaml:3:14: error: empty keyword"));
  auto emoji =
      Load("flow: x\nwhen:\n  keywords:\n    - \"🚨\"\n    - \"!!!\"\nsteps:\n  - say: a\n");
  EXPECT_THAT(emoji->diags.Format(), HasSubstr("f.yaml:4:7: error:"));
  EXPECT_THAT(emoji->diags.Format(), HasSubstr("f.yaml:5:7: error:"));
}

TEST(FlowLoaderTest, WrongValueTypesAreReportedNotThrown) {
  auto l = Load("flow: [a, b]\nmax_replies: many\nsteps:\n  - say: a\n    handover: maybe\n");
  std::string out = l->diags.Format();
  EXPECT_THAT(out, HasSubstr("f.yaml:1:7: error: expected the flow name"));
  EXPECT_THAT(out, HasSubstr("f.yaml:2:14: error: expected max_replies (a whole number)"));
  EXPECT_THAT(out, HasSubstr("f.yaml:5:15: error: expected handover (true or false)"));
}

TEST(FlowLoaderTest, StructuralMistakesInStepsAreAllReported) {
  auto l = Load(R"(flow: x
steps:
  - say: a
    ask: b
    choices:
      - { label: c, next: y }
  - ask: q
  - ask: q2
    choices:
      - { label: c }
      - { label: d, next: y, end: true }
    next: y
  - say: s
    if_not_understood: { ask_again: 9 }
  - id: y
)");
  std::string out = l->diags.Format();
  EXPECT_THAT(out, HasSubstr("f.yaml:3:5: error: a step either says or asks"));
  EXPECT_THAT(out, HasSubstr("f.yaml:7:5: error: 'ask:' needs 'choices:'"));
  EXPECT_THAT(out, HasSubstr("f.yaml:10:9: error: choice 'c' leads nowhere"));
  EXPECT_THAT(out, HasSubstr("f.yaml:11:9: error: use only one of 'next:', 'flow:' and 'end:'"));
  EXPECT_THAT(out, HasSubstr("f.yaml:8:5: error: an 'ask:' step continues through its choices"));
  EXPECT_THAT(out, HasSubstr("f.yaml:14:24: error: 'if_not_understood:' only makes sense"));
  EXPECT_THAT(out, HasSubstr("f.yaml:14:37: error: ask_again must be between 0 and 5"));
  EXPECT_THAT(out, HasSubstr("f.yaml:15:5: error: step does nothing"));
  // The broken flow is still loaded as far as it could be read.
  ASSERT_EQ(l->set.flows.size(), 1u);
  EXPECT_EQ(l->set.flows[0].steps.size(), 5u);
  EXPECT_EQ(l->set.flows[0].steps[3].if_not_understood.ask_again, 5);  // clamped
}

TEST(FlowLoaderTest, ChoicesOnASayStepSuggestAsk) {
  auto l = Load("flow: x\nsteps:\n  - say: q\n    choices:\n      - { label: c, end: true }\n");
  EXPECT_THAT(l->diags.Format(), HasSubstr("did you mean 'ask: q'?"));
}

TEST(FlowLoaderTest, MissingFlowNameFallsBackToFileNameAndIsAnError) {
  auto l = Load("steps:\n  - say: a\n", "flows/thanks.yaml");
  EXPECT_THAT(l->diags.Format(), HasSubstr("missing 'flow: <name>'"));
  ASSERT_EQ(l->set.flows.size(), 1u);
  EXPECT_EQ(l->set.flows[0].name, "thanks");
}

TEST(FlowLoaderTest, FlowWithoutStepsAndTriggerWithoutWordsAreErrors) {
  auto l = Load("flow: x\nwhen:\n  - start_at: a\n");
  std::string out = l->diags.Format();
  EXPECT_THAT(out, HasSubstr("f.yaml:1:7: error: flow 'x' has no steps"));
  EXPECT_THAT(out, HasSubstr("f.yaml:3:5: error: this trigger has no keywords:"));
}

TEST(FlowLoaderTest, NonMapFileIsAnError) {
  auto l = Load("- just\n- a list\n");
  EXPECT_THAT(l->diags.Format(), HasSubstr("f.yaml:1:1: error: a flow file is a map"));
  EXPECT_TRUE(l->set.flows.empty());
}

TEST(FlowLoaderTest, InvalidRe2PatternIsReportedWithItsLine) {
  auto l = Load("flow: x\nwhen:\n  patterns:\n    - 'ok'\n    - '(a)\\1'\nsteps:\n  - say: a\n",
                "re.yaml");
  ASSERT_EQ(l->diags.Format(), "");
  TemplateSet templates;
  auto m = Matcher::Build(l->set, templates, l->diags);
  ASSERT_EQ(l->diags.error_count(), 1);
  EXPECT_THAT(l->diags.Format(), HasSubstr("re.yaml:5:7: error: invalid RE2 pattern"));
  EXPECT_THAT(l->diags.Format(), HasSubstr("no look-ahead or back-references"));
}

TEST(FlowLoaderTest, KeywordWithoutLettersOrDigitsIsAnErrorInAnyScript) {
  // Emoji and punctuation are ignored by matching, so such a keyword could never match;
  // words in other scripts (no ASCII letter to go by) are still words.
  auto l = Load(
      "flow: x\nwhen:\n  keywords: ['\U0001F6A8\U0001F6A8', '!!!', 'помощь', "
      "'\U0001F4A5 hilfe', 'a']\nsteps:\n  - say: a\n",
      "kw.yaml");
  EXPECT_EQ(l->diags.error_count(), 2);
  EXPECT_THAT(l->diags.Format(), HasSubstr("kw.yaml:3:14: error: keyword '\U0001F6A8\U0001F6A8' "
                                           "has no letters or digits"));
  EXPECT_THAT(l->diags.Format(), HasSubstr("keyword '!!!' has no letters or digits"));
}

TEST(FlowLoaderTest, LoadFlowDirLoadsYamlFilesInNameOrder) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(testing::TempDir()) / "wache_flow_loader_dir";
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& flow) {
    std::ofstream(dir / name) << "flow: " << flow << "\nsteps:\n  - say: a\n";
  };
  write("b.yaml", "second");
  write("a.yml", "first");
  write("notes.txt", "ignored");
  Diagnostics diags;
  FlowSet set = LoadFlowDir(dir.string(), diags);
  EXPECT_EQ(diags.Format(), "");
  EXPECT_THAT(set.Names(), ElementsAre("first", "second"));
  fs::remove_all(dir);
}

TEST(FlowLoaderTest, MissingFolderOrFileIsReported) {
  Diagnostics diags;
  LoadFlowDir("/nonexistent/wache/flows", diags);
  FlowSet set;
  LoadFlowFile("/nonexistent/wache/x.yaml", set, diags);
  std::string out = diags.Format();
  EXPECT_THAT(out, HasSubstr("/nonexistent/wache/flows: error: flow folder not found"));
  EXPECT_THAT(out, HasSubstr("/nonexistent/wache/x.yaml: error: cannot read file"));
}

}  // namespace
}  // namespace wache::bot
