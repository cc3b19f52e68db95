// Matcher: which flow a message triggers, and which choice an answer picks.
#include "bot/matcher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "bot/flow_loader.h"
#include "bot/playbook.h"
#include "bot/templates.h"

namespace wache::bot {
namespace {

// Flows and templates from YAML strings; fails the test on any load problem.
std::shared_ptr<const Playbook> Build(const std::vector<std::string>& flows,
                                      const std::string& de = "", const std::string& en = "") {
  Diagnostics diags;
  FlowSet set;
  for (size_t i = 0; i < flows.size(); ++i) {
    LoadFlowString(flows[i], "flow" + std::to_string(i) + ".yaml", set, diags);
  }
  TemplateSet templates;
  if (!de.empty()) templates.LoadString(de, "de.yaml", "de", diags);
  if (!en.empty()) templates.LoadString(en, "en.yaml", "en", diags);
  auto pb = Playbook::FromParts(std::move(set), std::move(templates), diags);
  EXPECT_EQ(diags.Format(), "");
  return pb;
}

std::string FlowYaml(const std::string& name, const std::string& priority,
                     const std::string& when) {
  return "flow: " + name + "\npriority: " + priority + "\nwhen:\n" + when +
         "\nsteps:\n  - say: x\n";
}

// Name of the best flow of priority `p` for `text`, "" if none.
std::string Best(const Playbook& pb, const std::string& text, Priority p = Priority::kNormal) {
  auto hits = pb.matcher->Match(p, Normalize(text), text);
  return hits.empty() ? "" : hits.front().flow->name;
}

// Names of all interrupt flows that match `text`, sorted.
std::vector<std::string> InterruptFlows(const Playbook& pb, const std::string& text) {
  std::vector<std::string> out;
  for (const auto& m : pb.matcher->Match(Priority::kInterrupt, Normalize(text), text)) {
    out.push_back(m.flow->name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(MatcherTest, KeywordMatchesWholeWordsOnly) {
  auto pb = Build({FlowYaml("bike", "normal", "  keywords: [rad]")});
  EXPECT_EQ(Best(*pb, "Mein Rad ist weg"), "bike");
  EXPECT_EQ(Best(*pb, "Ich höre Radio"), "");
  EXPECT_EQ(Best(*pb, "Fahrrad weg"), "");
}

TEST(MatcherTest, KeywordWithUmlautMatchesBothSpellingsWithoutUmlaut) {
  auto pb = Build({FlowYaml("robbery", "normal", "  keywords: [überfall]")});
  EXPECT_EQ(Best(*pb, "Überfall!"), "robbery");
  EXPECT_EQ(Best(*pb, "ueberfall"), "robbery");
  EXPECT_EQ(Best(*pb, "uberfall"), "robbery");
}

TEST(MatcherTest, WildcardMatchesPartOfAWordOnItsSide) {
  auto pb = Build({FlowYaml("knife", "normal", "  keywords: [\"messer*\"]"),
                   FlowYaml("theft", "normal", "  keywords: [\"*diebstahl\"]")});
  EXPECT_EQ(Best(*pb, "ein Messerangriff"), "knife");
  EXPECT_EQ(Best(*pb, "Taschenmesser"), "");
  EXPECT_EQ(Best(*pb, "Fahrraddiebstahl melden"), "theft");
  EXPECT_EQ(Best(*pb, "Diebstahlschutz"), "");
}

TEST(MatcherTest, LongWordsMatchWithOneTypoIfTheFirstLetterIsRight) {
  auto pb = Build({FlowYaml("applicant", "normal", "  keywords: [bewerbung]")});
  EXPECT_EQ(Best(*pb, "bewebung"), "applicant");    // letter missing
  EXPECT_EQ(Best(*pb, "bewerbnug"), "applicant");   // letters swapped
  EXPECT_EQ(Best(*pb, "bewerbungg"), "applicant");  // letter extra
  EXPECT_EQ(Best(*pb, "gewerbung"), "");            // first letter wrong
  EXPECT_EQ(Best(*pb, "bewrbng"), "");              // two typos
  EXPECT_EQ(Best(*pb, "bewerbing"), "applicant");   // letter wrong
  EXPECT_EQ(Best(*pb, "bewerbun"), "applicant");    // last letter missing
  EXPECT_EQ(Best(*pb, "bwerbung"), "applicant");    // second letter missing
  EXPECT_EQ(Best(*pb, "bewerbugn"), "applicant");   // last two swapped
  EXPECT_EQ(Best(*pb, "bewrebnug"), "");            // two swaps
  EXPECT_EQ(Best(*pb, "bewerbungen2"), "");         // two extra
  EXPECT_EQ(Best(*pb, "bewerbnugg"), "");           // a swap and an extra letter
}

TEST(MatcherTest, OneTypoMeansOneLetterInCyrillicToo) {
  auto pb = Build({FlowYaml("emergency", "interrupt", "  keywords: [помогите]")});
  EXPECT_EQ(Best(*pb, "помогте", Priority::kInterrupt), "emergency");   // letter missing
  EXPECT_EQ(Best(*pb, "помгоите", Priority::kInterrupt), "emergency");  // letters swapped
  EXPECT_EQ(Best(*pb, "вомогите", Priority::kInterrupt), "");           // first letter wrong
}

TEST(MatcherTest, ShortWordsMustMatchExactly) {
  auto pb = Build({FlowYaml("knife", "normal", "  keywords: [messer]")});
  EXPECT_EQ(Best(*pb, "messer"), "knife");
  EXPECT_EQ(Best(*pb, "besser"), "");
  EXPECT_EQ(Best(*pb, "meser"), "");
}

TEST(MatcherTest, PhraseMatchesOnlyConsecutiveWords) {
  auto pb = Build({FlowYaml("applicant", "normal", "  keywords: [\"polizist werden\"]")});
  EXPECT_EQ(Best(*pb, "Ich will Polizist werden"), "applicant");
  EXPECT_EQ(Best(*pb, "Polizist will ich werden"), "");
}

TEST(MatcherTest, ExceptPhraseMakesKeywordHarmless) {
  auto pb =
      Build({FlowYaml("emergency", "interrupt", "  keywords: [hilfe]\n  except: [\"hilfe bei\"]")});
  EXPECT_EQ(Best(*pb, "Ich brauche Hilfe bei der Bewerbung", Priority::kInterrupt), "");
  EXPECT_EQ(Best(*pb, "Hilfe!", Priority::kInterrupt), "emergency");
}

TEST(MatcherTest, TheSamePatternInTwoFlowsIsSearchedOnTheTextEachOneSees) {
  // Both flows have the same pattern, so a search is remembered within one Match call; but
  // the second flow's except phrase cuts "hilfe bei" out of the text its pattern sees, and
  // the remembered answer of the first flow must not count for it.
  auto pb = Build({FlowYaml("any_help", "interrupt", "  patterns: ['\\bhilfe\\b.*\\bjetzt\\b']"),
                   FlowYaml("urgent_help", "interrupt",
                            "  patterns: ['\\bhilfe\\b.*\\bjetzt\\b']\n"
                            "  except: [\"hilfe bei\"]")});
  auto names = [&](const std::string& text) { return InterruptFlows(*pb, text); };
  EXPECT_EQ(names("Hilfe bei der Bewerbung, jetzt gleich"), std::vector<std::string>{"any_help"});
  EXPECT_EQ(names("Hilfe, er ist jetzt da"), (std::vector<std::string>{"any_help", "urgent_help"}));
  EXPECT_TRUE(names("Frage zur Bewerbung").empty());
}

TEST(MatcherTest, KeywordsThatStartAlikeInTwoFlowsAreFoundWhereEachOneLooks) {
  // Where "hilfe" matches is remembered within one Match call for every keyword that starts
  // with it; each flow still applies its own except phrase and its own following words.
  const std::vector<std::string> flows = {
      FlowYaml("any_help", "interrupt", "  keywords: [hilfe, \"hilfe sofort\"]"),
      FlowYaml("urgent_help", "interrupt",
               "  keywords: [\"hilfe jetzt\", hilfe]\n  except: [\"hilfe bei\"]"),
      FlowYaml("typo_help", "interrupt", "  keywords: [\"hilfeschrei*\", \"hilfeschreie jetzt\"]")};
  for (bool reversed : {false, true}) {
    // Both orders: the first flow's search must not decide the second's.
    std::vector<std::string> in_order = flows;
    if (reversed) std::reverse(in_order.begin(), in_order.end());
    auto pb = Build(in_order);
    auto names = [&](const std::string& text) { return InterruptFlows(*pb, text); };
    EXPECT_EQ(names("Hilfe bei der Bewerbung"), std::vector<std::string>{"any_help"});
    EXPECT_EQ(names("hilfe bei der bewerbung, hilfe jetzt"),
              (std::vector<std::string>{"any_help", "urgent_help"}));
    EXPECT_EQ(names("ich hoere hilfeschreie jetzt"), std::vector<std::string>{"typo_help"});
    EXPECT_TRUE(names("Frage zur Bewerbung").empty());
    // Past 64 words nothing is remembered; the keyword is still found at the end.
    std::string long_text;
    for (int i = 0; i < 70; ++i) long_text += "wort ";
    EXPECT_EQ(names(long_text + "hilfe bei mir, hilfe jetzt"),
              (std::vector<std::string>{"any_help", "urgent_help"}));
    EXPECT_EQ(names(long_text + "hilfe bei mir"), std::vector<std::string>{"any_help"});
    EXPECT_EQ(names(long_text + "hilfeschreie"), std::vector<std::string>{"typo_help"});
  }
}

TEST(MatcherTest, EachPriorityIsMatchedWithTheFirstWordsOfItsOwnFlows) {
  // "messer" starts an exact keyword of the interrupt flow and a prefix keyword of the normal
  // one; the first tokens of a message are worked out per priority, with one shared table.
  auto pb = Build({FlowYaml("knife", "interrupt", "  keywords: [messer, \"*angriff\"]"),
                   FlowYaml("knife_topics", "normal", "  keywords: [\"messer*\", verbotszone]")});
  EXPECT_EQ(Best(*pb, "Messerverbot in der Innenstadt?"), "knife_topics");
  EXPECT_EQ(Best(*pb, "Messerverbot in der Innenstadt?", Priority::kInterrupt), "");
  EXPECT_EQ(Best(*pb, "er hat ein messer", Priority::kInterrupt), "knife");
  EXPECT_EQ(Best(*pb, "er hat ein messer"), "knife_topics");
  EXPECT_EQ(Best(*pb, "ein Messerangriff", Priority::kInterrupt), "knife");
  EXPECT_EQ(Best(*pb, "verbotszonen in koeln"), "knife_topics");  // one typo, 11 letters
  EXPECT_EQ(Best(*pb, "verbotszonen in koeln", Priority::kInterrupt), "");
}

// A thread other than the builder searches with copies of its own; a thread that shares
// the compiled patterns (the webhook server's connection threads) keeps none, and finds the
// same.
TEST(MatcherTest, OnlyThreadsThatDoNotShareThePatternsKeepCopiesOfThem) {
  auto pb = Build({FlowYaml("emergency", "interrupt", "  patterns: ['\\bhilfe\\b.*\\bjetzt\\b']")});
  const std::string text = "Hilfe, er ist jetzt da";
  size_t own_copies = 0, shared_copies = 0;
  std::string own_best, shared_best;
  std::thread own([&] {
    own_best = Best(*pb, text, Priority::kInterrupt);
    own_copies = pb->matcher->PatternCopiesOnThisThread();
  });
  own.join();
  std::thread shared([&] {
    Matcher::ShareCompiledPatternsOnThisThread();
    shared_best = Best(*pb, text, Priority::kInterrupt);
    shared_copies = pb->matcher->PatternCopiesOnThisThread();
  });
  shared.join();
  EXPECT_EQ(own_best, "emergency");
  EXPECT_EQ(shared_best, "emergency");
  EXPECT_EQ(own_copies, 1u);
  EXPECT_EQ(shared_copies, 0u);
}

TEST(MatcherTest, ExceptPhraseMasksOnlyItsOwnOccurrence) {
  auto pb =
      Build({FlowYaml("emergency", "interrupt", "  keywords: [hilfe]\n  except: [\"hilfe bei\"]")});
  EXPECT_EQ(Best(*pb, "hilfe bei der bewerbung, nein, HILFE jetzt", Priority::kInterrupt),
            "emergency");
}

TEST(MatcherTest, ExceptPhraseAlsoHidesWordsFromPatterns) {
  auto pb = Build({FlowYaml("emergency", "interrupt",
                            "  patterns: ['\\bhilfe\\b']\n  except: [\"hilfe bei\"]")});
  EXPECT_EQ(Best(*pb, "hilfe bei der bewerbung", Priority::kInterrupt), "");
  EXPECT_EQ(Best(*pb, "hilfe", Priority::kInterrupt), "emergency");
}

TEST(MatcherTest, MatchReturnsOnlyFlowsOfTheRequestedPriority) {
  auto pb = Build({FlowYaml("emergency", "interrupt", "  keywords: [messer]"),
                   FlowYaml("report", "normal", "  keywords: [messer]")});
  EXPECT_EQ(Best(*pb, "messer", Priority::kInterrupt), "emergency");
  EXPECT_EQ(Best(*pb, "messer", Priority::kNormal), "report");
  EXPECT_EQ(Best(*pb, "messer", Priority::kNotice), "");
}

TEST(MatcherTest, LongerPhraseWinsOverShorterKeyword) {
  auto pb = Build({FlowYaml("report", "normal", "  keywords: [anzeige]"),
                   FlowYaml("applicant", "normal", "  keywords: [\"anzeige zur bewerbung\"]")});
  auto hits = pb->matcher->Match(Priority::kNormal, Normalize("Anzeige zur Bewerbung"), "");
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].flow->name, "applicant");
  EXPECT_EQ(hits[1].flow->name, "report");
  EXPECT_GT(hits[0].score, hits[1].score);
}

TEST(MatcherTest, TriggerWithStartAtWinsInsideItsFlow) {
  auto pb =
      Build({"flow: applicant\n"
             "when:\n"
             "  - keywords: [\"bewerbung mit tattoo\"]\n"
             "  - start_at: tattoos\n"
             "    keywords: [tattoo]\n"
             "steps:\n  - say: x\n  - id: tattoos\n    say: y\n"});
  auto hits = pb->matcher->Match(Priority::kNormal, Normalize("Bewerbung mit Tattoo"), "");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].trigger->start_at, "tattoos");
}

TEST(MatcherTest, ReportsTheLanguageOfTheMatchedKeyword) {
  auto pb =
      Build({FlowYaml("applicant", "normal", "  keywords: { de: [bewerbung], en: [apply] }")});
  auto en = pb->matcher->Match(Priority::kNormal, Normalize("How do I apply?"), "");
  ASSERT_EQ(en.size(), 1u);
  EXPECT_EQ(en[0].language, "en");
  EXPECT_EQ(en[0].matched, "apply");
  auto de = pb->matcher->Match(Priority::kNormal, Normalize("Bewerbung"), "");
  ASSERT_EQ(de.size(), 1u);
  EXPECT_EQ(de[0].language, "de");
}

TEST(MatcherTest, PatternRunsOnNormalizedTextIgnoringCase) {
  auto pb = Build({FlowYaml("greeting", "normal", "  patterns: ['^(Hallo|hi)( zusammen)?$']")});
  EXPECT_EQ(Best(*pb, "HALLO zusammen!!!"), "greeting");
  EXPECT_EQ(Best(*pb, "Hallo, mein Rad ist weg"), "");
}

TEST(MatcherTest, RawPatternSeesTheTextAsTyped) {
  auto pb =
      Build({FlowYaml("personal_data", "notice", "  raw_patterns: ['[a-z]+@[a-z]+\\.[a-z]{2,}']")});
  EXPECT_EQ(Best(*pb, "schreibt mir an max@example.org", Priority::kNotice), "personal_data");
  EXPECT_EQ(Best(*pb, "schreibt mir an max example org", Priority::kNotice), "");
}

TEST(MatcherTest, RawPatternIsCaseSensitiveUnlessItSaysOtherwise) {
  auto pb = Build(
      {FlowYaml("plate", "notice", "  raw_patterns: ['\\b[A-Z]{2}[0-9]{2}\\b']"),
       FlowYaml("plate_any_case", "normal", "  raw_patterns: ['(?i)\\b[A-Z]{2}[0-9]{2}\\b']")});
  EXPECT_EQ(Best(*pb, "Kennzeichen AB12", Priority::kNotice), "plate");
  EXPECT_EQ(Best(*pb, "ab12", Priority::kNotice), "");
  EXPECT_EQ(Best(*pb, "ab12", Priority::kNormal), "plate_any_case");
}

TEST(MatcherTest, AllOfNeedsEveryGroupSomewhereInTheMessage) {
  auto pb = Build(
      {FlowYaml("emergency", "interrupt", "  all_of: [ [gerade, jetzt], [schlägt, tritt] ]")});
  EXPECT_EQ(Best(*pb, "Er tritt sie gerade", Priority::kInterrupt), "emergency");
  EXPECT_EQ(Best(*pb, "jetzt schlaegt er zu", Priority::kInterrupt), "emergency");
  EXPECT_EQ(Best(*pb, "ich bin gerade zuhause", Priority::kInterrupt), "");
  EXPECT_EQ(Best(*pb, "er tritt gegen den ball", Priority::kInterrupt), "");
}

TEST(MatcherTest, TwoPiecesOfEvidenceBeatOneLongerKeyword) {
  auto pb = Build({FlowYaml("station", "normal", "  keywords: [polizeiwache]"),
                   FlowYaml("report", "normal", "  keywords: [anzeige, diebstahl]")});
  EXPECT_EQ(Best(*pb, "Anzeige wegen Diebstahl auf der Polizeiwache"), "report");
  EXPECT_EQ(Best(*pb, "Anzeige auf der Polizeiwache"), "station");
}

TEST(MatcherTest, OverlappingKeywordsAreCountedOnce) {
  auto pb = Build({FlowYaml("both", "normal", "  keywords: [anzeige, \"anzeige erstatten\"]"),
                   FlowYaml("phrase", "normal", "  keywords: [\"anzeige erstatten\"]")});
  auto hits = pb->matcher->Match(Priority::kNormal, Normalize("Anzeige erstatten"), "");
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].score, hits[1].score);
  EXPECT_EQ(hits[0].flow->name, "both");  // equal: file order
}

TEST(MatcherTest, CommonWordIsNotTakenForATypoOfAKeyword) {
  auto pb = Build({FlowYaml("robbery", "normal", "  keywords: [überfall]")});
  EXPECT_EQ(Best(*pb, "Das steht überall"), "");
  EXPECT_EQ(Best(*pb, "ein ueberfal"), "robbery");  // a real typo still matches
}

TEST(MatcherTest, InvalidPatternIsReportedAndSkipped) {
  Diagnostics diags;
  FlowSet set;
  LoadFlowString(FlowYaml("bad", "normal", "  patterns: ['(?=look)ahead', 'ok']"), "bad.yaml", set,
                 diags);
  TemplateSet no_templates;
  auto m = Matcher::Build(set, no_templates, diags);
  ASSERT_EQ(diags.error_count(), 1);
  EXPECT_NE(diags.all()[0].message.find("invalid RE2 pattern"), std::string::npos);
  auto hits = m->Match(Priority::kNormal, Normalize("ok"), "ok");
  ASSERT_EQ(hits.size(), 1u);  // the valid pattern still works
}

TEST(MatcherTest, TheSameInvalidPatternInTwoFilesIsReportedInEach) {
  // The pattern is compiled once for both files; each place it is written at gets its error.
  Diagnostics diags;
  FlowSet set;
  LoadFlowString(FlowYaml("one", "normal", "  patterns: ['(?=look)ahead']"), "one.yaml", set,
                 diags);
  LoadFlowString(FlowYaml("two", "normal", "  patterns: [x, '(?=look)ahead']"), "two.yaml", set,
                 diags);
  TemplateSet no_templates;
  auto m = Matcher::Build(set, no_templates, diags);
  ASSERT_EQ(diags.error_count(), 2);
  EXPECT_EQ(diags.all()[0].where.file, "one.yaml");
  EXPECT_EQ(diags.all()[1].where.file, "two.yaml");
  for (const auto& d : diags.all()) EXPECT_NE(d.message.find("invalid RE2"), std::string::npos);
  EXPECT_EQ(m->Match(Priority::kNormal, Normalize("x"), "x").size(), 1u);
}

TEST(MatcherTest, TheSameRegexAsPatternAndAsRawPatternKeepsEachCaseRule) {
  // Compiled patterns are shared by regex and case rule: the raw one must stay
  // case-sensitive although the same text is a case-blind pattern in another flow.
  auto pb = Build({FlowYaml("any_case", "normal", "  patterns: ['\\bAB12\\b']"),
                   FlowYaml("upper_case", "normal", "  raw_patterns: ['\\bAB12\\b']")});
  auto names = [&](const std::string& text) {
    std::vector<std::string> out;
    for (const auto& m : pb->matcher->Match(Priority::kNormal, Normalize(text), text)) {
      out.push_back(m.flow->name);
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(names("ab12"), std::vector<std::string>{"any_case"});
  EXPECT_EQ(names("AB12"), (std::vector<std::string>{"any_case", "upper_case"}));
}

TEST(MatcherTest, CompileKeywordDeduplicatesSpellingsWithoutUmlauts) {
  EXPECT_EQ(CompileKeyword({"hilfe", "", {}}).size(), 1u);
  auto both = CompileKeyword({"überfall", "de", {}});
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[0].tokens[0].text, "ueberfall");
  EXPECT_EQ(both[1].tokens[0].text, "uberfall");
  EXPECT_EQ(both[0].language, "de");
}

// --- MatchChoice ---

const char kMenuFlow[] =
    "flow: applicant\n"
    "steps:\n"
    "  - id: menu\n"
    "    ask: q\n"
    "    choices:\n"
    "      - { label: btn_requirements, next: a }\n"
    "      - { label: btn_process, next: a }\n"
    "      - { label: btn_done, end: true, keywords: { de: [nein], en: [no] } }\n"
    "  - id: a\n"
    "    say: x\n";
const char kDe[] =
    "btn_requirements: Voraussetzungen\nbtn_process: Ablauf und Fristen\n"
    "btn_done: Nein, danke\n";
const char kEn[] =
    "btn_requirements: Requirements\nbtn_process: Process and deadlines\n"
    "btn_done: No, thanks\n";

Matcher::ChoiceMatch MatchMenu(const Playbook& pb, const std::string& answer) {
  const Flow& f = *pb.flows.Find("applicant");
  return pb.matcher->MatchChoice(f.steps[0], Normalize(answer));
}
int PickChoice(const Playbook& pb, const std::string& answer) {
  return MatchMenu(pb, answer).index;
}

TEST(MatcherTest, ChoiceByItsNumber) {
  auto pb = Build({kMenuFlow}, kDe, kEn);
  EXPECT_EQ(PickChoice(*pb, "2"), 1);
  EXPECT_EQ(PickChoice(*pb, "3."), 2);
  EXPECT_EQ(PickChoice(*pb, "Nr. 1"), 0);
  EXPECT_EQ(PickChoice(*pb, "4"), -1);
  EXPECT_EQ(PickChoice(*pb, "0"), -1);
}

TEST(MatcherTest, ChoiceByLabelInAnyLanguage) {
  auto pb = Build({kMenuFlow}, kDe, kEn);
  EXPECT_EQ(PickChoice(*pb, "Voraussetzungen"), 0);
  EXPECT_EQ(PickChoice(*pb, "requirements"), 0);
  EXPECT_EQ(PickChoice(*pb, "Process and deadlines"), 1);
}

TEST(MatcherTest, NumberAndWholeLabelAreExactAnswers) {
  auto pb = Build({kMenuFlow}, kDe, kEn);
  EXPECT_TRUE(MatchMenu(*pb, "2").exact);
  EXPECT_TRUE(MatchMenu(*pb, "Requirements").exact);
  EXPECT_FALSE(MatchMenu(*pb, "nein").exact);
}

TEST(MatcherTest, ChoiceByLabelInsideLongerAnswerIsNotExactButWeighted) {
  auto pb = Build({kMenuFlow}, kDe, kEn);
  Matcher::ChoiceMatch m = MatchMenu(*pb, "Ich möchte was zu Ablauf und Fristen wissen");
  EXPECT_EQ(m.index, 1);
  EXPECT_FALSE(m.exact);
  EXPECT_GT(m.weight, MatchMenu(*pb, "also nein").weight);  // longer evidence weighs more
}

TEST(MatcherTest, ChoiceByKeyword) {
  auto pb = Build({kMenuFlow}, kDe, kEn);
  EXPECT_EQ(PickChoice(*pb, "nein"), 2);
  EXPECT_EQ(PickChoice(*pb, "no"), 2);
}

TEST(MatcherTest, UnrelatedAnswerPicksNoChoice) {
  auto pb = Build({kMenuFlow}, kDe, kEn);
  EXPECT_EQ(PickChoice(*pb, "Wie ist das Wetter?"), -1);
  EXPECT_EQ(PickChoice(*pb, "😱"), -1);
}

}  // namespace
}  // namespace wache::bot
