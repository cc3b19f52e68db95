// A station's own flows (`stations:` in a flow file) and texts
// (templates/stations/<station>/<lang>/): which accounts get them, which text wins in which
// language, and what `wache check` says when they do not fit the config.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "bot/engine.h"
#include "bot/flow_loader.h"
#include "bot/validator.h"

namespace wache::bot {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

const char kEmergency[] =
    "flow: emergency\npriority: interrupt\nwhen:\n  keywords: [notruf]\n"
    "steps:\n  - say: emergency.call\n";
const char kFallback[] = "flow: fallback\npriority: fallback\nsteps:\n  - say: fallback.text\n";
const char kThanks[] =
    "flow: thanks\npriority: low\nwhen: { keywords: [danke, thanks] }\n"
    "steps: [ say: thanks.reply ]\n";
const char kKarneval[] =
    "flow: karneval\nstations: [koeln]\nwhen: { keywords: [karneval, carnival] }\n"
    "steps:\n  - id: menu\n    ask: karneval.menu\n    choices:\n"
    "      - { label: karneval.btn_info, id: info, next: info }\n"
    "  - { id: info, say: karneval.info, end: true }\n";
// A force-wide flow with a word that Köln's own flow also has.
const char kEvents[] =
    "flow: events\nwhen: { keywords: [karneval, veranstaltung] }\nsteps: [ say: events.text ]\n";

const char kDe[] =
    "emergency.call: \"Rufen Sie die {emergency_number} an.\"\n"
    "fallback.text: Das verstehe ich nicht.\n"
    "thanks.reply: Gern geschehen.\n"
    "events.text: Veranstaltungen finden Sie online.\n"
    "common.stale_button: Nicht mehr aktuell.\n"
    "common.unsupported: \"Bitte schreiben Sie Text. Notruf {emergency_number}.\"\n"
    "common.menu_button: Auswählen\n";
const char kEn[] =
    "emergency.call: \"Call {emergency_number}.\"\n"
    "fallback.text: Sorry?\n"
    "thanks.reply: You are welcome.\n"
    "events.text: See our events online.\n"
    "common.stale_button: Outdated.\n"
    "common.unsupported: \"Please write text. Emergency {emergency_number}.\"\n"
    "common.menu_button: Choose\n";
const char kKoelnDe[] =
    "thanks.reply: Gern geschehen, sagt die Polizei Köln.\n"
    "karneval.menu: Was möchten Sie zu Karneval wissen?\n"
    "karneval.btn_info: Hinweise\n"
    "karneval.info: \"Hinweise auf {station_url}.\"\n";
const char kKoelnEn[] =
    "karneval.menu: What would you like to know about carnival?\n"
    "karneval.btn_info: Notes\n"
    "karneval.info: \"Notes at {station_url}.\"\n";

const char kConfig[] =
    "defaults:\n  variables: { emergency_number: \"110\" }\n"
    "stations:\n"
    "  koeln:\n    variables: { station_url: \"https://koeln.polizei.nrw\" }\n"
    "  dortmund: {}\n"
    "accounts:\n"
    "  - { id: koeln-wa, platform: whatsapp, station: koeln }\n"
    "  - { id: dortmund-wa, platform: whatsapp, station: dortmund }\n";

struct Installation {
  std::vector<std::string> flows = {kEmergency, kFallback, kThanks, kKarneval, kEvents};
  std::map<std::string, std::string> base = {{"de", kDe}, {"en", kEn}};
  // station → language → yaml
  std::map<std::string, std::map<std::string, std::string>> station = {
      {"koeln", {{"de", kKoelnDe}, {"en", kKoelnEn}}}};
  std::string config = kConfig;

  GatewayConfig cfg;
  std::shared_ptr<const Playbook> playbook;

  // Loads everything; returns the diagnostics of the check alone.
  Diagnostics Load() {
    Diagnostics load;
    FlowSet set;
    for (size_t i = 0; i < flows.size(); ++i) {
      LoadFlowString(flows[i], "flow" + std::to_string(i) + ".yaml", set, load);
    }
    TemplateSet templates;
    for (const auto& [lang, yaml] : base) templates.LoadString(yaml, lang + ".yaml", lang, load);
    for (const auto& [st, langs] : station) {
      for (const auto& [lang, yaml] : langs) {
        templates.LoadStationString(yaml, "stations/" + st + "/" + lang + ".yaml", st, lang, load);
      }
    }
    cfg = LoadConfigString(config, "wache.yaml", "", load);
    playbook = Playbook::FromParts(std::move(set), std::move(templates), load);
    EXPECT_EQ(load.Format(), "") << "the test input itself does not load cleanly";
    Diagnostics diags;
    Validate(*playbook, cfg, diags);
    return diags;
  }
};

class StationEngineTest : public testing::Test {
 protected:
  StationEngineTest() {
    EXPECT_EQ(in_.Load().Format(), "");
    engine_ = std::make_unique<Engine>(in_.playbook, store_, clock_);
  }

  Decision Send(const std::string& account, const std::string& text,
                const std::string& payload = "") {
    InboundMessage msg{"whatsapp", account, "alice", "", text, payload, std::nullopt};
    Result<Decision> r = engine_->Handle(msg, *in_.cfg.FindAccount(account));
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r.value() : Decision{};
  }

  static std::vector<std::string> Texts(const Decision& d) {
    std::vector<std::string> out;
    for (const auto& r : d.replies) out.push_back(r.text);
    return out;
  }

  Installation in_;
  MemoryStateStore store_;
  FakeClock clock_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(StationEngineTest, TheStationsOwnFlowAnswersItsAccountsWithItsOwnTexts) {
  Decision d = Send("koeln-wa", "Frage zu Karneval");
  EXPECT_EQ(d.flow, "karneval");
  ASSERT_EQ(d.replies.size(), 1u);
  EXPECT_EQ(d.replies[0].text, "Was möchten Sie zu Karneval wissen?");
  ASSERT_EQ(d.replies[0].buttons.size(), 1u);
  EXPECT_EQ(d.replies[0].buttons[0].label, "Hinweise");
  d = Send("koeln-wa", "", d.replies[0].buttons[0].payload);
  EXPECT_THAT(Texts(d), ElementsAre("Hinweise auf https://koeln.polizei.nrw."));
}

TEST_F(StationEngineTest, OtherStationsGetTheFlowForEveryoneInstead) {
  // Both flows have "karneval": for Köln its own flow wins the tie, for Dortmund the flow
  // for everyone answers.
  EXPECT_EQ(Send("dortmund-wa", "Frage zu Karneval").flow, "events");
  EXPECT_EQ(Send("koeln-wa", "Frage zu Karneval").flow, "karneval");
}

TEST_F(StationEngineTest, AnotherStationsButtonIsStaleNotFollowed) {
  // A payload of Köln's flow sent to a Dortmund account (forged, or from a moved account).
  Decision d = Send("dortmund-wa", "", ButtonPayload("karneval", "menu", "info"));
  EXPECT_THAT(d.flags, testing::Contains("stale_button"));
  EXPECT_THAT(Texts(d), Not(testing::Contains(HasSubstr("koeln.polizei.nrw"))));
}

TEST_F(StationEngineTest, StationTextWinsInItsLanguageOnly) {
  EXPECT_THAT(Texts(Send("koeln-wa", "Danke")),
              ElementsAre("Gern geschehen, sagt die Polizei Köln."));
  EXPECT_THAT(Texts(Send("dortmund-wa", "Danke")), ElementsAre("Gern geschehen."));
  // Köln has no English thanks: the English text for everyone, not Köln's German one.
  clock_.Advance(std::chrono::hours(1));
  EXPECT_THAT(Texts(Send("koeln-wa", "thanks")), ElementsAre("You are welcome."));
}

TEST(TemplateSetTest, StationTextsComeFromTheStationsFolder) {
  namespace fs = std::filesystem;
  fs::path dir =
      fs::temp_directory_path() / ("wache_station_templates_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "de");
  fs::create_directories(dir / "stations" / "koeln" / "de");
  std::ofstream(dir / "de" / "common.yaml") << "thanks.reply: Gern.\n";
  std::ofstream(dir / "stations" / "koeln" / "de" / "koeln.yaml") << "thanks.reply: Gern, Köln.\n";
  Diagnostics diags;
  TemplateSet set = TemplateSet::LoadDir(dir.string(), diags);
  fs::remove_all(dir);
  EXPECT_EQ(diags.Format(), "");  // "stations" is not taken for a language folder
  EXPECT_THAT(set.Languages(), ElementsAre("de"));
  EXPECT_EQ(set.Render("thanks.reply", "de", "de", "whatsapp", {}, 0, "koeln").text, "Gern, Köln.");
  EXPECT_EQ(set.Render("thanks.reply", "de", "de", "whatsapp", {}, 0, "bonn").text, "Gern.");
  EXPECT_EQ(set.Render("thanks.reply", "de", "de", "whatsapp", {}).text, "Gern.");
}

TEST(StationCheckTest, TheShippedShapeIsClean) { EXPECT_EQ(Installation().Load().Format(), ""); }

TEST(StationCheckTest, UnknownStationInAFlowIsAnErrorWithTheLikelyName) {
  Installation in;
  in.flows[3] = std::string(kKarneval).replace(std::string(kKarneval).find("[koeln]"), 7, "[koln]");
  std::string out = in.Load().Format();
  EXPECT_THAT(out, HasSubstr("unknown station 'koln' (did you mean 'koeln'?)"));
  EXPECT_THAT(out, HasSubstr("flow3.yaml:2"));
}

TEST(StationCheckTest, EmergencyAndFallbackMustServeEveryone) {
  Installation in;
  in.flows[0] = std::string(kEmergency) + "stations: [koeln]\n";
  std::string out = in.Load().Format();
  EXPECT_THAT(out, HasSubstr("flow 'emergency' must answer on every account; remove 'stations:'"));
}

TEST(StationCheckTest, AFlowForEveryoneMustNotLeadIntoAStationsFlow) {
  Installation in;
  in.flows.push_back(
      "flow: menu\nwhen: { keywords: [menü] }\nsteps:\n  - say: thanks.reply\n"
      "    flow: karneval\n");
  std::string out = in.Load().Format();
  EXPECT_THAT(out, HasSubstr("flow 'menu' (every station) leads to flow 'karneval', which only "
                             "station(s) 'koeln' have"));
}

TEST(StationCheckTest, AStationFlowsTextMustExistForEachOfItsStations) {
  Installation in;
  in.flows[3] = std::string(kKarneval).replace(std::string(kKarneval).find("[koeln]"), 7,
                                               "[koeln, dortmund]");
  std::string out = in.Load().Format();
  EXPECT_THAT(out, HasSubstr("template 'karneval.menu' is missing for station(s) 'dortmund'; "
                             "add it to templates/stations/dortmund/<language>/"));
}

TEST(StationCheckTest, AStationTheConfigDoesNotHaveIsAWarningNotAnError) {
  // The shipped Köln flow and texts with a config of a force without Köln.
  Installation in;
  in.config =
      "defaults:\n  variables: { emergency_number: \"110\", station_url: \"x\" }\n"
      "stations:\n  hamburg: {}\n"
      "accounts:\n  - { id: hh-wa, platform: whatsapp, station: hamburg }\n";
  Diagnostics d = in.Load();
  EXPECT_EQ(d.error_count(), 0) << d.Format();
  EXPECT_THAT(d.Format(), HasSubstr("flow 'karneval' is for station 'koeln', which the config "
                                    "does not have under 'stations:'"));
  EXPECT_THAT(d.Format(), HasSubstr("templates for station 'koeln', which the config does not "
                                    "have"));
}

TEST(StationCheckTest, ANeverStaffedStationIsToldToSayOffDutyItsOwnWay) {
  Installation in;
  in.base["de"] += "common.off_duty: \"Wir sind {next_staffed_time} wieder da.\"\n";
  in.base["en"] += "common.off_duty: \"Back {next_staffed_time}.\"\n";
  in.flows.push_back("flow: off\nwhen: { keywords: [nacht] }\nsteps: [ say: common.off_duty ]\n");
  in.config = std::string(kConfig).replace(
      std::string(kConfig).find("  dortmund: {}\n"), 15,
      "  dortmund: { calendar: { time_zone: Europe/Berlin, staffed: none } }\n");
  std::string out = in.Load().Format();
  EXPECT_THAT(out, HasSubstr("account 'dortmund-wa' is never on duty (staffed: none), so "
                             "{next_staffed_time} in 'common.off_duty' (de) would be empty"));
  // Its own text without the variable settles it.
  in.station["dortmund"]["de"] = "common.off_duty: Die Leitstelle liest mit.\n";
  EXPECT_THAT(in.Load().Format(), Not(HasSubstr("never on duty")));
}

TEST(StationCheckTest, StationTextsForAnUnknownStationAreAnError) {
  Installation in;
  in.station["kooln"] = {{"de", "thanks.reply: Hallo.\n"}};
  EXPECT_THAT(in.Load().Format(),
              HasSubstr("templates for unknown station 'kooln' (did you mean 'koeln'?)"));
}

TEST(StationCheckTest, AMistypedOverrideIsReportedWithTheKeyItProbablyMeant) {
  Installation in;
  in.station["koeln"]["de"] += "thanks.replay: Gern, Köln.\n";
  EXPECT_THAT(in.Load().Format(),
              HasSubstr("template 'thanks.replay' of station 'koeln' replaces no text for "
                        "everyone and no flow uses it (did you mean 'thanks.reply'?)"));
}

TEST(StationCheckTest, AStationOnlyTextNeedsTheLanguageOfTheStationsAccounts) {
  Installation in;
  in.station["koeln"].erase("de");  // Köln's accounts speak German by default
  in.station["koeln"]["en"] = kKoelnEn;
  std::string out = in.Load().Format();
  EXPECT_THAT(out, HasSubstr("template 'karneval.menu' of station 'koeln' has no 'de' text, the "
                             "language of account 'koeln-wa'"));
}

TEST(StationCheckTest, StationTextVariablesAreCheckedForTheStationsAccountsOnly) {
  // {station_url} is defined for Köln only: fine in Köln's texts...
  EXPECT_THAT(Installation().Load().Format(), Not(HasSubstr("station_url")));
  // ...but a text for everyone that uses it warns about Dortmund.
  Installation in;
  in.base["de"] += "events.link: \"{station_url}\"\n";
  in.flows.push_back("flow: link\nwhen: { keywords: [link] }\nsteps: [ say: events.link ]\n");
  EXPECT_THAT(in.Load().Format(),
              HasSubstr("uses {station_url}, which account 'dortmund-wa' does not define"));
}

TEST(StationCheckTest, AStationsFlowMayShareAWordWithAFlowForEveryone) {
  // Both have "karneval"; for Köln's accounts its own flow answers (the engine test above).
  EXPECT_THAT(Installation().Load().Format(), Not(HasSubstr("karneval")));
  // Two flows for everyone with the same word is still worth a warning.
  Installation in;
  in.flows.push_back(
      "flow: more_events\nwhen: { keywords: [karneval] }\n"
      "steps: [ say: events.text ]\n");
  EXPECT_THAT(in.Load().Format(), HasSubstr("keyword 'karneval' also triggers flow"));
}

}  // namespace
}  // namespace wache::bot
