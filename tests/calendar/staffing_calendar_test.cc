// StaffingCalendar: weekly windows, holidays, closures, special openings and daylight
// saving time, with explicit instants throughout.
#include "calendar/staffing_calendar.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <initializer_list>

#include "tests/calendar/calendar_test_util.h"

namespace wache::calendar {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_seconds;
using testing::Berlin;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::London;
using testing::Show;
using testing::Utc;
using testing::Ymd;

CalendarSpec Spec(const std::string& zone, const std::string& region, const std::string& weekly,
                  std::initializer_list<const char*> closures = {},
                  std::initializer_list<const char*> openings = {}) {
  CalendarSpec spec;
  spec.time_zone = zone;
  spec.holiday_region = region;
  Result<std::vector<WeeklyWindow>> w = ParseWeekly(weekly);
  EXPECT_TRUE(w.ok()) << w.status().message();
  if (w.ok()) spec.weekly = w.value();
  for (const char* c : closures) {
    Result<Closure> r = ParseClosure(c);
    EXPECT_TRUE(r.ok()) << r.status().message();
    if (r.ok()) spec.closures.push_back(r.value());
  }
  for (const char* o : openings) {
    Result<SpecialOpening> r = ParseOpening(o);
    EXPECT_TRUE(r.ok()) << r.status().message();
    if (r.ok()) spec.openings.push_back(r.value());
  }
  return spec;
}

StaffingCalendar Cal(const CalendarSpec& spec) {
  Result<StaffingCalendar> c = StaffingCalendar::Build(spec);
  EXPECT_TRUE(c.ok()) << c.status().message();
  return std::move(c).value();
}

StaffingCalendar Nrw(const std::string& weekly = "mon-fri 07:30-16:00",
                     std::initializer_list<const char*> closures = {},
                     std::initializer_list<const char*> openings = {}) {
  return Cal(Spec("Europe/Berlin", "NW", weekly, closures, openings));
}

// NextStaffedStart as text, "none" if there is none.
std::string Next(const StaffingCalendar& cal, sys_seconds t) {
  std::optional<sys_seconds> n = cal.NextStaffedStart(t);
  return n ? Show(*n) : "none";
}

TEST(StaffingCalendarTest, WeekdayHoursInBerlin) {
  const StaffingCalendar cal = Nrw();
  EXPECT_FALSE(cal.IsStaffed(Berlin("2026-04-01 07:29")));  // Wednesday
  EXPECT_TRUE(cal.IsStaffed(Berlin("2026-04-01 07:30")));
  EXPECT_TRUE(cal.IsStaffed(Berlin("2026-04-01 15:59")));
  EXPECT_FALSE(cal.IsStaffed(Berlin("2026-04-01 16:00")));
  EXPECT_FALSE(cal.IsStaffed(Berlin("2026-04-04 10:00")));  // Saturday
  EXPECT_EQ(Next(cal, Berlin("2026-04-01 06:00")), Show(Berlin("2026-04-01 07:30")));
  EXPECT_EQ(Next(cal, Berlin("2026-04-01 10:00")), Show(Berlin("2026-04-01 10:00")));  // now
}

TEST(StaffingCalendarTest, EasterWeekendInNrwThursdayEveningToTuesdayMorning) {
  const StaffingCalendar cal = Nrw();
  EXPECT_TRUE(cal.IsStaffed(Berlin("2026-04-02 15:00")));   // Maundy Thursday: a working day
  EXPECT_FALSE(cal.IsStaffed(Berlin("2026-04-03 10:00")));  // Karfreitag
  EXPECT_FALSE(cal.IsStaffed(Berlin("2026-04-06 10:00")));  // Ostermontag
  EXPECT_EQ(Next(cal, Berlin("2026-04-02 17:00")), "2026-04-07 05:30 UTC");  // 07:30 CEST
  EXPECT_EQ(Next(cal, Berlin("2026-04-02 17:00")), Show(Berlin("2026-04-07 07:30")));
}

TEST(StaffingCalendarTest, ChristmasInNrwAndInEngland) {
  const StaffingCalendar nrw = Nrw();
  // 2026: 25 Friday, 26 Saturday; back on Monday 28.
  EXPECT_EQ(Next(nrw, Berlin("2026-12-24 16:30")), Show(Berlin("2026-12-28 07:30")));
  const StaffingCalendar england = Cal(Spec("Europe/London", "GB-EAW", "mon-fri 07:30-16:00"));
  // Boxing Day (Saturday) is observed on Monday 28: back on Tuesday 29.
  EXPECT_FALSE(england.IsStaffed(London("2026-12-28 10:00")));
  EXPECT_EQ(Next(england, London("2026-12-24 16:30")), "2026-12-29 07:30 UTC");
  // 2027: substitute days Monday 27 and Tuesday 28.
  EXPECT_EQ(Next(england, London("2027-12-24 16:30")), "2027-12-29 07:30 UTC");
}

TEST(StaffingCalendarTest, SeveralWindowsPerDay) {
  const StaffingCalendar cal = Nrw("mo-fr 07:30-12:00, 13:00-16:00");
  EXPECT_TRUE(cal.IsStaffed(Berlin("2026-03-02 11:59")));
  EXPECT_FALSE(cal.IsStaffed(Berlin("2026-03-02 12:30")));
  EXPECT_EQ(Next(cal, Berlin("2026-03-02 12:30")), Show(Berlin("2026-03-02 13:00")));
  EXPECT_THAT(cal.StaffedBetween(Berlin("2026-03-02 00:00"), Berlin("2026-03-03 00:00")),
              ElementsAre(StaffedInterval{Berlin("2026-03-02 07:30"), Berlin("2026-03-02 12:00")},
                          StaffedInterval{Berlin("2026-03-02 13:00"), Berlin("2026-03-02 16:00")}));
}

TEST(StaffingCalendarTest, OverlappingAndAdjacentWindowsMerge) {
  const StaffingCalendar cal = Nrw("mon 08:00-12:00, mon 10:00-14:00, mon 14:00-15:00");
  EXPECT_THAT(cal.StaffedBetween(Berlin("2026-03-02 00:00"), Berlin("2026-03-03 00:00")),
              ElementsAre(StaffedInterval{Berlin("2026-03-02 08:00"), Berlin("2026-03-02 15:00")}));
}

TEST(StaffingCalendarTest, WindowOverMidnightBelongsToTheDayItStarts) {
  const StaffingCalendar cal = Nrw("fri 22:00-02:00");
  EXPECT_FALSE(cal.IsStaffed(Berlin("2026-03-06 21:59")));  // Friday
  EXPECT_TRUE(cal.IsStaffed(Berlin("2026-03-06 22:00")));
  EXPECT_TRUE(cal.IsStaffed(Berlin("2026-03-07 01:59")));  // Saturday
  EXPECT_FALSE(cal.IsStaffed(Berlin("2026-03-07 02:00")));
  EXPECT_FALSE(cal.IsStaffed(Berlin("2026-03-06 01:00")));  // Friday night before: Thursday's
  EXPECT_EQ(Next(cal, Berlin("2026-03-07 02:00")), Show(Berlin("2026-03-13 22:00")));
  EXPECT_EQ(Next(cal, Berlin("2026-03-07 01:00")), Show(Berlin("2026-03-07 01:00")));
}

TEST(StaffingCalendarTest, HolidayIsClosedFromMidnightAlsoForAWindowStartedTheEveningBefore) {
  const StaffingCalendar cal = Nrw("daily 22:00-02:00");
  EXPECT_TRUE(cal.IsStaffed(Berlin("2026-12-24 23:00")));
  EXPECT_FALSE(cal.IsStaffed(Berlin("2026-12-25 00:00")));
  EXPECT_FALSE(cal.IsStaffed(Berlin("2026-12-25 23:00")));  // 1. Weihnachtstag
  EXPECT_FALSE(cal.IsStaffed(Berlin("2026-12-27 01:00")));  // the tail of the 26th's window
  EXPECT_EQ(Next(cal, Berlin("2026-12-25 00:00")), Show(Berlin("2026-12-27 22:00")));
}

TEST(StaffingCalendarTest, NoHolidaysWithoutARegion) {
  const StaffingCalendar cal = Cal(Spec("Europe/Berlin", "", "mon-fri 07:30-16:00"));
  EXPECT_TRUE(cal.IsStaffed(Berlin("2026-04-03 10:00")));
  EXPECT_EQ(cal.HolidayOn(Ymd(2026, 4, 3)), std::nullopt);
  EXPECT_EQ(cal.holiday_region(), "");
}

TEST(StaffingCalendarTest, HolidayOn) {
  const StaffingCalendar cal = Nrw();
  ASSERT_TRUE(cal.HolidayOn(Ymd(2026, 6, 4)));
  EXPECT_EQ(cal.HolidayOn(Ymd(2026, 6, 4))->name, "Fronleichnam");
  EXPECT_EQ(cal.HolidayOn(Ymd(2026, 6, 5)), std::nullopt);
  // 2008: Christi Himmelfahrt fell on 1 May.
  EXPECT_EQ(cal.HolidayOn(Ymd(2008, 5, 1))->name, "Tag der Arbeit / Christi Himmelfahrt");
  EXPECT_EQ(cal.holiday_region(), "NW");
}

TEST(StaffingCalendarTest, SpringForwardInBerlin) {
  // Sunday 2026-03-29: 02:00 CET becomes 03:00 CEST (01:00 UTC).
  const StaffingCalendar cal = Nrw("so 01:30-03:00, so 02:00-02:30, so 02:30-04:00");
  // 01:30 CET (00:30 UTC) to the jump: half an hour; then 02:30 (= the jump) to 04:00 CEST.
  EXPECT_THAT(cal.StaffedBetween(Utc("2026-03-28 22:00"), Utc("2026-03-29 12:00")),
              ElementsAre(StaffedInterval{Utc("2026-03-29 00:30"), Utc("2026-03-29 02:00")}));
  const StaffingCalendar gap_only = Nrw("so 02:00-02:30");
  EXPECT_FALSE(gap_only.IsStaffed(Utc("2026-03-29 00:59")));
  EXPECT_FALSE(gap_only.IsStaffed(Utc("2026-03-29 01:00")));
  // The window does not exist that day; the next one is a week later (CEST: 00:00 UTC).
  EXPECT_EQ(Next(gap_only, Utc("2026-03-28 23:00")), "2026-04-05 00:00 UTC");
}

TEST(StaffingCalendarTest, WeekdayHoursAcrossTheSpringChange) {
  const StaffingCalendar cal = Nrw();
  EXPECT_EQ(Next(cal, Berlin("2026-03-27 16:00")), "2026-03-30 05:30 UTC");  // CEST
  EXPECT_TRUE(cal.IsStaffed(Utc("2026-03-27 06:30")));                       // 07:30 CET
  EXPECT_FALSE(cal.IsStaffed(Utc("2026-03-30 05:29")));
  EXPECT_TRUE(cal.IsStaffed(Utc("2026-03-30 05:30")));
}

TEST(StaffingCalendarTest, FallBackInBerlin) {
  // Sunday 2026-10-25: 03:00 CEST becomes 02:00 CET (01:00 UTC); 02:00–02:59 twice.
  const StaffingCalendar a = Nrw("so 01:30-03:00");
  // 01:30 CEST (23:30 UTC) to 03:00 CET (02:00 UTC): two and a half hours.
  EXPECT_THAT(a.StaffedBetween(Utc("2026-10-24 12:00"), Utc("2026-10-25 12:00")),
              ElementsAre(StaffedInterval{Utc("2026-10-24 23:30"), Utc("2026-10-25 02:00")}));
  // From the first 02:30 to the second 02:30.
  const StaffingCalendar b = Nrw("so 02:30-02:45, so 00:00-02:30");
  EXPECT_THAT(b.StaffedBetween(Utc("2026-10-24 12:00"), Utc("2026-10-25 12:00")),
              ElementsAre(StaffedInterval{Utc("2026-10-24 22:00"), Utc("2026-10-25 01:45")}));
  const StaffingCalendar weekdays = Nrw();
  EXPECT_EQ(Next(weekdays, Berlin("2026-10-23 16:00")), "2026-10-26 06:30 UTC");  // CET
}

TEST(StaffingCalendarTest, DaylightSavingChangesInLondon) {
  // 2026-03-29: 01:00 GMT becomes 02:00 BST. 2026-10-25: 02:00 BST becomes 01:00 GMT.
  const StaffingCalendar cal = Cal(Spec("Europe/London", "GB-EAW", "su 00:30-01:30"));
  EXPECT_THAT(cal.StaffedBetween(Utc("2026-03-28 12:00"), Utc("2026-03-29 12:00")),
              ElementsAre(StaffedInterval{Utc("2026-03-29 00:30"), Utc("2026-03-29 01:00")}));
  // 00:30 BST (23:30 UTC) to the second 01:30 (01:30 GMT).
  EXPECT_THAT(cal.StaffedBetween(Utc("2026-10-24 12:00"), Utc("2026-10-25 12:00")),
              ElementsAre(StaffedInterval{Utc("2026-10-24 23:30"), Utc("2026-10-25 01:30")}));
  const StaffingCalendar weekdays = Cal(Spec("Europe/London", "GB-EAW", "mon-fri 09:00-17:00"));
  EXPECT_EQ(Next(weekdays, London("2026-03-27 18:00")), "2026-03-30 08:00 UTC");
  EXPECT_EQ(Next(weekdays, London("2026-10-23 18:00")), "2026-10-26 09:00 UTC");
}

TEST(StaffingCalendarTest, DaylightSavingAfter2037) {
  const StaffingCalendar cal = Nrw();
  EXPECT_TRUE(cal.IsStaffed(Utc("2040-07-02 05:30")));  // Monday 07:30 CEST
  EXPECT_FALSE(cal.IsStaffed(Utc("2040-07-02 05:29")));
  EXPECT_TRUE(cal.IsStaffed(Utc("2040-01-16 06:30")));  // Monday 07:30 CET
  EXPECT_FALSE(cal.IsStaffed(Utc("2040-01-16 06:29")));
}

TEST(StaffingCalendarTest, ClosuresOfPartOfADayAndOfSeveralDays) {
  const StaffingCalendar cal =
      Nrw("mon-fri 07:30-16:00", {"2026-12-24 12:00-24:00", "2026-12-28 - 2026-12-31"});
  EXPECT_TRUE(cal.IsStaffed(Berlin("2026-12-24 11:59")));
  EXPECT_FALSE(cal.IsStaffed(Berlin("2026-12-24 12:00")));
  EXPECT_FALSE(cal.IsStaffed(Berlin("2026-12-30 10:00")));
  // 1 January is a holiday, 2 January 2027 a Saturday.
  EXPECT_EQ(Next(cal, Berlin("2026-12-24 12:00")), Show(Berlin("2027-01-04 07:30")));
  // A closure in the middle of a window splits it.
  const StaffingCalendar split = Nrw("mon-fri 07:30-16:00", {"2026-03-04 10:00-11:00"});
  EXPECT_THAT(split.StaffedBetween(Berlin("2026-03-04 00:00"), Berlin("2026-03-05 00:00")),
              ElementsAre(StaffedInterval{Berlin("2026-03-04 07:30"), Berlin("2026-03-04 10:00")},
                          StaffedInterval{Berlin("2026-03-04 11:00"), Berlin("2026-03-04 16:00")}));
  EXPECT_EQ(Next(split, Berlin("2026-03-04 10:15")), Show(Berlin("2026-03-04 11:00")));
}

TEST(StaffingCalendarTest, SpecialOpeningOnAHolidayAndOnAnOrdinaryDay) {
  const StaffingCalendar cal =
      Nrw("mon-fri 07:30-16:00", {},
          {"2026-06-04 10:00-14:00", "2026-06-05 12:00-22:00", "2026-06-06 20:00-02:00"});
  EXPECT_FALSE(cal.IsStaffed(Berlin("2026-06-04 09:59")));  // Fronleichnam
  EXPECT_TRUE(cal.IsStaffed(Berlin("2026-06-04 10:00")));
  EXPECT_FALSE(cal.IsStaffed(Berlin("2026-06-04 14:00")));
  // On Friday the opening replaces 07:30-16:00.
  EXPECT_FALSE(cal.IsStaffed(Berlin("2026-06-05 08:00")));
  EXPECT_TRUE(cal.IsStaffed(Berlin("2026-06-05 21:00")));
  // Saturday night into Sunday.
  EXPECT_TRUE(cal.IsStaffed(Berlin("2026-06-07 01:00")));
  EXPECT_EQ(Next(cal, Berlin("2026-06-03 17:00")), Show(Berlin("2026-06-04 10:00")));
  EXPECT_EQ(Next(cal, Berlin("2026-06-04 14:00")), Show(Berlin("2026-06-05 12:00")));
}

TEST(StaffingCalendarTest, ClosureWinsOverSpecialOpening) {
  const StaffingCalendar cal =
      Nrw("mon-fri 07:30-16:00", {"2026-06-04 12:00-24:00"}, {"2026-06-04 10:00-14:00"});
  EXPECT_TRUE(cal.IsStaffed(Berlin("2026-06-04 11:00")));
  EXPECT_FALSE(cal.IsStaffed(Berlin("2026-06-04 12:00")));
}

TEST(StaffingCalendarTest, NoStaffedTimeWithinAYear) {
  EXPECT_EQ(Next(Nrw("none"), Berlin("2026-01-01 00:00")), "none");
  const StaffingCalendar closed = Nrw("mon-fri 07:30-16:00", {"2026-01-01 - 2027-06-30"});
  EXPECT_EQ(Next(closed, Berlin("2026-01-01 00:00")), "none");
  EXPECT_FALSE(closed.IsStaffed(Berlin("2026-05-05 10:00")));
  // Exactly at the edge: staffed again 366 days later is still found.
  const StaffingCalendar edge = Nrw("daily 00:00-24:00", {"2026-01-01 - 2026-12-31"});
  EXPECT_EQ(Next(edge, Berlin("2026-01-01 00:00")), Show(Berlin("2027-01-02 00:00")));
}

TEST(StaffingCalendarTest, BuildErrorsSayWhatToFix) {
  auto error = [](const CalendarSpec& s) {
    Result<StaffingCalendar> c = StaffingCalendar::Build(s);
    EXPECT_FALSE(c.ok());
    return c.status().message();
  };
  CalendarSpec s = Spec("Europe/Berlin", "NW", "mon-fri 07:30-16:00");
  s.time_zone = "Berlin";
  EXPECT_THAT(error(s), HasSubstr("unknown time zone \"Berlin\""));
  s.time_zone = "";
  EXPECT_THAT(error(s), HasSubstr("no time zone"));
  s.time_zone = "Europe/Berlin";
  s.holiday_region = "Nordrhein-Westfalen";
  EXPECT_THAT(error(s), HasSubstr("unknown holiday region \"Nordrhein-Westfalen\""));
  EXPECT_THAT(error(s), HasSubstr("NW"));
  s.holiday_region = "NW";
  s.weekly.push_back({date::Monday, 600, 600});
  EXPECT_THAT(error(s), HasSubstr("weekly window mon 10:00-10:00"));
  s.weekly.back() = {date::Monday, 600, 1500};
  EXPECT_THAT(error(s), HasSubstr("the end must be 00:00 to 24:00"));
  s.weekly.pop_back();
  s.openings.push_back({Ymd(2026, 6, 4), {{600, 700}}});
  s.openings.push_back({Ymd(2026, 6, 4), {{800, 900}}});
  EXPECT_THAT(error(s), HasSubstr("two special openings on 2026-06-04"));
  s.openings.pop_back();
  s.openings.push_back({Ymd(2026, 6, 5), {}});
  EXPECT_THAT(error(s), HasSubstr("special opening on 2026-06-05: no hours"));
  s.openings.pop_back();
  s.closures.push_back({date::local_days{Ymd(2026, 6, 5)}, date::local_days{Ymd(2026, 6, 4)}});
  EXPECT_THAT(error(s), HasSubstr("ends before it begins"));
}

// A full year, minute by minute: IsStaffed, NextStaffedStart and StaffedBetween agree, and
// the total matches the working days. For every hour t, NextStaffedStart(t) is staffed and
// nothing between t and it is.
class CalendarYearWalkTest : public ::testing::TestWithParam<const char*> {};

TEST_P(CalendarYearWalkTest, IsStaffedAndNextStaffedStartAgree) {
  const std::string zone = GetParam();
  const StaffingCalendar cal =
      Cal(Spec(zone, zone == "Europe/London" ? "GB-EAW" : "NW",
               "mon-fri 07:30-12:00, 13:00-16:00, fri 22:00-02:00, sat 10:00-14:00, "
               "so 01:30-03:00",
               {"2026-12-24 12:00-24:00", "2026-07-13 - 2026-07-17"},
               {"2026-06-04 10:00-14:00", "2026-05-01 23:00-01:00"}));
  const sys_seconds begin = Utc("2026-01-01 00:00");
  const int n = 366 * 24 * 60 + 7 * 24 * 60;  // a week into 2027 for the last lookups
  std::vector<bool> staffed(n);
  for (int i = 0; i < n; ++i) staffed[i] = cal.IsStaffed(begin + minutes{i});
  std::vector<int> next(n + 1, -1);  // the first staffed minute at or after i
  for (int i = n - 1; i >= 0; --i) next[i] = staffed[i] ? i : next[i + 1];

  for (int i = 0; i < 365 * 24 * 60; i += 60) {
    const sys_seconds t = begin + minutes{i};
    std::optional<sys_seconds> got = cal.NextStaffedStart(t);
    ASSERT_TRUE(got) << Show(t);
    ASSERT_NE(next[i], -1) << Show(t);
    EXPECT_EQ(Show(*got), Show(begin + minutes{next[i]})) << "from " << Show(t);
    EXPECT_TRUE(cal.IsStaffed(*got));
    EXPECT_TRUE(cal.StaffedBetween(t, *got).empty()) << Show(t);
    if (*got > t) {
      EXPECT_FALSE(cal.IsStaffed(*got - seconds{1}));
    }
  }
}

TEST(CalendarYearWalkTotalsTest, StaffedMinutesOf2026InNrw) {
  const StaffingCalendar cal = Nrw();
  // 261 weekdays, 8 of them holidays in NRW (3 October, 1 November and 26 December are on
  // a weekend): 253 days of 8.5 hours.
  int staffed = 0;
  for (sys_seconds t = Berlin("2026-01-01 00:00"); t < Berlin("2027-01-01 00:00");
       t += minutes{1}) {
    staffed += cal.IsStaffed(t) ? 1 : 0;
  }
  EXPECT_EQ(staffed, 253 * 510);
  long total = 0;
  for (const StaffedInterval& s :
       cal.StaffedBetween(Berlin("2026-01-01 00:00"), Berlin("2027-01-01 00:00"))) {
    total += std::chrono::duration_cast<minutes>(s.end - s.begin).count();
  }
  EXPECT_EQ(total, 253 * 510);
}

INSTANTIATE_TEST_SUITE_P(Zones, CalendarYearWalkTest,
                         ::testing::Values("Europe/Berlin", "Europe/London"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           return std::string(info.param).substr(7);
                         });

}  // namespace
}  // namespace wache::calendar
