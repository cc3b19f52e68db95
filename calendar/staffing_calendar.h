// StaffingCalendar: when an authority's social-media team is online, from weekly windows
// in a time zone, the public holidays of a region, dated closures and special openings.
// Outside these times the control centre looks after the channel.
//
// Rules (local wall-clock time of the calendar's zone):
//  - A weekly window belongs to the date it starts on and may run past midnight into the
//    next date (at most 24 hours).
//  - A special opening replaces that date's weekly windows, also on a public holiday.
//  - A public holiday without a special opening is closed all day, 00:00–24:00: no window
//    starts on it, and a window from the evening before stops at midnight.
//  - Closures win over everything: nothing is staffed inside a closure.
//  - Daylight saving time: a window runs from the first instant the clock shows its start
//    to the last instant the clock shows its end. A start or end inside the spring gap
//    becomes the instant the clock jumps (01:30–02:30 on the spring-forward day in Berlin
//    is 01:30–03:00 summer time, i.e. half an hour; 02:00–02:30 is empty that day). On the
//    autumn night a window ending at 02:30 ends at the second 02:30.
// Thread-safe: immutable after Build.
#pragma once

#include <date/date.h>

#include <array>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bot/status.h"
#include "calendar/holidays.h"
#include "calendar/spec.h"
#include "calendar/zone.h"

namespace wache::calendar {

struct StaffedInterval {
  std::chrono::sys_seconds begin;  // inclusive
  std::chrono::sys_seconds end;    // exclusive

  friend bool operator==(const StaffedInterval&, const StaffedInterval&) = default;
};

class StaffingCalendar {
 public:
  // Checks the spec: a known time zone and holiday region, windows within a day, closures
  // that end after they begin, at most one special opening per date. Errors say what to fix.
  static Result<StaffingCalendar> Build(const CalendarSpec& spec);

  bool IsStaffed(std::chrono::sys_seconds t) const;
  // The first instant at or after t at which the team is staffed: t itself when staffed
  // now. nullopt if there is none within 366 days.
  std::optional<std::chrono::sys_seconds> NextStaffedStart(std::chrono::sys_seconds t) const;
  // The staffed stretches overlapping [from, to), merged and clipped to [from, to).
  std::vector<StaffedInterval> StaffedBetween(std::chrono::sys_seconds from,
                                              std::chrono::sys_seconds to) const;
  // The public holiday on a local date of the calendar's region. Two holidays on one date
  // come as one, names joined with " / ". nullopt without a region.
  std::optional<Holiday> HolidayOn(date::year_month_day local_date) const;

  const Zone& zone() const { return zone_; }
  const std::string& time_zone() const { return zone_.name(); }
  const std::string& holiday_region() const { return region_; }  // canonical, "" = none

 private:
  using HolidayTable = std::vector<Holiday>;  // 1990–2200, sorted by date

  StaffingCalendar() = default;
  // The staffed stretches of the windows that start on `day`, after holidays and closures.
  std::vector<StaffedInterval> Pieces(date::local_days day) const;
  bool ClosedAllDay(date::local_days day) const;

  Zone zone_;
  std::string region_;
  std::shared_ptr<const HolidayTable> holidays_;
  std::array<std::vector<TimeRange>, 7> weekly_;  // by weekday, Sunday = 0
  std::map<date::local_days, std::vector<TimeRange>> openings_;
  std::vector<StaffedInterval> closures_;  // as instants, sorted
};

}  // namespace wache::calendar
