// Public holidays: Easter, the German states (NRW exactly as domain.md §6 lists it) and
// England and Wales bank holidays with their substitute days and one-off changes.
#include "calendar/holidays.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "tests/calendar/calendar_test_util.h"

namespace wache::calendar {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::Ymd;

std::string DateText(date::year_month_day d) { return date::format("%F", date::local_days{d}); }

// "2026-01-01 Neujahr" lines, for readable failures.
std::vector<std::string> Lines(const std::vector<Holiday>& hs) {
  std::vector<std::string> out;
  for (const Holiday& h : hs) {
    std::ostringstream s;
    s << h;
    out.push_back(s.str());
  }
  return out;
}

std::vector<std::string> Dates(const std::vector<Holiday>& hs) {
  std::vector<std::string> out;
  for (const Holiday& h : hs) out.push_back(DateText(h.date));
  return out;
}

bool Has(const std::string& region, int year, const std::string& name) {
  const std::vector<Holiday> hs = HolidaysInYear(region, year);
  return std::any_of(hs.begin(), hs.end(), [&](const Holiday& h) { return h.name == name; });
}

// Gauss's Easter formula with its two exceptions: an algorithm independent of the one
// under test.
date::year_month_day GaussEaster(int y) {
  const int a = y % 19, b = y % 4, c = y % 7, k = y / 100;
  const int p = (13 + 8 * k) / 25, q = k / 4;
  const int m = (15 - p + k - q) % 30, n = (4 + k - q) % 7;
  const int d = (19 * a + m) % 30, e = (2 * b + 4 * c + 6 * d + n) % 7;
  if (d == 29 && e == 6) return Ymd(y, 4, 19);
  if (d == 28 && e == 6 && (11 * m + 11) % 30 < 19) return Ymd(y, 4, 18);
  const int day = 22 + d + e;
  return day <= 31 ? Ymd(y, 3, static_cast<unsigned>(day))
                   : Ymd(y, 4, static_cast<unsigned>(day - 31));
}

TEST(CalendarEasterTest, KnownYears) {
  EXPECT_EQ(EasterSunday(1990), Ymd(1990, 4, 15));
  EXPECT_EQ(EasterSunday(2000), Ymd(2000, 4, 23));
  EXPECT_EQ(EasterSunday(2008), Ymd(2008, 3, 23));
  EXPECT_EQ(EasterSunday(2011), Ymd(2011, 4, 24));
  EXPECT_EQ(EasterSunday(2019), Ymd(2019, 4, 21));
  EXPECT_EQ(EasterSunday(2024), Ymd(2024, 3, 31));
  EXPECT_EQ(EasterSunday(2025), Ymd(2025, 4, 20));
  EXPECT_EQ(EasterSunday(2026), Ymd(2026, 4, 5));
  EXPECT_EQ(EasterSunday(2027), Ymd(2027, 3, 28));
  EXPECT_EQ(EasterSunday(2038), Ymd(2038, 4, 25));
  EXPECT_EQ(EasterSunday(2100), Ymd(2100, 3, 28));
}

TEST(CalendarEasterTest, AgreesWithGaussForEverySupportedYearAndIsASunday) {
  for (int y = kFirstHolidayYear; y <= kLastHolidayYear; ++y) {
    EXPECT_EQ(EasterSunday(y), GaussEaster(y)) << y;
    EXPECT_EQ(date::weekday{date::local_days{EasterSunday(y)}}, date::Sunday) << y;
  }
}

TEST(CalendarGermanHolidaysTest, NrwTwentyTwentySixMatchesDomainDoc) {
  EXPECT_THAT(Lines(HolidaysInYear("NW", 2026)),
              ElementsAre("2026-01-01 Neujahr", "2026-04-03 Karfreitag", "2026-04-06 Ostermontag",
                          "2026-05-01 Tag der Arbeit", "2026-05-14 Christi Himmelfahrt",
                          "2026-05-25 Pfingstmontag", "2026-06-04 Fronleichnam",
                          "2026-10-03 Tag der Deutschen Einheit", "2026-11-01 Allerheiligen",
                          "2026-12-25 1. Weihnachtstag", "2026-12-26 2. Weihnachtstag"));
}

TEST(CalendarGermanHolidaysTest, NrwHasElevenEveryYearExceptTheReformationJubilee) {
  for (int y = kFirstHolidayYear; y <= kLastHolidayYear; ++y) {
    const std::vector<Holiday> hs = HolidaysInYear("NW", y);
    // Until 1994 also Buß- und Bettag; 2017 also Reformationstag.
    const size_t expected = y <= 1994 ? 12 : y == 2017 ? 12 : 11;
    EXPECT_EQ(hs.size(), expected) << y;
    EXPECT_FALSE(Has("NW", y, "Heilige Drei Könige"));
    EXPECT_FALSE(Has("NW", y, "Mariä Himmelfahrt"));
    EXPECT_TRUE(std::is_sorted(hs.begin(), hs.end(), [](const Holiday& a, const Holiday& b) {
      return date::local_days{a.date} < date::local_days{b.date};
    }));
  }
}

TEST(CalendarGermanHolidaysTest, EasterBasedDatesFollowEaster) {
  // 2024: Easter 31 March.
  EXPECT_THAT(Dates(HolidaysInYear("NW", 2024)),
              ElementsAre("2024-01-01", "2024-03-29", "2024-04-01", "2024-05-01", "2024-05-09",
                          "2024-05-20", "2024-05-30", "2024-10-03", "2024-11-01", "2024-12-25",
                          "2024-12-26"));
}

TEST(CalendarGermanHolidaysTest, NumberOfHolidaysPerStateIn2026) {
  // Brandenburg and Hessen count Ostersonntag and Pfingstsonntag too.
  const std::map<std::string, size_t> expected = {
      {"BW", 12}, {"BY", 12}, {"BE", 10}, {"BB", 12}, {"HB", 10}, {"HH", 10},
      {"HE", 12}, {"MV", 11}, {"NI", 10}, {"NW", 11}, {"RP", 11}, {"SL", 12},
      {"SN", 11}, {"ST", 11}, {"SH", 10}, {"TH", 11}, {"DE", 9}};
  for (const auto& [region, n] : expected) {
    EXPECT_EQ(HolidaysInYear(region, 2026).size(), n) << region;
  }
}

TEST(CalendarGermanHolidaysTest, StateSpecificHolidays) {
  for (const char* s : {"BW", "BY", "ST"}) EXPECT_TRUE(Has(s, 2026, "Heilige Drei Könige")) << s;
  EXPECT_FALSE(Has("BE", 2026, "Heilige Drei Könige"));

  EXPECT_FALSE(Has("BE", 2018, "Internationaler Frauentag"));
  EXPECT_TRUE(Has("BE", 2019, "Internationaler Frauentag"));
  EXPECT_FALSE(Has("MV", 2022, "Internationaler Frauentag"));
  EXPECT_TRUE(Has("MV", 2023, "Internationaler Frauentag"));

  for (const char* s : {"BB", "MV", "SN", "ST", "TH"}) EXPECT_TRUE(Has(s, 2005, "Reformationstag"));
  for (const char* s : {"HB", "HH", "NI", "SH"}) {
    EXPECT_FALSE(Has(s, 2016, "Reformationstag")) << s;
    EXPECT_TRUE(Has(s, 2018, "Reformationstag")) << s;
  }
  for (const std::string& s : HolidayRegions()) {
    if (s != "GB-EAW") {
      EXPECT_TRUE(Has(s, 2017, "Reformationstag")) << s;
    }
  }
  EXPECT_FALSE(Has("NW", 2018, "Reformationstag"));

  for (const char* s : {"BW", "BY", "NW", "RP", "SL"}) EXPECT_TRUE(Has(s, 2026, "Allerheiligen"));
  EXPECT_FALSE(Has("HE", 2026, "Allerheiligen"));
  for (const char* s : {"BW", "BY", "HE", "NW", "RP", "SL"}) {
    EXPECT_TRUE(Has(s, 2026, "Fronleichnam")) << s;
  }
  EXPECT_FALSE(Has("SN", 2026, "Fronleichnam"));  // only some communities
  EXPECT_FALSE(Has("TH", 2026, "Fronleichnam"));

  EXPECT_TRUE(Has("SL", 2026, "Mariä Himmelfahrt"));
  EXPECT_FALSE(Has("BY", 2026, "Mariä Himmelfahrt"));  // not statewide

  EXPECT_FALSE(Has("TH", 2018, "Weltkindertag"));
  EXPECT_TRUE(Has("TH", 2019, "Weltkindertag"));

  EXPECT_TRUE(Has("BE", 2020, "Tag der Befreiung"));
  EXPECT_TRUE(Has("BE", 2025, "Tag der Befreiung"));
  EXPECT_FALSE(Has("BE", 2026, "Tag der Befreiung"));
}

TEST(CalendarGermanHolidaysTest, BussUndBettagIsTheWednesdayBeforeTheTwentyThirdOfNovember) {
  auto buss = [](int y) -> std::string {
    for (const Holiday& h : HolidaysInYear("SN", y)) {
      if (h.name == "Buß- und Bettag") return DateText(h.date);
    }
    return "";
  };
  EXPECT_EQ(buss(2017), "2017-11-22");
  EXPECT_EQ(buss(2023), "2023-11-22");  // 22 November itself is a Wednesday
  EXPECT_EQ(buss(2024), "2024-11-20");
  EXPECT_EQ(buss(2025), "2025-11-19");
  EXPECT_EQ(buss(2026), "2026-11-18");
  EXPECT_EQ(buss(2028), "2028-11-22");
  EXPECT_EQ(buss(2029), "2029-11-21");
  EXPECT_EQ(buss(2030), "2030-11-20");
  EXPECT_EQ(buss(2031), "2031-11-19");
  EXPECT_EQ(buss(2032), "2032-11-17");
  EXPECT_EQ(buss(2033), "2033-11-16");  // 23 November is a Wednesday: a week earlier
  // Everywhere until 1994, only Sachsen since.
  EXPECT_TRUE(Has("NW", 1994, "Buß- und Bettag"));
  EXPECT_FALSE(Has("NW", 1995, "Buß- und Bettag"));
  EXPECT_TRUE(Has("SN", 1995, "Buß- und Bettag"));
}

TEST(CalendarHolidayRegionTest, SpellingsAndUnknownRegions) {
  EXPECT_EQ(CanonicalHolidayRegion("nw"), "NW");
  EXPECT_EQ(CanonicalHolidayRegion("DE-NW"), "NW");
  EXPECT_EQ(CanonicalHolidayRegion("NRW"), "NW");
  EXPECT_EQ(CanonicalHolidayRegion("gb-eaw"), "GB-EAW");
  EXPECT_EQ(CanonicalHolidayRegion("GB-ENG"), "GB-EAW");
  EXPECT_EQ(CanonicalHolidayRegion("de"), "DE");
  EXPECT_EQ(CanonicalHolidayRegion("XX"), std::nullopt);
  EXPECT_EQ(CanonicalHolidayRegion("GB-SCT"), std::nullopt);  // Scotland differs
  EXPECT_EQ(CanonicalHolidayRegion(""), std::nullopt);
  EXPECT_EQ(HolidayRegions().size(), 18u);
  EXPECT_THAT(HolidaysInYear("XX", 2026), IsEmpty());
  EXPECT_EQ(HolidaysInYear("DE-NW", 2026), HolidaysInYear("NW", 2026));
}

TEST(CalendarHolidayRegionTest, SupportedYears) {
  EXPECT_THAT(HolidaysInYear("NW", 1989), IsEmpty());
  EXPECT_THAT(HolidaysInYear("NW", 2201), IsEmpty());
  EXPECT_EQ(HolidaysInYear("NW", 1990).size(), 12u);
  EXPECT_EQ(HolidaysInYear("NW", 2200).size(), 11u);
  EXPECT_EQ(HolidaysInYear("GB-EAW", 2200).size(), 8u);
}

TEST(CalendarEnglandHolidaysTest, TwentyTwentyOneWithChristmasAndBoxingDayOnTheWeekend) {
  EXPECT_THAT(
      Lines(HolidaysInYear("GB-EAW", 2021)),
      ElementsAre("2021-01-01 New Year's Day", "2021-04-02 Good Friday", "2021-04-05 Easter Monday",
                  "2021-05-03 Early May bank holiday", "2021-05-31 Spring bank holiday",
                  "2021-08-30 Summer bank holiday", "2021-12-27 Christmas Day (substitute day)",
                  "2021-12-28 Boxing Day (substitute day)"));
}

TEST(CalendarEnglandHolidaysTest, TwentyTwentyTwoWithJubileeFuneralAndSundayChristmas) {
  EXPECT_THAT(Dates(HolidaysInYear("GB-EAW", 2022)),
              ElementsAre("2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02",
                          "2022-06-03", "2022-08-29", "2022-09-19", "2022-12-26", "2022-12-27"));
  const std::vector<Holiday> hs = HolidaysInYear("GB-EAW", 2022);
  EXPECT_EQ(hs.front().name, "New Year's Day (substitute day)");
  EXPECT_EQ(hs[5].name, "Platinum Jubilee bank holiday");
  EXPECT_EQ(hs[8].name, "Boxing Day");
  EXPECT_EQ(hs[9].name, "Christmas Day (substitute day)");
}

TEST(CalendarEnglandHolidaysTest, TwentyTwentyThreeWithCoronation) {
  EXPECT_THAT(Dates(HolidaysInYear("GB-EAW", 2023)),
              ElementsAre("2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08",
                          "2023-05-29", "2023-08-28", "2023-12-25", "2023-12-26"));
}

TEST(CalendarEnglandHolidaysTest, OneOffDays) {
  EXPECT_THAT(Dates(HolidaysInYear("GB-EAW", 2011)),
              ElementsAre("2011-01-03", "2011-04-22", "2011-04-25", "2011-04-29", "2011-05-02",
                          "2011-05-30", "2011-08-29", "2011-12-26", "2011-12-27"));
  EXPECT_THAT(Dates(HolidaysInYear("GB-EAW", 2012)),
              ElementsAre("2012-01-02", "2012-04-06", "2012-04-09", "2012-05-07", "2012-06-04",
                          "2012-06-05", "2012-08-27", "2012-12-25", "2012-12-26"));
  EXPECT_THAT(Dates(HolidaysInYear("GB-EAW", 2020)),
              ElementsAre("2020-01-01", "2020-04-10", "2020-04-13", "2020-05-08", "2020-05-25",
                          "2020-08-31", "2020-12-25", "2020-12-28"));
}

TEST(CalendarEnglandHolidaysTest, SubstituteDaysAtChristmas) {
  auto christmas = [](int y) {
    std::vector<std::string> out;
    for (const Holiday& h : HolidaysInYear("GB-EAW", y)) {
      if (h.date.month() == date::December) out.push_back(DateText(h.date) + " " + h.name);
    }
    return out;
  };
  // 25 December on a Saturday: Monday and Tuesday.
  EXPECT_THAT(christmas(2010), ElementsAre("2010-12-27 Christmas Day (substitute day)",
                                           "2010-12-28 Boxing Day (substitute day)"));
  EXPECT_THAT(christmas(2027), ElementsAre("2027-12-27 Christmas Day (substitute day)",
                                           "2027-12-28 Boxing Day (substitute day)"));
  // On a Sunday: Boxing Day on Monday, Christmas on Tuesday.
  EXPECT_THAT(christmas(2016),
              ElementsAre("2016-12-26 Boxing Day", "2016-12-27 Christmas Day (substitute day)"));
  // On a Friday: Boxing Day (Saturday) moves to Monday 28.
  EXPECT_THAT(christmas(2026),
              ElementsAre("2026-12-25 Christmas Day", "2026-12-28 Boxing Day (substitute day)"));
}

TEST(CalendarEnglandHolidaysTest, EightWeekdaysInAnOrdinaryYear) {
  for (int y = 2024; y <= 2200; ++y) {
    const std::vector<Holiday> hs = HolidaysInYear("GB-EAW", y);
    EXPECT_EQ(hs.size(), 8u) << y;
    for (const Holiday& h : hs) {
      const date::weekday wd{date::local_days{h.date}};
      EXPECT_TRUE(wd != date::Saturday && wd != date::Sunday) << y << " " << h;
    }
  }
}

}  // namespace
}  // namespace wache::calendar
