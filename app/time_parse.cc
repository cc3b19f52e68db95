#include "app/time_parse.h"

#include <date/date.h>

#include <sstream>

namespace wache::app {

std::optional<bot::TimePoint> ParseTime(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("0123456789") == std::string::npos && s.size() < 12) {
    return bot::TimePoint(std::chrono::seconds(std::stoll(s)));
  }
  for (const char* fmt : {"%FT%T%Ez", "%FT%TZ", "%FT%T", "%F %T", "%FT%R", "%F %R"}) {
    std::istringstream in(s);
    bot::TimePoint tp;
    in >> date::parse(fmt, tp);
    if (!in.fail()) return tp;
  }
  return std::nullopt;
}

std::string FormatTime(bot::TimePoint t) { return date::format("%FT%TZ", t); }

}  // namespace wache::app
