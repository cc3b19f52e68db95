// Zone: an IANA time zone with the conversions the staffing calendar needs and one
// documented rule for local times that do not exist or exist twice.
//
// Built on Howard Hinnant's date/tz with the OS tzdata (/usr/share/zoneinfo). That
// library reads only the transition table of the zone file, which zic writes up to 2037;
// later instants would keep the offset of the last transition (winter time for ever).
// Zone therefore also reads the POSIX TZ rule at the end of the file
// ("CET-1CEST,M3.5.0,M10.5.0/3") and uses it after the table ends, so daylight saving time
// keeps working after 2037.
//
// Local times:
//  - in the spring gap (02:30 on the day clocks go from 02:00 to 03:00) a local time is
//    mapped to the instant the clock jumps (03:00 summer time), for both choices;
//  - in the autumn overlap (02:30 happens twice) `earliest` gives the first, `latest` the
//    second occurrence.
// Thread-safe: immutable after Locate.
#pragma once

#include <date/tz.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "bot/status.h"

namespace wache::calendar {

// A POSIX TZ rule string as in the last line of a TZif file, e.g.
// "CET-1CEST,M3.5.0,M10.5.0/3" or "GMT0BST,M3.5.0/1,M10.5.0". Supports the Mm.w.d, Jn and
// n date forms and transition times outside 0–24 h.
class PosixTzRule {
 public:
  // nullopt if the text is not a rule of this form, or has no daylight saving time.
  static std::optional<PosixTzRule> Parse(std::string_view text);
  // UTC offset (east positive) in effect at t.
  std::chrono::seconds OffsetAt(std::chrono::sys_seconds t) const;

 private:
  struct When {
    char kind = 'M';  // 'M' month.week.weekday, 'J' Julian 1–365 without 29 Feb, 'n' 0–365
    int month = 0, week = 0, weekday = 0, day = 0;
    std::chrono::seconds time{7200};  // local time of day, may be negative or > 24 h
  };
  static date::local_days DayIn(const When& w, int year);
  std::chrono::seconds std_offset_{0};
  std::chrono::seconds dst_offset_{0};
  When start_, end_;
};

class Zone {
 public:
  // The zone named `name` ("Europe/Berlin"); an error naming it if the tzdata lacks it.
  // Results are cached: locating the same name again is cheap.
  static Result<Zone> Locate(const std::string& name);

  const std::string& name() const { return name_; }
  std::chrono::seconds OffsetAt(std::chrono::sys_seconds t) const;
  date::local_seconds ToLocal(std::chrono::sys_seconds t) const;
  // See the rules for gaps and overlaps above.
  std::chrono::sys_seconds ToSys(date::local_seconds local, date::choose which) const;

 private:
  std::string name_;
  const date::time_zone* tz_ = nullptr;
  std::shared_ptr<const PosixTzRule> tail_;  // null when the table is all there is
  std::chrono::sys_seconds tail_from_{};     // where the table's last entry begins
};

}  // namespace wache::calendar
