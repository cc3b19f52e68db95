#include "calendar/zone.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <utility>

namespace wache::calendar {
namespace {

using std::chrono::hours;
using std::chrono::seconds;
using std::chrono::sys_seconds;

constexpr const char* kZoneInfoDir = "/usr/share/zoneinfo/";

class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool AtEnd() const { return i_ >= s_.size(); }
  char Peek() const { return AtEnd() ? '\0' : s_[i_]; }
  bool Eat(char c) {
    if (Peek() != c) return false;
    ++i_;
    return true;
  }
  std::optional<int> Number() {
    size_t start = i_;
    int n = 0;
    while (!AtEnd() && std::isdigit(static_cast<unsigned char>(s_[i_])) && i_ - start < 6) {
      n = n * 10 + (s_[i_++] - '0');
    }
    if (i_ == start) return std::nullopt;
    return n;
  }
  // A zone abbreviation: "<+03>" or three or more letters.
  bool Name() {
    if (Eat('<')) {
      while (!AtEnd() && s_[i_] != '>') ++i_;
      return Eat('>');
    }
    size_t start = i_;
    while (!AtEnd() && std::isalpha(static_cast<unsigned char>(s_[i_]))) ++i_;
    return i_ - start >= 3;
  }
  // [+-]hh[:mm[:ss]] as seconds.
  std::optional<seconds> Duration() {
    int sign = 1;
    if (Eat('-')) {
      sign = -1;
    } else {
      Eat('+');
    }
    std::optional<int> h = Number();
    if (!h) return std::nullopt;
    int total = *h * 3600;
    if (Eat(':')) {
      std::optional<int> m = Number();
      if (!m) return std::nullopt;
      total += *m * 60;
      if (Eat(':')) {
        std::optional<int> s = Number();
        if (!s) return std::nullopt;
        total += *s;
      }
    }
    return seconds{sign * total};
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

// The POSIX TZ string at the end of a TZif (version 2+) file; "" if there is none.
std::string ReadTzifFooter(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::ostringstream buf;
  buf << in.rdbuf();
  const std::string data = buf.str();
  if (data.size() < 6 || data.compare(0, 4, "TZif") != 0 || data[4] < '2') return "";
  if (data.back() != '\n') return "";
  size_t nl = data.rfind('\n', data.size() - 2);
  if (nl == std::string::npos) return "";
  return data.substr(nl + 1, data.size() - 2 - nl);
}

}  // namespace

std::optional<PosixTzRule> PosixTzRule::Parse(std::string_view text) {
  Cursor c(text);
  PosixTzRule r;
  if (!c.Name()) return std::nullopt;
  std::optional<seconds> std_west = c.Duration();
  if (!std_west) return std::nullopt;
  r.std_offset_ = -*std_west;          // POSIX offsets count west of Greenwich as positive
  if (c.AtEnd()) return std::nullopt;  // no daylight saving time
  if (!c.Name()) return std::nullopt;
  r.dst_offset_ = r.std_offset_ + hours{1};
  if (c.Peek() != ',') {
    std::optional<seconds> dst_west = c.Duration();
    if (!dst_west) return std::nullopt;
    r.dst_offset_ = -*dst_west;
  }
  for (When* w : {&r.start_, &r.end_}) {
    if (!c.Eat(',')) return std::nullopt;
    if (c.Eat('M')) {
      std::optional<int> m = c.Number();
      if (!m || !c.Eat('.')) return std::nullopt;
      std::optional<int> wk = c.Number();
      if (!wk || !c.Eat('.')) return std::nullopt;
      std::optional<int> d = c.Number();
      if (!d || *m < 1 || *m > 12 || *wk < 1 || *wk > 5 || *d > 6) return std::nullopt;
      *w = When{'M', *m, *wk, *d, 0, hours{2}};
    } else {
      char kind = c.Eat('J') ? 'J' : 'n';
      std::optional<int> n = c.Number();
      if (!n || *n > 365 || (kind == 'J' && *n < 1)) return std::nullopt;
      *w = When{kind, 0, 0, 0, *n, hours{2}};
    }
    if (c.Eat('/')) {
      std::optional<seconds> t = c.Duration();
      if (!t) return std::nullopt;
      w->time = *t;
    }
  }
  if (!c.AtEnd()) return std::nullopt;
  return r;
}

date::local_days PosixTzRule::DayIn(const When& w, int year) {
  const date::year y{year};
  const date::local_days jan1{y / date::January / 1};
  switch (w.kind) {
    case 'M': {
      const auto month = date::month{static_cast<unsigned>(w.month)};
      const auto wd = date::weekday{static_cast<unsigned>(w.weekday)};
      if (w.week == 5) return date::local_days{y / month / wd[date::last]};
      return date::local_days{y / month / wd[static_cast<unsigned>(w.week)]};
    }
    case 'J':  // 1–365, 29 February is never counted
      return jan1 + date::days{w.day - 1 + (y.is_leap() && w.day >= 60 ? 1 : 0)};
    default:  // 0–365, 29 February counted
      return jan1 + date::days{w.day};
  }
}

seconds PosixTzRule::OffsetAt(sys_seconds t) const {
  const int year = static_cast<int>(date::year_month_day{date::floor<date::days>(t)}.year());
  // Transitions of the neighbouring years too: on the southern hemisphere daylight saving
  // time spans the new year.
  std::array<std::pair<sys_seconds, seconds>, 6> changes;
  size_t n = 0;
  for (int y = year - 1; y <= year + 1; ++y) {
    // The start is given in standard time, the end in daylight saving time.
    changes[n++] = {sys_seconds{(DayIn(start_, y) + start_.time).time_since_epoch()} - std_offset_,
                    dst_offset_};
    changes[n++] = {sys_seconds{(DayIn(end_, y) + end_.time).time_since_epoch()} - dst_offset_,
                    std_offset_};
  }
  std::sort(changes.begin(), changes.end());
  seconds offset = std_offset_;
  for (const auto& [at, off] : changes) {
    if (at <= t) offset = off;
  }
  return offset;
}

Result<Zone> Zone::Locate(const std::string& name) {
  static std::mutex mu;
  static std::map<std::string, Zone>* cache = new std::map<std::string, Zone>();
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = cache->find(name); it != cache->end()) return it->second;
  if (name.empty()) {
    return Status::Error("no time zone given; write an IANA name such as Europe/Berlin");
  }
  Zone z;
  z.name_ = name;
  try {
    z.tz_ = date::locate_zone(name);
  } catch (const std::exception&) {
    return Status::Error("unknown time zone \"" + name +
                         "\"; write an IANA name such as Europe/Berlin or Europe/London");
  }
  const date::sys_info last = z.tz_->get_info(date::sys_days{date::year{9999} / 1 / 1});
  if (std::optional<PosixTzRule> rule =
          PosixTzRule::Parse(ReadTzifFooter(kZoneInfoDir + z.tz_->name()))) {
    z.tail_ = std::make_shared<const PosixTzRule>(*rule);
    z.tail_from_ = last.begin;
  }
  cache->emplace(name, z);
  return z;
}

seconds Zone::OffsetAt(sys_seconds t) const {
  if (tail_ && t >= tail_from_) return tail_->OffsetAt(t);
  return tz_->get_info(t).offset;
}

date::local_seconds Zone::ToLocal(sys_seconds t) const {
  return date::local_seconds{(t + OffsetAt(t)).time_since_epoch()};
}

sys_seconds Zone::ToSys(date::local_seconds local, date::choose which) const {
  const sys_seconds as_utc{local.time_since_epoch()};
  // The offsets a day before and after; zones change offset at most once in two days.
  const seconds before = OffsetAt(as_utc - date::days{1});
  const seconds after = OffsetAt(as_utc + date::days{1});
  if (before == after) return as_utc - before;
  const sys_seconds t1 = as_utc - before;
  const sys_seconds t2 = as_utc - after;
  const bool t1_ok = OffsetAt(t1) == before;
  const bool t2_ok = OffsetAt(t2) == after;
  if (t1_ok && t2_ok) {  // shown twice
    return which == date::choose::earliest ? std::min(t1, t2) : std::max(t1, t2);
  }
  if (t1_ok) return t1;
  if (t2_ok) return t2;
  // Never shown: the instant the clock jumps, found by bisection between the candidates.
  sys_seconds lo = std::min(t1, t2);
  sys_seconds hi = std::max(t1, t2);
  const seconds lo_offset = OffsetAt(lo);
  while (hi - lo > seconds{1}) {
    const sys_seconds mid = lo + (hi - lo) / 2;
    (OffsetAt(mid) == lo_offset ? lo : hi) = mid;
  }
  return hi;
}

}  // namespace wache::calendar
