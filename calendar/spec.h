// What staff configure for a staffing calendar, and the parsers for the short strings
// they write in YAML. Times are local wall-clock times in the calendar's time zone.
//
//   weekly:   "mon-fri 07:30-16:00, sat 10:00-14:00, fri 22:00-02:00"
//             "mo-fr 07:30-12:00, 13:00-16:00"    (an item without days continues the last)
//   closures: "2026-12-31"                         (the whole day)
//             "2026-12-24 12:00-24:00"              (part of a day)
//             "2026-12-24 - 2026-12-31"             (whole days, both included)
//             "2026-12-24 12:00 - 2026-12-27 08:00" (from a date and time to another)
//   openings: "2026-06-14 10:00-18:00, 20:00-23:00" (that date's own windows)
//
// Days: mon tue wed thu fri sat sun or mo di mi do fr sa so (also full English and German
// names, any case), ranges "mon-fri" (also wrapping: "fri-mon"), "daily"/"täglich".
// Times: 7, 07:30, 7.30; an end of 24:00 means midnight. An end at or before the start
// means the window ends the next day ("fri 22:00-02:00": Friday 22:00 to Saturday 02:00).
// En dashes work like hyphens, and a trailing "Uhr" is ignored.
#pragma once

#include <date/date.h>

#include <string>
#include <string_view>
#include <vector>

#include "bot/status.h"

namespace wache::calendar {

inline constexpr int kMinutesPerDay = 24 * 60;

// A window of one day: start 0–1439 minutes after local midnight, end 0–1440. An end at or
// before the start crosses midnight and ends the next day at `end_minute`.
struct TimeRange {
  int start_minute = 0;
  int end_minute = 0;

  bool CrossesMidnight() const { return end_minute <= start_minute; }
  friend bool operator==(const TimeRange&, const TimeRange&) = default;
};

struct WeeklyWindow {
  date::weekday day;  // the day the window starts on
  int start_minute = 0;
  int end_minute = 0;  // as in TimeRange

  TimeRange range() const { return {start_minute, end_minute}; }
  friend bool operator==(const WeeklyWindow&, const WeeklyWindow&) = default;
};

// Not staffed from `begin` (inclusive) to `end` (exclusive), local wall-clock times.
struct Closure {
  date::local_seconds begin;
  date::local_seconds end;

  friend bool operator==(const Closure&, const Closure&) = default;
};

// On `date` the team is staffed exactly in `windows` (replacing that date's weekly windows,
// also on a public holiday). Windows may cross midnight into the next date.
struct SpecialOpening {
  date::year_month_day date;
  std::vector<TimeRange> windows;

  friend bool operator==(const SpecialOpening&, const SpecialOpening&) = default;
};

struct CalendarSpec {
  std::string time_zone;       // IANA name: "Europe/Berlin", "Europe/London"
  std::string holiday_region;  // "NW", "GB-EAW", ... (see holidays.h); "" = no holidays
  std::vector<WeeklyWindow> weekly;
  std::vector<Closure> closures;
  std::vector<SpecialOpening> openings;
};

// "mon-fri 07:30-16:00, sat 10:00-14:00". "none" (or "keine") is no windows at all.
// Errors name the item and say how to write it.
Result<std::vector<WeeklyWindow>> ParseWeekly(std::string_view text);
Result<Closure> ParseClosure(std::string_view text);
Result<SpecialOpening> ParseOpening(std::string_view text);

// "07:30" for 450; "24:00" for 1440.
std::string FormatMinute(int minute);

}  // namespace wache::calendar
