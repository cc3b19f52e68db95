// {next_staffed_time} in every template language: today, tomorrow, a later day.
#include "calendar/format.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/calendar/calendar_test_util.h"

namespace wache::calendar {
namespace {

using testing::Berlin;
using testing::Utc;

struct Case {
  const char* language;
  const char* today;     // 16:00 the same day
  const char* tomorrow;  // 07:30 the next day
  const char* monday;    // Monday 28 December, 07:30
  const char* tuesday;   // Tuesday 29 December, 07:30
};

const Case kCases[] = {
    {"de", "heute um 16:00 Uhr", "morgen um 07:30 Uhr", "am Montag, 28.12., um 07:30 Uhr",
     "am Dienstag, 29.12., um 07:30 Uhr"},
    {"en", "today at 16:00", "tomorrow at 07:30", "on Monday 28 December at 07:30",
     "on Tuesday 29 December at 07:30"},
    {"tr", "bugün saat 16:00'da", "yarın saat 07:30'da", "28 Aralık Pazartesi saat 07:30'da",
     "29 Aralık Salı saat 07:30'da"},
    {"ar", "اليوم الساعة 16:00", "غدًا الساعة 07:30", "يوم الاثنين 28/12 الساعة 07:30",
     "يوم الثلاثاء 29/12 الساعة 07:30"},
    {"pl", "dzisiaj o 16:00", "jutro o 07:30", "w poniedziałek, 28 grudnia, o 07:30",
     "we wtorek, 29 grudnia, o 07:30"},
    {"ru", "сегодня в 16:00", "завтра в 07:30", "в понедельник, 28 декабря, в 07:30",
     "во вторник, 29 декабря, в 07:30"},
    {"uk", "сьогодні о 16:00", "завтра о 07:30", "у понеділок, 28 грудня, о 07:30",
     "у вівторок, 29 грудня, о 07:30"},
};

class CalendarNextStaffedLanguageTest : public ::testing::TestWithParam<Case> {};

TEST_P(CalendarNextStaffedLanguageTest, TodayTomorrowAndLaterDays) {
  const Case& c = GetParam();
  const auto now = Berlin("2026-12-24 10:00");  // Thursday
  const std::string zone = "Europe/Berlin";
  EXPECT_EQ(FormatNextStaffed(Berlin("2026-12-24 16:00"), now, zone, c.language), c.today);
  EXPECT_EQ(FormatNextStaffed(Berlin("2026-12-25 07:30"), now, zone, c.language), c.tomorrow);
  EXPECT_EQ(FormatNextStaffed(Berlin("2026-12-28 07:30"), now, zone, c.language), c.monday);
  EXPECT_EQ(FormatNextStaffed(Berlin("2026-12-29 07:30"), now, zone, c.language), c.tuesday);
}

INSTANTIATE_TEST_SUITE_P(Languages, CalendarNextStaffedLanguageTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return std::string(info.param.language);
                         });

TEST(CalendarFormatNextStaffedTest, EveryTemplateLanguageHasItsOwnWording) {
  EXPECT_EQ(NextStaffedLanguages().size(), std::size(kCases));
  for (const Case& c : kCases) {
    EXPECT_NE(std::find(NextStaffedLanguages().begin(), NextStaffedLanguages().end(), c.language),
              NextStaffedLanguages().end());
  }
}

TEST(CalendarFormatNextStaffedTest, WeekdayAndMonthNames) {
  const auto now = Berlin("2026-12-24 10:00");
  const std::string z = "Europe/Berlin";
  const auto wed = Berlin("2026-12-30 09:00");
  EXPECT_EQ(FormatNextStaffed(wed, now, z, "de"), "am Mittwoch, 30.12., um 09:00 Uhr");
  EXPECT_EQ(FormatNextStaffed(wed, now, z, "pl"), "w środę, 30 grudnia, o 09:00");
  EXPECT_EQ(FormatNextStaffed(wed, now, z, "ru"), "в среду, 30 декабря, в 09:00");
  EXPECT_EQ(FormatNextStaffed(wed, now, z, "uk"), "у середу, 30 грудня, о 09:00");
  EXPECT_EQ(FormatNextStaffed(wed, now, z, "tr"), "30 Aralık Çarşamba saat 09:00'da");
  EXPECT_EQ(FormatNextStaffed(wed, now, z, "ar"), "يوم الأربعاء 30/12 الساعة 09:00");
  const auto sat = Berlin("2027-01-02 10:00");
  EXPECT_EQ(FormatNextStaffed(sat, now, z, "en"), "on Saturday 2 January at 10:00");
  EXPECT_EQ(FormatNextStaffed(sat, now, z, "de"), "am Samstag, 02.01., um 10:00 Uhr");
  EXPECT_EQ(FormatNextStaffed(sat, now, z, "pl"), "w sobotę, 2 stycznia, o 10:00");
  EXPECT_EQ(FormatNextStaffed(sat, now, z, "ru"), "в субботу, 2 января, в 10:00");
  EXPECT_EQ(FormatNextStaffed(sat, now, z, "uk"), "у суботу, 2 січня, о 10:00");
  EXPECT_EQ(FormatNextStaffed(sat, now, z, "tr"), "2 Ocak Cumartesi saat 10:00'da");
  EXPECT_EQ(FormatNextStaffed(sat, now, z, "ar"), "يوم السبت 2/1 الساعة 10:00");
  const auto sun = Berlin("2027-03-07 12:00");
  EXPECT_EQ(FormatNextStaffed(sun, now, z, "pl"), "w niedzielę, 7 marca, o 12:00");
  EXPECT_EQ(FormatNextStaffed(sun, now, z, "ru"), "в воскресенье, 7 марта, в 12:00");
  EXPECT_EQ(FormatNextStaffed(sun, now, z, "uk"), "у неділю, 7 березня, о 12:00");
  EXPECT_EQ(FormatNextStaffed(sun, now, z, "de"), "am Sonntag, 07.03., um 12:00 Uhr");
}

TEST(CalendarFormatNextStaffedTest, TurkishLocativeFollowsTheLastNumberWord) {
  const auto now = Berlin("2026-12-24 00:00");
  auto tr = [&](const char* hhmm) {
    return FormatNextStaffed(Berlin(std::string("2026-12-24 ") + hhmm), now, "Europe/Berlin", "tr");
  };
  EXPECT_EQ(tr("00:00"), "bugün saat 00:00'da");  // sıfırda
  EXPECT_EQ(tr("08:00"), "bugün saat 08:00'de");  // sekizde
  EXPECT_EQ(tr("09:00"), "bugün saat 09:00'da");  // dokuzda
  EXPECT_EQ(tr("10:00"), "bugün saat 10:00'da");  // onda
  EXPECT_EQ(tr("11:00"), "bugün saat 11:00'de");  // on birde
  EXPECT_EQ(tr("12:00"), "bugün saat 12:00'de");  // on ikide
  EXPECT_EQ(tr("13:00"), "bugün saat 13:00'te");  // on üçte
  EXPECT_EQ(tr("14:00"), "bugün saat 14:00'te");  // on dörtte
  EXPECT_EQ(tr("15:00"), "bugün saat 15:00'te");  // on beşte
  EXPECT_EQ(tr("17:00"), "bugün saat 17:00'de");  // on yedide
  EXPECT_EQ(tr("20:00"), "bugün saat 20:00'de");  // yirmide
  EXPECT_EQ(tr("07:40"), "bugün saat 07:40'ta");  // kırkta
  EXPECT_EQ(tr("07:45"), "bugün saat 07:45'te");  // kırk beşte
  EXPECT_EQ(tr("07:50"), "bugün saat 07:50'de");  // ellide
}

TEST(CalendarFormatNextStaffedTest, UkrainianObBeforeEleven) {
  const auto now = Berlin("2026-12-24 00:00");
  EXPECT_EQ(FormatNextStaffed(Berlin("2026-12-24 11:00"), now, "Europe/Berlin", "uk"),
            "сьогодні об 11:00");
  EXPECT_EQ(FormatNextStaffed(Berlin("2026-12-24 10:00"), now, "Europe/Berlin", "uk"),
            "сьогодні о 10:00");
}

TEST(CalendarFormatNextStaffedTest, LanguageCodesAndFallback) {
  const auto now = Berlin("2026-12-24 10:00");
  const auto when = Berlin("2026-12-24 16:00");
  EXPECT_EQ(FormatNextStaffed(when, now, "Europe/Berlin", "de-DE"), "heute um 16:00 Uhr");
  EXPECT_EQ(FormatNextStaffed(when, now, "Europe/Berlin", "EN_gb"), "today at 16:00");
  EXPECT_EQ(FormatNextStaffed(when, now, "Europe/Berlin", "fr"), "today at 16:00");
  EXPECT_EQ(FormatNextStaffed(when, now, "Europe/Berlin", ""), "today at 16:00");
}

TEST(CalendarFormatNextStaffedTest, LocalDatesAndTimesOfTheZone) {
  const auto when = Utc("2026-12-28 06:30");
  const auto now = Utc("2026-12-24 10:00");
  EXPECT_EQ(FormatNextStaffed(when, now, "Europe/Berlin", "en"), "on Monday 28 December at 07:30");
  EXPECT_EQ(FormatNextStaffed(when, now, "Europe/London", "en"), "on Monday 28 December at 06:30");
  EXPECT_EQ(FormatNextStaffed(when, now, "No/Such_Zone", "en"), "on Monday 28 December at 06:30");
  // Summer time.
  EXPECT_EQ(
      FormatNextStaffed(Utc("2026-07-01 05:30"), Utc("2026-07-01 04:00"), "Europe/Berlin", "de"),
      "heute um 07:30 Uhr");
  // 23:30 and 00:30 local are different days although 60 minutes apart.
  EXPECT_EQ(FormatNextStaffed(Berlin("2026-12-25 00:30"), Berlin("2026-12-24 23:30"),
                              "Europe/Berlin", "de"),
            "morgen um 00:30 Uhr");
  // Already staffed (when <= now) reads as today.
  EXPECT_EQ(FormatNextStaffed(Berlin("2026-12-24 09:00"), Berlin("2026-12-24 10:00"),
                              "Europe/Berlin", "en"),
            "today at 09:00");
}

}  // namespace
}  // namespace wache::calendar
