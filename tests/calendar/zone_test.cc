// Zone: local time conversions over daylight saving changes, and the POSIX rule that keeps
// daylight saving time working after the zone file's table ends (2037).
#include "calendar/zone.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/calendar/calendar_test_util.h"

namespace wache::calendar {
namespace {

using std::chrono::hours;
using std::chrono::seconds;
using ::testing::HasSubstr;
using testing::Local;
using testing::Show;
using testing::Utc;

Zone Z(const std::string& name) {
  Result<Zone> z = Zone::Locate(name);
  EXPECT_TRUE(z.ok()) << z.status().message();
  return z.value();
}

std::string Footer(const std::string& zone) {
  std::ifstream in("/usr/share/zoneinfo/" + zone, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  std::string data = buf.str();
  if (data.empty() || data.back() != '\n') return "";
  data.pop_back();
  return data.substr(data.rfind('\n') + 1);
}

TEST(CalendarPosixTzRuleTest, ParsesTheCommonForms) {
  EXPECT_TRUE(PosixTzRule::Parse("CET-1CEST,M3.5.0,M10.5.0/3"));
  EXPECT_TRUE(PosixTzRule::Parse("GMT0BST,M3.5.0/1,M10.5.0"));
  EXPECT_TRUE(PosixTzRule::Parse("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0"));
  EXPECT_TRUE(PosixTzRule::Parse("<-04>4<-03>,M9.1.6/24,M4.1.6/24"));
  EXPECT_TRUE(PosixTzRule::Parse("EST5EDT,J60/2,300"));
  EXPECT_FALSE(PosixTzRule::Parse("UTC0"));  // no daylight saving time
  EXPECT_FALSE(PosixTzRule::Parse("<+03>-3"));
  EXPECT_FALSE(PosixTzRule::Parse(""));
  EXPECT_FALSE(PosixTzRule::Parse("CET-1CEST,M13.5.0,M10.5.0"));
  EXPECT_FALSE(PosixTzRule::Parse("CET-1CEST,M3.5.0"));
  EXPECT_FALSE(PosixTzRule::Parse("CET-1CEST,M3.5.0,M10.5.0/3 trailing"));
}

// The footer rule must reproduce the zone file's own transitions where both exist.
TEST(CalendarPosixTzRuleTest, AgreesWithTheZoneTableHourByHour) {
  for (const char* name : {"Europe/Berlin", "Europe/London", "America/New_York", "Australia/Sydney",
                           "Australia/Lord_Howe", "America/Santiago"}) {
    const std::string footer = Footer(name);
    std::optional<PosixTzRule> rule = PosixTzRule::Parse(footer);
    ASSERT_TRUE(rule) << name << ": " << footer;
    const date::time_zone* tz = date::locate_zone(name);
    int mismatches = 0;
    for (auto t = Utc("2024-01-01 00:00"); t < Utc("2037-10-01 00:00"); t += hours{1}) {
      if (rule->OffsetAt(t) != tz->get_info(t).offset && ++mismatches < 5) {
        ADD_FAILURE() << name << " at " << Show(t) << ": rule " << rule->OffsetAt(t).count()
                      << " s, table " << tz->get_info(t).offset.count() << " s";
      }
    }
    EXPECT_EQ(mismatches, 0) << name;
  }
}

TEST(CalendarZoneTest, UnknownZoneIsAnErrorThatSaysWhatToWrite) {
  Result<Zone> z = Zone::Locate("Europe/Berln");
  ASSERT_FALSE(z.ok());
  EXPECT_THAT(z.status().message(), HasSubstr("\"Europe/Berln\""));
  EXPECT_THAT(z.status().message(), HasSubstr("Europe/Berlin"));
  EXPECT_FALSE(Zone::Locate("").ok());
}

TEST(CalendarZoneTest, OffsetsInWinterAndSummer) {
  const Zone berlin = Z("Europe/Berlin");
  EXPECT_EQ(berlin.OffsetAt(Utc("2026-01-15 12:00")), hours{1});
  EXPECT_EQ(berlin.OffsetAt(Utc("2026-07-15 12:00")), hours{2});
  const Zone london = Z("Europe/London");
  EXPECT_EQ(london.OffsetAt(Utc("2026-01-15 12:00")), hours{0});
  EXPECT_EQ(london.OffsetAt(Utc("2026-07-15 12:00")), hours{1});
}

TEST(CalendarZoneTest, DaylightSavingTimeContinuesAfter2037) {
  const Zone berlin = Z("Europe/Berlin");
  EXPECT_EQ(berlin.OffsetAt(Utc("2040-07-01 12:00")), hours{2});
  EXPECT_EQ(berlin.OffsetAt(Utc("2100-01-15 12:00")), hours{1});
  EXPECT_EQ(berlin.OffsetAt(Utc("2200-08-01 12:00")), hours{2});
  // Last Sunday of March 2040 is the 25th: 01:00 UTC.
  EXPECT_EQ(berlin.OffsetAt(Utc("2040-03-25 00:59")), hours{1});
  EXPECT_EQ(berlin.OffsetAt(Utc("2040-03-25 01:00")), hours{2});
  EXPECT_EQ(berlin.ToSys(Local("2040-03-25 02:30"), date::choose::earliest),
            Utc("2040-03-25 01:00"));
  const Zone london = Z("Europe/London");
  EXPECT_EQ(london.OffsetAt(Utc("2150-07-01 12:00")), hours{1});
  EXPECT_EQ(london.ToLocal(Utc("2150-07-01 12:00")), Local("2150-07-01 13:00"));
}

TEST(CalendarZoneTest, SpringGapMapsToTheInstantTheClockJumps) {
  const Zone berlin = Z("Europe/Berlin");  // 2026-03-29 02:00 CET → 03:00 CEST (01:00 UTC)
  for (auto which : {date::choose::earliest, date::choose::latest}) {
    EXPECT_EQ(berlin.ToSys(Local("2026-03-29 02:00"), which), Utc("2026-03-29 01:00"));
    EXPECT_EQ(berlin.ToSys(Local("2026-03-29 02:30"), which), Utc("2026-03-29 01:00"));
  }
  EXPECT_EQ(berlin.ToSys(Local("2026-03-29 01:59"), date::choose::earliest),
            Utc("2026-03-29 00:59"));
  EXPECT_EQ(berlin.ToSys(Local("2026-03-29 03:00"), date::choose::earliest),
            Utc("2026-03-29 01:00"));
  const Zone london = Z("Europe/London");  // 2026-03-29 01:00 GMT → 02:00 BST
  EXPECT_EQ(london.ToSys(Local("2026-03-29 01:30"), date::choose::latest), Utc("2026-03-29 01:00"));
}

TEST(CalendarZoneTest, AutumnOverlapHasAnEarlierAndALaterInstant) {
  const Zone berlin = Z("Europe/Berlin");  // 2026-10-25 03:00 CEST → 02:00 CET (01:00 UTC)
  EXPECT_EQ(berlin.ToSys(Local("2026-10-25 02:30"), date::choose::earliest),
            Utc("2026-10-25 00:30"));
  EXPECT_EQ(berlin.ToSys(Local("2026-10-25 02:30"), date::choose::latest), Utc("2026-10-25 01:30"));
  EXPECT_EQ(berlin.ToLocal(Utc("2026-10-25 00:30")), Local("2026-10-25 02:30"));
  EXPECT_EQ(berlin.ToLocal(Utc("2026-10-25 01:30")), Local("2026-10-25 02:30"));
  const Zone london = Z("Europe/London");  // 2026-10-25 02:00 BST → 01:00 GMT
  EXPECT_EQ(london.ToSys(Local("2026-10-25 01:30"), date::choose::earliest),
            Utc("2026-10-25 00:30"));
  EXPECT_EQ(london.ToSys(Local("2026-10-25 01:30"), date::choose::latest), Utc("2026-10-25 01:30"));
}

TEST(CalendarZoneTest, RoundTripEveryQuarterHourOf2026) {
  for (const char* name : {"Europe/Berlin", "Europe/London"}) {
    const Zone z = Z(name);
    for (auto t = Utc("2026-01-01 00:00"); t < Utc("2027-01-01 00:00"); t += seconds{900}) {
      const date::local_seconds l = z.ToLocal(t);
      const bool earliest = z.ToSys(l, date::choose::earliest) == t;
      const bool latest = z.ToSys(l, date::choose::latest) == t;
      EXPECT_TRUE(earliest || latest) << name << " " << Show(t);
    }
  }
}

}  // namespace
}  // namespace wache::calendar
