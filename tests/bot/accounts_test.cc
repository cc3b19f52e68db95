// The account config in three layers (defaults → station → account), the origin of every
// effective value, and the staffing calendar, with diagnostics staff can act on.
#include "bot/accounts.h"

#include <gtest/gtest.h>

#include <chrono>

#include "bot/clock.h"

namespace wache::bot {
namespace {

GatewayConfig Load(const std::string& yaml, Diagnostics& diags) {
  return LoadConfigString(yaml, "wache.yaml", "", diags);
}

const char kLayers[] = R"yaml(defaults:
  language: de
  variables:
    emergency_number: "110"
    station_name: "Polizei NRW"
  calendar:
    time_zone: Europe/Berlin
    holidays: NW
    staffed: "mo-fr 07:30-16:00"
stations:
  koeln:
    name: Polizeipräsidium Köln
    variables:
      station_name: "Polizei Köln"
  karriere:
    language: en
    calendar:
      staffed: "mo-fr 07:30-21:00"
accounts:
  - { id: koeln-fb, platform: messenger, platform_id: "1", station: koeln }
  - { id: koeln-x, platform: x, platform_id: "2", station: koeln,
      variables: { station_name: "Polizei Köln (X)" } }
  - { id: jobs, platform: whatsapp, platform_id: "3", station: karriere }
  - { id: plain, platform: whatsapp, platform_id: "4" }
)yaml";

TEST(AccountsTest, AStationOverridesOnlyWhatItNamesAndAnAccountOverridesTheStation) {
  Diagnostics diags;
  GatewayConfig cfg = Load(kLayers, diags);
  ASSERT_FALSE(diags.has_errors()) << diags.Format();
  EXPECT_EQ(cfg.stations, (std::vector<std::string>{"koeln", "karriere"}));
  const Account* fb = cfg.FindAccount("koeln-fb");
  ASSERT_NE(fb, nullptr);
  EXPECT_EQ(fb->station, "koeln");
  EXPECT_EQ(fb->station_name, "Polizeipräsidium Köln");
  EXPECT_EQ(fb->variables.at("station_name"), "Polizei Köln");
  EXPECT_EQ(fb->variables.at("emergency_number"), "110");  // from the defaults
  EXPECT_EQ(fb->origin.at("variables.station_name"), "station koeln (wache.yaml:14)");
  EXPECT_EQ(fb->origin.at("variables.emergency_number"), "defaults (wache.yaml:4)");
  EXPECT_EQ(cfg.FindAccount("koeln-x")->variables.at("station_name"), "Polizei Köln (X)");
  EXPECT_EQ(cfg.FindAccount("koeln-x")->origin.at("variables.station_name"),
            "account koeln-x (wache.yaml:22)");
  const Account* jobs = cfg.FindAccount("jobs");
  EXPECT_EQ(jobs->language, "en");
  EXPECT_EQ(jobs->variables.at("station_name"), "Polizei NRW");
  EXPECT_EQ(cfg.FindAccount("plain")->station, "");
}

TEST(AccountsTest, CalendarsAreLayeredTooAndKnowTheirHours) {
  Diagnostics diags;
  GatewayConfig cfg = Load(kLayers, diags);
  ASSERT_FALSE(diags.has_errors()) << diags.Format();
  // Friday 2026-11-20, 19:00 UTC = 20:00 in Berlin.
  const TimePoint friday_evening(std::chrono::seconds(1795201200));
  const Account* fb = cfg.FindAccount("koeln-fb");
  const Account* jobs = cfg.FindAccount("jobs");
  ASSERT_TRUE(fb->calendar && jobs->calendar);
  EXPECT_FALSE(fb->calendar->IsStaffed(friday_evening));
  EXPECT_TRUE(jobs->calendar->IsStaffed(friday_evening));  // the station's longer hours
  EXPECT_EQ(jobs->calendar_spec.holiday_region, "NW");     // still the defaults' holidays
  EXPECT_EQ(jobs->origin.at("calendar.staffed"), "station karriere (wache.yaml:18)");
}

TEST(AccountsTest, AnUnknownStationIsAnErrorWithASuggestion) {
  Diagnostics diags;
  Load(R"(stations:
  koeln: { name: Köln }
accounts:
  - { id: a, platform: messenger, platform_id: "1", station: koln }
)",
       diags);
  ASSERT_EQ(diags.error_count(), 1) << diags.Format();
  EXPECT_NE(diags.Format().find("wache.yaml:4"), std::string::npos) << diags.Format();
  EXPECT_NE(diags.Format().find("station 'koln' is not defined under 'stations:'"),
            std::string::npos);
  EXPECT_NE(diags.Format().find("koeln"), std::string::npos) << "did you mean";
}

TEST(AccountsTest, CalendarMistakesNameTheLineAndTheFix) {
  Diagnostics diags;
  Load(R"(defaults:
  calendar:
    time_zone: Europe/Berlin
    holidays: XY
    staffed: "mo-fr 07:30"
    closures: ["2026-13-45"]
accounts:
  - { id: a, platform: messenger, platform_id: "1" }
)",
       diags);
  const std::string all = diags.Format();
  EXPECT_NE(all.find("wache.yaml:4"), std::string::npos) << all;
  EXPECT_NE(all.find("'XY' is not a region"), std::string::npos) << all;
  EXPECT_NE(all.find("wache.yaml:5"), std::string::npos) << all;
  EXPECT_NE(all.find("staffed:"), std::string::npos) << all;
  EXPECT_NE(all.find("wache.yaml:6"), std::string::npos) << all;
}

TEST(AccountsTest, ACalendarWithoutHoursIsAnErrorNotSilentlyAlwaysOffDuty) {
  Diagnostics diags;
  GatewayConfig cfg = Load(R"(defaults:
  calendar: { holidays: NW }
accounts:
  - { id: a, platform: messenger, platform_id: "1" }
)",
                           diags);
  EXPECT_NE(diags.Format().find("needs time_zone: (e.g. Europe/Berlin) and staffed:"),
            std::string::npos)
      << diags.Format();
}

TEST(AccountsTest, AMistakeInTheDefaultsCalendarIsReportedOnceAtItsLine) {
  // Three accounts share the defaults; staff need one message at the line to fix, not
  // one per account plus follow-up errors about a "missing" calendar.
  const std::pair<const char*, const char*> broken[] = {
      {"time_zone: Europe/Berlim", "staffed: \"mo-fr 07:30-16:00\""},
      {"time_zone: Europe/Berlin", "staffed: \"mo-fr 07:30-16:00, sa 10:00\""}};
  for (const auto& [zone, hours] : broken) {
    std::string yaml = std::string("defaults:\n  calendar:\n    ") + zone + "\n    " + hours +
                       "\naccounts:\n"
                       "  - { id: a, platform: messenger, platform_id: \"1\" }\n"
                       "  - { id: b, platform: messenger, platform_id: \"2\" }\n"
                       "  - { id: c, platform: messenger, platform_id: \"3\" }\n";
    Diagnostics diags;
    GatewayConfig cfg = Load(yaml, diags);
    EXPECT_EQ(diags.error_count(), 1) << diags.Format();
    const std::string line =
        std::string(zone).find("Berlim") != std::string::npos ? "wache.yaml:3" : "wache.yaml:4";
    EXPECT_NE(diags.Format().find(line), std::string::npos) << diags.Format();
    for (const auto& a : cfg.accounts) EXPECT_TRUE(a.calendar_broken) << a.id;
  }
}

TEST(AccountsTest, AStationThatSetsTheHoursAgainReplacesBrokenDefaults) {
  Diagnostics diags;
  GatewayConfig cfg = Load(R"(defaults:
  calendar: { time_zone: Europe/Berlin, staffed: "mo-fr 07:30" }
stations:
  koeln:
    calendar: { staffed: "mo-fr 07:30-16:00" }
accounts:
  - { id: a, platform: messenger, platform_id: "1", station: koeln }
)",
                           diags);
  EXPECT_EQ(diags.error_count(), 1) << diags.Format();  // the defaults' line itself
  ASSERT_EQ(cfg.accounts.size(), 1u);
  EXPECT_TRUE(cfg.accounts[0].calendar) << diags.Format();
}

TEST(AccountsTest, StaffedNoneIsACalendarThatIsNeverOnDuty) {
  Diagnostics diags;
  GatewayConfig cfg = Load(R"(defaults:
  calendar: { time_zone: Europe/Berlin, staffed: none }
accounts:
  - { id: a, platform: messenger, platform_id: "1" }
)",
                           diags);
  EXPECT_EQ(diags.Format(), "");
  ASSERT_TRUE(cfg.accounts[0].calendar);
  EXPECT_FALSE(cfg.accounts[0].calendar->IsStaffed(TimePoint(std::chrono::seconds(1'800'000'000))));
}

TEST(AccountsTest, ManyStationsStayOneReadableConfig) {
  std::string yaml =
      "defaults:\n  calendar: { time_zone: Europe/Berlin, holidays: NW, staffed: \"mo-fr "
      "8-16\" }\nstations:\n";
  for (int i = 0; i < 50; ++i) {
    yaml += "  s" + std::to_string(i) + ": { variables: { station_name: \"Station " +
            std::to_string(i) + "\" } }\n";
  }
  yaml += "accounts:\n";
  for (int i = 0; i < 120; ++i) {
    yaml += "  - { id: a" + std::to_string(i) + ", platform: messenger, platform_id: \"" +
            std::to_string(1000 + i) + "\", station: s" + std::to_string(i % 50) + " }\n";
  }
  Diagnostics diags;
  GatewayConfig cfg = Load(yaml, diags);
  ASSERT_FALSE(diags.has_errors()) << diags.Format();
  ASSERT_EQ(cfg.accounts.size(), 120u);
  EXPECT_EQ(cfg.FindAccount("a77")->variables.at("station_name"), "Station 27");
  EXPECT_TRUE(cfg.FindAccount("a77")->calendar);
}

}  // namespace
}  // namespace wache::bot
