#include "calendar/staffing_calendar.h"

#include <algorithm>
#include <mutex>

namespace wache::calendar {
namespace {

using date::days;
using date::local_days;
using std::chrono::minutes;
using std::chrono::sys_seconds;

std::string DayLabel(date::weekday d) {
  static constexpr const char* kNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
  return kNames[d.c_encoding() % 7];
}

std::string DateLabel(local_days d) { return date::format("%F", d); }

Status CheckRange(TimeRange r, const std::string& where) {
  if (r.start_minute < 0 || r.start_minute >= kMinutesPerDay) {
    return Status::Error(where + ": the start must be 00:00 to 23:59");
  }
  if (r.end_minute < 0 || r.end_minute > kMinutesPerDay) {
    return Status::Error(where + ": the end must be 00:00 to 24:00");
  }
  if (r.start_minute == r.end_minute) {
    return Status::Error(where + ": it starts and ends at " + FormatMinute(r.start_minute) +
                         "; for a whole day write 00:00-24:00");
  }
  return Status::Ok();
}

TimeRange NormalizeRange(TimeRange r) {
  if (r.end_minute == 0) r.end_minute = kMinutesPerDay;
  return r;
}

// [begin, end) minus [cut.begin, cut.end).
void Subtract(std::vector<StaffedInterval>& pieces, const StaffedInterval& cut) {
  std::vector<StaffedInterval> out;
  for (const StaffedInterval& p : pieces) {
    if (cut.end <= p.begin || cut.begin >= p.end) {
      out.push_back(p);
      continue;
    }
    if (p.begin < cut.begin) out.push_back({p.begin, cut.begin});
    if (cut.end < p.end) out.push_back({cut.end, p.end});
  }
  pieces = std::move(out);
}

// One table per region for all supported years, shared by every calendar of that region.
std::shared_ptr<const std::vector<Holiday>> HolidayTableFor(const std::string& region) {
  static std::mutex mu;
  static auto* cache = new std::map<std::string, std::shared_ptr<const std::vector<Holiday>>>();
  std::lock_guard<std::mutex> lock(mu);
  auto& slot = (*cache)[region];
  if (!slot) {
    auto table = std::make_shared<std::vector<Holiday>>();
    for (int y = kFirstHolidayYear; y <= kLastHolidayYear; ++y) {
      std::vector<Holiday> year = HolidaysInYear(region, y);
      table->insert(table->end(), year.begin(), year.end());
    }
    slot = std::move(table);
  }
  return slot;
}

}  // namespace

Result<StaffingCalendar> StaffingCalendar::Build(const CalendarSpec& spec) {
  StaffingCalendar cal;
  Result<Zone> zone = Zone::Locate(spec.time_zone);
  if (!zone.ok()) return zone.status();
  cal.zone_ = zone.value();

  if (!spec.holiday_region.empty()) {
    std::optional<std::string> region = CanonicalHolidayRegion(spec.holiday_region);
    if (!region) {
      std::string known;
      for (const std::string& r : HolidayRegions()) known += (known.empty() ? "" : ", ") + r;
      return Status::Error("unknown holiday region \"" + spec.holiday_region + "\"; use one of " +
                           known + ", or leave it empty for no holidays");
    }
    cal.region_ = *region;
    cal.holidays_ = HolidayTableFor(*region);
  }

  for (const WeeklyWindow& w : spec.weekly) {
    if (!w.day.ok()) return Status::Error("weekly window with an invalid weekday");
    const std::string where = "weekly window " + DayLabel(w.day) + " " +
                              FormatMinute(w.start_minute) + "-" + FormatMinute(w.end_minute);
    if (Status s = CheckRange(w.range(), where); !s.ok()) return s;
    cal.weekly_[w.day.c_encoding()].push_back(NormalizeRange(w.range()));
  }

  for (const SpecialOpening& o : spec.openings) {
    if (!o.date.ok()) return Status::Error("special opening with an invalid date");
    const local_days day{o.date};
    const std::string where = "special opening on " + DateLabel(day);
    if (o.windows.empty()) {
      return Status::Error(where + ": no hours; give its windows, like 10:00-18:00");
    }
    if (cal.openings_.contains(day)) {
      return Status::Error("two special openings on " + DateLabel(day) +
                           "; put all windows of that day into one entry");
    }
    std::vector<TimeRange>& ranges = cal.openings_[day];
    for (const TimeRange& r : o.windows) {
      if (Status s = CheckRange(r, where); !s.ok()) return s;
      ranges.push_back(NormalizeRange(r));
    }
  }

  for (const Closure& c : spec.closures) {
    if (c.end <= c.begin) {
      return Status::Error("closure from " + date::format("%F %R", c.begin) + " to " +
                           date::format("%F %R", c.end) +
                           " ends before it begins; write the earlier time first");
    }
    cal.closures_.push_back({cal.zone_.ToSys(c.begin, date::choose::earliest),
                             cal.zone_.ToSys(c.end, date::choose::latest)});
  }
  std::sort(cal.closures_.begin(), cal.closures_.end(),
            [](const StaffedInterval& a, const StaffedInterval& b) { return a.begin < b.begin; });
  return cal;
}

std::optional<Holiday> StaffingCalendar::HolidayOn(date::year_month_day local_date) const {
  if (!holidays_ || !local_date.ok()) return std::nullopt;
  const local_days day{local_date};
  auto it = std::lower_bound(holidays_->begin(), holidays_->end(), day,
                             [](const Holiday& h, local_days d) { return local_days{h.date} < d; });
  if (it == holidays_->end() || local_days{it->date} != day) return std::nullopt;
  Holiday h = *it;
  for (++it; it != holidays_->end() && local_days{it->date} == day; ++it) {
    h.name += " / " + it->name;
  }
  return h;
}

bool StaffingCalendar::ClosedAllDay(local_days day) const {
  return !openings_.contains(day) && HolidayOn(date::year_month_day{day}).has_value();
}

std::vector<StaffedInterval> StaffingCalendar::Pieces(local_days day) const {
  const std::vector<TimeRange>* ranges = nullptr;
  if (auto it = openings_.find(day); it != openings_.end()) {
    ranges = &it->second;
  } else if (ClosedAllDay(day)) {
    return {};
  } else {
    ranges = &weekly_[date::weekday{day}.c_encoding()];
  }
  std::vector<StaffedInterval> out;
  for (const TimeRange& r : *ranges) {
    const date::local_seconds begin = day + minutes{r.start_minute};
    const date::local_seconds end =
        day + minutes{r.end_minute} + (r.CrossesMidnight() ? days{1} : days{0});
    std::vector<StaffedInterval> pieces{
        {zone_.ToSys(begin, date::choose::earliest), zone_.ToSys(end, date::choose::latest)}};
    if (pieces[0].end <= pieces[0].begin) continue;  // inside a spring gap
    const local_days next = day + days{1};
    if (end > next && ClosedAllDay(next)) {
      Subtract(pieces, {zone_.ToSys(next, date::choose::earliest),
                        zone_.ToSys(next + days{1}, date::choose::earliest)});
    }
    for (const StaffedInterval& c : closures_) {
      if (c.begin >= pieces.back().end) break;
      Subtract(pieces, c);
      if (pieces.empty()) break;
    }
    out.insert(out.end(), pieces.begin(), pieces.end());
  }
  return out;
}

std::vector<StaffedInterval> StaffingCalendar::StaffedBetween(sys_seconds from,
                                                              sys_seconds to) const {
  std::vector<StaffedInterval> all;
  if (to <= from) return all;
  // A window starts at most a day before the local date it reaches.
  const local_days first = date::floor<days>(zone_.ToLocal(from)) - days{1};
  const local_days last = date::floor<days>(zone_.ToLocal(to));
  for (local_days d = first; d <= last; d += days{1}) {
    for (const StaffedInterval& p : Pieces(d)) {
      if (p.end > from && p.begin < to)
        all.push_back({std::max(p.begin, from), std::min(p.end, to)});
    }
  }
  std::sort(all.begin(), all.end(),
            [](const StaffedInterval& a, const StaffedInterval& b) { return a.begin < b.begin; });
  std::vector<StaffedInterval> merged;
  for (const StaffedInterval& p : all) {
    if (!merged.empty() && p.begin <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, p.end);
    } else {
      merged.push_back(p);
    }
  }
  return merged;
}

bool StaffingCalendar::IsStaffed(sys_seconds t) const {
  return !StaffedBetween(t, t + std::chrono::seconds{1}).empty();
}

std::optional<sys_seconds> StaffingCalendar::NextStaffedStart(sys_seconds t) const {
  const sys_seconds limit = t + days{366};
  const local_days today = date::floor<days>(zone_.ToLocal(t));
  std::optional<sys_seconds> best;
  for (local_days d = today - days{1}; d <= today + days{367}; d += days{1}) {
    for (const StaffedInterval& p : Pieces(d)) {
      if (p.end <= t) continue;
      const sys_seconds start = std::max(p.begin, t);
      if (!best || start < *best) best = start;
    }
    // Windows of later dates start at or after the next local midnight.
    if (best && *best <= zone_.ToSys(d + days{1}, date::choose::earliest)) break;
  }
  if (!best || *best > limit) return std::nullopt;
  return best;
}

}  // namespace wache::calendar
