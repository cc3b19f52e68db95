// Helpers for the calendar tests: explicit instants, never the wall clock.
#pragma once

#include <date/date.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "calendar/zone.h"

namespace wache::calendar::testing {

// "2026-04-02 18:00" as a local wall-clock time (no zone). Tests only: no error handling
// beyond a failed expectation.
inline date::local_seconds Local(const std::string& text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  EXPECT_EQ(std::sscanf(text.c_str(), "%d-%d-%d %d:%d", &y, &mo, &d, &h, &mi), 5) << text;
  return date::local_days{date::year{y} / mo / d} + std::chrono::hours{h} +
         std::chrono::minutes{mi};
}

// "2026-04-02 18:00" as UTC.
inline std::chrono::sys_seconds Utc(const std::string& text) {
  return std::chrono::sys_seconds{Local(text).time_since_epoch()};
}

// "2026-04-02 18:00" as a local wall-clock time in `zone` (the earlier instant if shown
// twice).
inline std::chrono::sys_seconds At(const std::string& zone, const std::string& text) {
  const date::local_seconds l = Local(text);
  Result<Zone> z = Zone::Locate(zone);
  EXPECT_TRUE(z.ok()) << zone;
  return z.value().ToSys(l, date::choose::earliest);
}

inline std::chrono::sys_seconds Berlin(const std::string& text) {
  return At("Europe/Berlin", text);
}
inline std::chrono::sys_seconds London(const std::string& text) {
  return At("Europe/London", text);
}

inline std::string Show(std::chrono::sys_seconds t) { return date::format("%F %R UTC", t); }

inline date::year_month_day Ymd(int y, unsigned m, unsigned d) {
  return date::year{y} / date::month{m} / date::day{d};
}

}  // namespace wache::calendar::testing
