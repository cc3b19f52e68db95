// Validator (`wache check`): cross-references between flows, templates and config, and the
// safety rules. Each test starts from a minimal clean installation and breaks one thing.
#include "bot/validator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "bot/flow_loader.h"

namespace wache::bot {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const char kEmergency[] =
    "flow: emergency\npriority: interrupt\nwhen:\n  keywords: [notruf]\n"
    "steps:\n  - say: emergency.call\n";
const char kFallback[] = "flow: fallback\npriority: fallback\nsteps:\n  - say: fallback.text\n";
const char kTemplates[] =
    "emergency.call: \"Rufen Sie die {emergency_number} an.\"\n"
    "fallback.text: Das verstehe ich nicht.\n"
    "common.stale_button: Nicht mehr aktuell.\n"
    "common.unsupported: \"Bitte schreiben Sie Text. Notruf {emergency_number}.\"\n"
    "common.menu_button: Auswählen\n";
const char kConfig[] =
    "accounts:\n"
    "  - id: koeln\n    platform: whatsapp\n    language: de\n"
    "    variables: { emergency_number: \"110\" }\n";

struct Installation {
  std::vector<std::string> flows = {kEmergency, kFallback};
  std::string de = kTemplates;
  std::string en;  // no English unless a test adds it
  std::string config = kConfig;

  // Loads everything and runs the validator; the diagnostics of the check alone.
  Diagnostics Check() const {
    Diagnostics load;
    FlowSet set;
    for (size_t i = 0; i < flows.size(); ++i) {
      LoadFlowString(flows[i], "flow" + std::to_string(i) + ".yaml", set, load);
    }
    TemplateSet templates;
    templates.LoadString(de, "de.yaml", "de", load);
    if (!en.empty()) templates.LoadString(en, "en.yaml", "en", load);
    GatewayConfig cfg = LoadConfigString(config, "wache.yaml", "", load);
    auto pb = Playbook::FromParts(std::move(set), std::move(templates), load);
    EXPECT_EQ(load.Format(), "") << "the test input itself does not load cleanly";
    Diagnostics diags;
    Validate(*pb, cfg, diags);
    return diags;
  }
};

TEST(ValidatorTest, MinimalInstallationIsClean) { EXPECT_EQ(Installation().Check().Format(), ""); }

TEST(ValidatorTest, TriggersOnTheFallbackFlowAreNamedAsNeverUsed) {
  // A staff member gives the fallback flow keywords, as other flows have. Before the fuzzer
  // found it (fuzz/), building the playbook then wrote past the keyword table.
  Installation in;
  in.flows[1] =
      "flow: fallback\npriority: fallback\nwhen:\n  - keywords: [hallo, \"hilfe*\", "
      "\"*frage\"]\nsteps:\n  - say: fallback.text\n";
  const std::string report = in.Check().Format();
  EXPECT_THAT(report, HasSubstr("flow1.yaml:4"));
  EXPECT_THAT(report, HasSubstr("the fallback flow's 'when:' triggers are never used"));
  EXPECT_THAT(report, HasSubstr("priority: normal"));
  EXPECT_THAT(Installation().Check().Format(), Not(HasSubstr("never used")));
}

TEST(ValidatorTest, SayStepsJumpingInACircleAreAnErrorReportedOnce) {
  Installation in;
  in.flows.push_back(
      "flow: loop\nwhen:\n  keywords: [loop]\nsteps:\n"
      "  - id: a\n    say: fallback.text\n"
      "  - id: b\n    say: fallback.text\n    next: a\n");
  Diagnostics d = in.Check();
  EXPECT_EQ(d.error_count(), 1) << d.Format();
  EXPECT_THAT(d.Format(),
              HasSubstr("flow2.yaml:5:5: error: steps of flow 'loop' jump in a circle"));
}

TEST(ValidatorTest, SayStepsLeadingBackToAQuestionAreNoCircle) {
  Installation in;
  in.flows.push_back(
      "flow: menu\nwhen:\n  keywords: [menu]\nsteps:\n"
      "  - id: start\n    ask: fallback.text\n    choices:\n"
      "      - { label: fallback.text, next: info }\n"
      "  - id: info\n    say: fallback.text\n    next: start\n");
  EXPECT_THAT(in.Check().Format(), Not(HasSubstr("circle")));
}

TEST(ValidatorTest, UnknownStepGetsDidYouMean) {
  Installation in;
  in.flows.push_back(
      "flow: menu\nwhen:\n  keywords: [menu]\nsteps:\n"
      "  - id: start\n    ask: fallback.text\n    choices:\n"
      "      - { label: common.stale_button, next: requirments }\n"
      "  - id: requirements\n    say: fallback.text\n");
  EXPECT_THAT(in.Check().Format(),
              HasSubstr("flow2.yaml:8:9: error: unknown step 'requirments' in flow 'menu' (did "
                        "you mean 'requirements'?)"));
}

TEST(ValidatorTest, UnknownFlowGetsDidYouMean) {
  Installation in;
  in.flows.push_back(
      "flow: report\nwhen:\n  keywords: [anzeige]\nsteps:\n"
      "  - say: fallback.text\n    flow: emergncy\n");
  EXPECT_THAT(in.Check().Format(),
              HasSubstr("flow2.yaml:5:5: error: unknown flow 'emergncy' (did you mean "
                        "'emergency'?)"));
}

TEST(ValidatorTest, IfOffDutyNamesAStepOfTheFlow) {
  Installation in;
  in.config += "defaults:\n  calendar: { time_zone: Europe/Berlin, staffed: \"mo-fr 8-16\" }\n";
  in.flows.push_back(
      "flow: menu\nwhen:\n  keywords: [menu]\nsteps:\n"
      "  - id: start\n    say: fallback.text\n    if_off_duty: closd\n    end: true\n"
      "  - id: closed\n    say: fallback.text\n");
  EXPECT_THAT(in.Check().Format(),
              HasSubstr("unknown step 'closd' in flow 'menu' (did you mean 'closed'?)"));
}

TEST(ValidatorTest, AnOnDutyStepMustNotRunOnIntoItsOffDutyStep) {
  Installation in;
  in.config += "defaults:\n  calendar: { time_zone: Europe/Berlin, staffed: \"mo-fr 8-16\" }\n";
  in.flows.push_back(
      "flow: menu\nwhen:\n  keywords: [menu]\nsteps:\n"
      "  - id: start\n    say: fallback.text\n    if_off_duty: closed\n"
      "  - id: closed\n    say: fallback.text\n");
  EXPECT_THAT(in.Check().Format(),
              HasSubstr("on duty this step runs on into its if_off_duty step 'closed'"));
}

TEST(ValidatorTest, IfOffDutyWithoutACalendarIsAWarningAndItsStepCountsAsReachable) {
  Installation in;
  in.flows.push_back(
      "flow: menu\nwhen:\n  keywords: [menu]\nsteps:\n"
      "  - id: start\n    say: fallback.text\n    if_off_duty: closed\n    end: true\n"
      "  - id: closed\n    say: fallback.text\n");
  const std::string out = in.Check().Format();
  EXPECT_THAT(out,
              HasSubstr("warning: step uses if_off_duty, but account 'koeln' has no calendar"));
  EXPECT_THAT(out, Not(HasSubstr("unreachable")));
}

TEST(ValidatorTest, UnknownStartAtStepIsAnError) {
  Installation in;
  in.flows.push_back(
      "flow: a\nwhen:\n  start_at: tatoos\n  keywords: [tattoo]\nsteps:\n"
      "  - say: fallback.text\n  - id: tattoos\n    say: fallback.text\n");
  EXPECT_THAT(in.Check().Format(),
              HasSubstr("start_at: unknown step 'tatoos' (did you mean 'tattoos'?)"));
}

TEST(ValidatorTest, UnknownTemplateGetsDidYouMean) {
  Installation in;
  in.flows[1] = "flow: fallback\npriority: fallback\nsteps:\n  - say: fallback.txt\n";
  EXPECT_THAT(in.Check().Format(),
              HasSubstr("flow1.yaml:4:5: error: unknown template 'fallback.txt' (did you mean "
                        "'fallback.text'?)"));
}

TEST(ValidatorTest, UnknownVariableGetsDidYouMean) {
  Installation in;
  in.de += "fallback.other: \"Notruf {emergency_numbr}\"\n";
  in.flows[1] = "flow: fallback\npriority: fallback\nsteps:\n  - say: fallback.other\n";
  Diagnostics d = in.Check();
  EXPECT_THAT(d.Format(), HasSubstr("de.yaml:6:1: error: template 'fallback.other' (de) uses "
                                    "unknown variable {emergency_numbr} (did you mean "
                                    "'emergency_number'?)"));
}

TEST(ValidatorTest, VariableMissingInOneAccountIsAWarning) {
  Installation in;
  in.config += "  - id: dortmund\n    platform: x\n    variables: { station: Dortmund }\n";
  Diagnostics d = in.Check();
  EXPECT_EQ(d.error_count(), 0) << d.Format();
  EXPECT_THAT(d.Format(), HasSubstr("warning: template 'emergency.call' uses {emergency_number}, "
                                    "which account 'dortmund' does not define"));
}

TEST(ValidatorTest, StepAfterAnEndIsUnreachable) {
  Installation in;
  in.flows.push_back(
      "flow: a\nwhen:\n  keywords: [frage]\nsteps:\n"
      "  - say: fallback.text\n    end: true\n"
      "  - id: orphan\n    say: fallback.text\n");
  Diagnostics d = in.Check();
  EXPECT_EQ(d.error_count(), 0);
  EXPECT_THAT(d.Format(), HasSubstr("flow2.yaml:7:5: warning: step 'orphan' in flow 'a' is "
                                    "unreachable"));
}

TEST(ValidatorTest, StepReachedOnlyByStartAtIsReachable) {
  Installation in;
  in.flows.push_back(
      "flow: a\nwhen:\n  - keywords: [frage]\n"
      "  - { start_at: direct, keywords: [direkt] }\nsteps:\n"
      "  - say: fallback.text\n    end: true\n"
      "  - id: direct\n    say: fallback.text\n");
  EXPECT_THAT(in.Check().Format(), Not(HasSubstr("unreachable")));
}

TEST(ValidatorTest, DuplicateKeywordInOneFlowIsAWarning) {
  Installation in;
  in.flows.push_back(
      "flow: a\nwhen:\n  - keywords: [Anzeige]\n  - keywords: [anzeige]\n"
      "steps:\n  - say: fallback.text\n");
  EXPECT_THAT(in.Check().Format(),
              HasSubstr("flow2.yaml:4:16: warning: duplicate keyword 'anzeige' in flow 'a' (also "
                        "at flow2.yaml:3:16)"));
}

TEST(ValidatorTest, KeywordOfTwoFlowsIsAWarning) {
  Installation in;
  in.flows.push_back("flow: a\nwhen:\n  keywords: [anzeige]\nsteps:\n  - say: fallback.text\n");
  in.flows.push_back("flow: b\nwhen:\n  keywords: [anzeige]\nsteps:\n  - say: fallback.text\n");
  EXPECT_THAT(in.Check().Format(),
              HasSubstr("flow3.yaml:3:14: warning: keyword 'anzeige' also triggers flow 'a' "
                        "(flow2.yaml:3:14); only one of them can answer it"));
}

TEST(ValidatorTest, NormalKeywordCaughtByTheEmergencyFlowIsShadowed) {
  Installation in;
  in.flows.push_back(
      "flow: a\nwhen:\n  keywords: [\"notruf nummer\"]\nsteps:\n"
      "  - say: fallback.text\n");
  EXPECT_THAT(in.Check().Format(),
              HasSubstr("warning: keyword 'notruf nummer' is shadowed: the interrupt flow "
                        "'emergency' answers it first (matched 'notruf')"));
}

TEST(ValidatorTest, ButtonLabelOverTwentyCharactersIsAnError) {
  Installation in;
  in.de += "btn.long: Voraussetzungen und Fristen\nbtn.umlaut: \"Größe, Alter, Brille\"\n";
  in.flows[1] =
      "flow: fallback\npriority: fallback\nsteps:\n  - id: q\n    ask: fallback.text\n"
      "    choices:\n      - { label: btn.long, end: true }\n"
      "      - { label: btn.umlaut, end: true }\n";
  Diagnostics d = in.Check();
  EXPECT_THAT(d.Format(), HasSubstr("error: button label 'btn.long' (de) has 27 characters; "
                                    "WhatsApp allows 20"));
  // 20 characters but 22 bytes: counted in characters, so it fits.
  EXPECT_THAT(d.Format(), Not(HasSubstr("'btn.umlaut'")));
}

TEST(ValidatorTest, MissingTranslationIsAWarning) {
  Installation in;
  in.en = "emergency.call: \"Call {emergency_number}.\"\nfallback.text: Sorry.\n";
  Diagnostics d = in.Check();
  EXPECT_EQ(d.error_count(), 0) << d.Format();
  EXPECT_THAT(d.Format(), HasSubstr("warning: missing translation: template "
                                    "'common.stale_button' has no 'en' text"));
}

TEST(ValidatorTest, TextMissingInAnAccountsOwnLanguageIsAnError) {
  Installation in;
  in.config =
      "accounts:\n  - id: london\n    platform: x\n    language: en\n"
      "    variables: { emergency_number: \"999\" }\n";
  in.en = "emergency.call: \"Call {emergency_number}.\"\nfallback.text: Sorry.\n";
  Diagnostics d = in.Check();
  bool reported = false;
  for (const auto& item : d.all()) {
    reported = reported || (item.severity == Severity::kError &&
                            item.message.find("common.stale_button") != std::string::npos &&
                            item.message.find("'en'") != std::string::npos);
  }
  EXPECT_TRUE(reported) << d.Format();
}

TEST(ValidatorTest, MissingEmergencyFlowIsAnError) {
  Installation in;
  in.flows = {kFallback};
  Diagnostics d = in.Check();
  EXPECT_EQ(d.error_count(), 1);
  EXPECT_THAT(d.Format(), HasSubstr("error: no 'emergency' flow"));
}

TEST(ValidatorTest, EmergencyFlowMustBeAnInterrupt) {
  Installation in;
  in.flows[0] = "flow: emergency\nwhen:\n  keywords: [notruf]\nsteps:\n  - say: emergency.call\n";
  EXPECT_THAT(in.Check().Format(), HasSubstr("error: the emergency flow must have 'priority: "
                                             "interrupt'"));
}

TEST(ValidatorTest, MissingFallbackFlowIsAnError) {
  Installation in;
  in.flows = {kEmergency};
  EXPECT_THAT(in.Check().Format(), HasSubstr("error: no fallback flow"));
}

TEST(ValidatorTest, MissingEngineTemplateIsAnError) {
  Installation in;
  in.de = "emergency.call: \"Rufen Sie die {emergency_number} an.\"\nfallback.text: Hm.\n";
  EXPECT_THAT(in.Check().Format(),
              HasSubstr("error: missing template 'common.stale_button', which the engine itself "
                        "uses"));
}

TEST(ValidatorTest, AccountLanguageWithoutTemplatesIsAnError) {
  Installation in;
  in.config =
      "accounts:\n  - id: koeln\n    platform: whatsapp\n    language: dd\n"
      "    variables: { emergency_number: \"110\" }\n";
  EXPECT_THAT(in.Check().Format(),
              HasSubstr("wache.yaml:2:5: error: account 'koeln' uses language 'dd' (set in "
                        "account koeln (wache.yaml:4)), but there is no templates/dd/ folder; the "
                        "languages with texts are 'de'"));
}

TEST(ValidatorTest, ALanguageTypoInTheDefaultsIsOneMessageNotOnePerAccount) {
  Installation in;
  in.config =
      "defaults:\n  language: dee\n  variables: { emergency_number: \"110\" }\n"
      "accounts:\n";
  for (int i = 0; i < 20; ++i) {
    in.config += "  - { id: a" + std::to_string(i) + ", platform: whatsapp, platform_id: \"" +
                 std::to_string(100 + i) + "\" }\n";
  }
  Diagnostics d = in.Check();
  EXPECT_EQ(d.error_count(), 1) << d.Format();
  EXPECT_THAT(d.Format(), HasSubstr("accounts 'a0', 'a1', 'a2', 'a3', 'a4' and 15 more use "
                                    "language 'dee' (set in defaults (wache.yaml:2))"));
}

TEST(ValidatorTest, ShippedFlowsTemplatesAndConfigHaveNoErrors) {
  Diagnostics diags;
  GatewayConfig cfg = LoadConfig(WACHE_SOURCE_DIR "/config/wache.yaml", diags);
  auto pb = Playbook::Load(WACHE_SOURCE_DIR "/flows", WACHE_SOURCE_DIR "/templates", diags);
  Validate(*pb, cfg, diags);
  EXPECT_EQ(diags.error_count(), 0) << diags.Format();
  EXPECT_NE(pb->flows.Find("emergency"), nullptr);
  EXPECT_GE(pb->flows.flows.size(), 10u);
}

}  // namespace
}  // namespace wache::bot
