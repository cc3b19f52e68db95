// The strings staff write in YAML: weekly hours, closures, special openings, and the
// error messages for what cannot be read.
#include "calendar/spec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/calendar/calendar_test_util.h"

namespace wache::calendar {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::Local;
using testing::Ymd;

constexpr int H(int h, int m = 0) { return h * 60 + m; }

std::vector<WeeklyWindow> Weekly(const std::string& text) {
  Result<std::vector<WeeklyWindow>> r = ParseWeekly(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().message();
  return r.ok() ? r.value() : std::vector<WeeklyWindow>{};
}

std::string WeeklyError(const std::string& text) {
  Result<std::vector<WeeklyWindow>> r = ParseWeekly(text);
  EXPECT_FALSE(r.ok()) << text;
  return r.status().message();
}

Closure ClosureOf(const std::string& text) {
  Result<Closure> r = ParseClosure(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().message();
  return r.ok() ? r.value() : Closure{};
}

std::string ClosureError(const std::string& text) {
  Result<Closure> r = ParseClosure(text);
  EXPECT_FALSE(r.ok()) << text;
  return r.status().message();
}

TEST(CalendarParseWeeklyTest, RangesOfDaysAndSeveralWindows) {
  const std::vector<WeeklyWindow> w =
      Weekly("mon-fri 07:30-16:00, sat 10:00-14:00, fri 22:00-02:00");
  ASSERT_EQ(w.size(), 7u);
  EXPECT_EQ(w[0], (WeeklyWindow{date::Monday, H(7, 30), H(16)}));
  EXPECT_EQ(w[4], (WeeklyWindow{date::Friday, H(7, 30), H(16)}));
  EXPECT_EQ(w[5], (WeeklyWindow{date::Saturday, H(10), H(14)}));
  EXPECT_EQ(w[6], (WeeklyWindow{date::Friday, H(22), H(2)}));
  EXPECT_TRUE(w[6].range().CrossesMidnight());
  EXPECT_FALSE(w[0].range().CrossesMidnight());
}

TEST(CalendarParseWeeklyTest, GermanDaysCaseDotsDashesAndUhr) {
  EXPECT_EQ(Weekly("Mo.–Fr. 7:30 – 16 Uhr"), Weekly("mon-fri 07:30-16:00"));
  EXPECT_EQ(Weekly("Di 8.15-12.00"), (std::vector<WeeklyWindow>{{date::Tuesday, H(8, 15), H(12)}}));
  EXPECT_EQ(Weekly("mi 9-10; do 9-10; so 9-10"),
            (std::vector<WeeklyWindow>{{date::Wednesday, H(9), H(10)},
                                       {date::Thursday, H(9), H(10)},
                                       {date::Sunday, H(9), H(10)}}));
  EXPECT_EQ(Weekly("Samstag 10:00-14:00"), Weekly("saturday 10:00-14:00"));
  EXPECT_EQ(Weekly("Sonnabend 10:00-14:00"), Weekly("sa 10:00-14:00"));
}

TEST(CalendarParseWeeklyTest, AnItemWithoutDaysContinuesTheLastDays) {
  EXPECT_EQ(Weekly("mo-fr 07:30-12:00, 13:00-16:00"), Weekly("mo-fr 07:30-12:00 13:00-16:00"));
  EXPECT_EQ(Weekly("mo-fr 07:30-12:00, 13:00-16:00").size(), 10u);
}

TEST(CalendarParseWeeklyTest, WrappingRangesDailyAndMidnight) {
  std::vector<WeeklyWindow> w = Weekly("fri-mon 20:00-24:00");
  ASSERT_EQ(w.size(), 4u);
  EXPECT_EQ(w[0].day, date::Friday);
  EXPECT_EQ(w[3].day, date::Monday);
  EXPECT_EQ(w[0].end_minute, 24 * 60);
  EXPECT_EQ(Weekly("daily 00:00-24:00").size(), 7u);
  EXPECT_EQ(Weekly("täglich 8-9").size(), 7u);
  // "22:00-00:00" is the same as "22:00-24:00".
  EXPECT_EQ(Weekly("sa 22:00-00:00"), Weekly("sa 22:00-24:00"));
}

TEST(CalendarParseWeeklyTest, NoneMeansNeverStaffed) {
  EXPECT_THAT(Weekly("none"), IsEmpty());
  EXPECT_THAT(Weekly("keine"), IsEmpty());
}

TEST(CalendarParseWeeklyTest, ErrorsNameTheItemAndSayHowToWriteIt) {
  std::string e = WeeklyError("mon-fri 07:30-16:00, sat 10:00");
  EXPECT_THAT(e, HasSubstr("item 2 \"sat 10:00\""));
  EXPECT_THAT(e, HasSubstr("start and an end like 10:00-14:00"));

  e = WeeklyError("mn-fri 07:30-16:00");
  EXPECT_THAT(e, HasSubstr("item 1"));
  EXPECT_THAT(e, HasSubstr("\"mn\" is not a day"));
  EXPECT_THAT(e, HasSubstr("mo, di, mi, do, fr, sa, so"));

  e = WeeklyError("mon-fry 8-9");
  EXPECT_THAT(e, HasSubstr("\"fry\" is not a day"));

  e = WeeklyError("07:30-16:00");
  EXPECT_THAT(e, HasSubstr("the days are missing"));

  e = WeeklyError("mon-fri");
  EXPECT_THAT(e, HasSubstr("the times are missing"));

  e = WeeklyError("mon 07:30-25:00");
  EXPECT_THAT(e, HasSubstr("\"25:00\" is not an end time"));

  e = WeeklyError("mon 24:00-02:00");
  EXPECT_THAT(e, HasSubstr("\"24:00\" is not a start time"));

  e = WeeklyError("mon 07:61-08:00");
  EXPECT_THAT(e, HasSubstr("\"07:61\""));

  e = WeeklyError("mon 08:00-08:00");
  EXPECT_THAT(e, HasSubstr("same time"));
  EXPECT_THAT(e, HasSubstr("00:00-24:00"));

  EXPECT_THAT(WeeklyError(""), HasSubstr("\"none\""));
  EXPECT_THAT(WeeklyError(" , "), HasSubstr("empty"));
}

TEST(CalendarParseClosureTest, TheFourForms) {
  EXPECT_EQ(ClosureOf("2026-12-31"),
            (Closure{Local("2026-12-31 00:00"), Local("2027-01-01 00:00")}));
  EXPECT_EQ(ClosureOf("2026-12-24 12:00-24:00"),
            (Closure{Local("2026-12-24 12:00"), Local("2026-12-25 00:00")}));
  EXPECT_EQ(ClosureOf("2026-12-24 - 2026-12-31"),
            (Closure{Local("2026-12-24 00:00"), Local("2027-01-01 00:00")}));
  EXPECT_EQ(ClosureOf("2026-12-24 12:00 - 2026-12-27 08:00"),
            (Closure{Local("2026-12-24 12:00"), Local("2026-12-27 08:00")}));
}

TEST(CalendarParseClosureTest, OtherSpellings) {
  EXPECT_EQ(ClosureOf("2026-12-24..2026-12-31"), ClosureOf("2026-12-24 - 2026-12-31"));
  EXPECT_EQ(ClosureOf("2026-12-24 bis 2026-12-31"), ClosureOf("2026-12-24 - 2026-12-31"));
  EXPECT_EQ(ClosureOf("2026-12-24 – 2026-12-31"), ClosureOf("2026-12-24 - 2026-12-31"));
  EXPECT_EQ(ClosureOf("2026-12-24-2026-12-31"), ClosureOf("2026-12-24 - 2026-12-31"));
  EXPECT_EQ(ClosureOf("  2026-12-24 12 Uhr - 24 Uhr "), ClosureOf("2026-12-24 12:00-24:00"));
  EXPECT_EQ(ClosureOf("2026-1-5"), ClosureOf("2026-01-05"));
  // An end before the start is on the next day, as in the weekly hours.
  EXPECT_EQ(ClosureOf("2026-12-31 22:00-02:00"),
            (Closure{Local("2026-12-31 22:00"), Local("2027-01-01 02:00")}));
  // A range from a date to a time on another date.
  EXPECT_EQ(ClosureOf("2026-12-24 - 2026-12-27 08:00"),
            (Closure{Local("2026-12-24 00:00"), Local("2026-12-27 08:00")}));
}

TEST(CalendarParseClosureTest, Errors) {
  std::string e = ClosureError("2026-13-24");
  EXPECT_THAT(e, HasSubstr("closure \"2026-13-24\""));
  EXPECT_THAT(e, HasSubstr("not a date"));

  EXPECT_THAT(ClosureError("2026-02-30"), HasSubstr("2026-02-30 is not a date in the calendar"));
  EXPECT_THAT(ClosureError("24.12.2026"), HasSubstr("must start with a date"));
  EXPECT_THAT(ClosureError("24.12.2026"), HasSubstr("2026-12-24 12:00-24:00"));
  EXPECT_THAT(ClosureError("2026-12-24 12:00"), HasSubstr("a start time needs an end"));
  EXPECT_THAT(ClosureError("2026-12-24 12:00-25:00"), HasSubstr("\"25:00\" is not a time"));
  EXPECT_THAT(ClosureError("2026-12-31 - 2026-12-24"), HasSubstr("ends before it begins"));
  EXPECT_THAT(ClosureError("2026-12-24 10:00-10:00"), HasSubstr("same time"));
  EXPECT_THAT(ClosureError("2026-12-24 afternoon"), HasSubstr("cannot read \"afternoon\""));
  EXPECT_THAT(ClosureError("2026-12-24 - 12:00"), HasSubstr("write an end date"));
  EXPECT_THAT(ClosureError(""), HasSubstr("empty"));
}

TEST(CalendarParseOpeningTest, DateWithWindows) {
  Result<SpecialOpening> r = ParseOpening("2026-06-14 10:00-18:00, 20:00-02:00");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value().date, Ymd(2026, 6, 14));
  EXPECT_THAT(r.value().windows, ElementsAre(TimeRange{H(10), H(18)}, TimeRange{H(20), H(2)}));
  Result<SpecialOpening> whole = ParseOpening("2026-06-04 00:00 - 24:00");
  ASSERT_TRUE(whole.ok());
  EXPECT_THAT(whole.value().windows, ElementsAre(TimeRange{0, 24 * 60}));
}

TEST(CalendarParseOpeningTest, Errors) {
  Result<SpecialOpening> r = ParseOpening("2026-06-14");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("special opening \"2026-06-14\""));
  EXPECT_THAT(r.status().message(), HasSubstr("the hours are missing"));
  EXPECT_THAT(ParseOpening("14.06.2026 10-18").status().message(), HasSubstr("start with a date"));
  EXPECT_THAT(ParseOpening("2026-06-14 10-18, abends").status().message(),
              HasSubstr("\"abends\" is not a time range"));
  EXPECT_THAT(ParseOpening("2026-06-31 10-18").status().message(), HasSubstr("not a date"));
}

TEST(CalendarFormatMinuteTest, TwoDigitHoursAndMinutes) {
  EXPECT_EQ(FormatMinute(0), "00:00");
  EXPECT_EQ(FormatMinute(450), "07:30");
  EXPECT_EQ(FormatMinute(1440), "24:00");
}

}  // namespace
}  // namespace wache::calendar
