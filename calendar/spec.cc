#include "calendar/spec.h"

#include <cctype>
#include <cstdio>
#include <optional>
#include <utility>

namespace wache::calendar {
namespace {

constexpr const char* kWeeklyExample = "\"mon-fri 07:30-16:00, sat 10:00-14:00\"";
constexpr const char* kClosureForms =
    "write a date (2026-12-31), a date and times (2026-12-24 12:00-24:00), whole days "
    "(2026-12-24 - 2026-12-31) or from a date and time to another (2026-12-24 12:00 - "
    "2026-12-27 08:00)";

bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// Lower-case ASCII letters, en and em dashes as '-', tabs as spaces.
std::string Normalize(std::string_view in) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in.compare(i, 3, "\xE2\x80\x93") == 0 || in.compare(i, 3, "\xE2\x80\x94") == 0) {
      out += '-';
      i += 2;
      continue;
    }
    char c = in[i];
    out += IsSpace(c) && c != '\n' ? ' '
                                   : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Splits on spaces, after dropping the word "uhr" and joining "a - b" into "a-b".
std::vector<std::string> Tokens(std::string_view s) {
  std::string joined;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    const size_t start = i;
    while (i < s.size() && s[i] != ' ') ++i;
    const std::string_view word = s.substr(start, i - start);
    if (word.empty() || word == "uhr" || word == "h") continue;
    if (!joined.empty() && joined.back() != '-' && word.front() != '-') joined += ' ';
    joined += word;
  }
  std::vector<std::string> tokens;
  i = 0;
  while (i < joined.size()) {
    const size_t start = i;
    while (i < joined.size() && joined[i] != ' ') ++i;
    tokens.push_back(joined.substr(start, i - start));
    ++i;
  }
  return tokens;
}

std::optional<date::weekday> DayName(std::string_view s) {
  if (!s.empty() && s.back() == '.') s.remove_suffix(1);
  struct Name {
    std::string_view name;
    unsigned day;  // 0 = Sunday
  };
  static constexpr Name kNames[] = {
      {"mon", 1},       {"mo", 1},         {"monday", 1}, {"montag", 1},    {"tue", 2},
      {"tues", 2},      {"tu", 2},         {"di", 2},     {"tuesday", 2},   {"dienstag", 2},
      {"wed", 3},       {"we", 3},         {"mi", 3},     {"wednesday", 3}, {"mittwoch", 3},
      {"thu", 4},       {"thur", 4},       {"thurs", 4},  {"th", 4},        {"do", 4},
      {"thursday", 4},  {"donnerstag", 4}, {"fri", 5},    {"fr", 5},        {"friday", 5},
      {"freitag", 5},   {"sat", 6},        {"sa", 6},     {"saturday", 6},  {"samstag", 6},
      {"sonnabend", 6}, {"sun", 0},        {"su", 0},     {"so", 0},        {"sunday", 0},
      {"sonntag", 0},
  };
  for (const Name& n : kNames) {
    if (s == n.name) return date::weekday{n.day};
  }
  return std::nullopt;
}

Result<std::vector<date::weekday>> ParseDays(std::string_view s) {
  if (s == "daily" || s == "täglich" || s == "taeglich" || s == "everyday") {
    return std::vector<date::weekday>{date::Monday, date::Tuesday,  date::Wednesday, date::Thursday,
                                      date::Friday, date::Saturday, date::Sunday};
  }
  const size_t dash = s.find('-');
  const std::string_view first = s.substr(0, dash);
  std::optional<date::weekday> from = DayName(first);
  if (!from) {
    return Status::Error("\"" + std::string(first) +
                         "\" is not a day; write mon, tue, wed, thu, fri, sat, sun (or mo, di, "
                         "mi, do, fr, sa, so), a range like mon-fri, or daily");
  }
  if (dash == std::string_view::npos) return std::vector<date::weekday>{*from};
  const std::string_view last = s.substr(dash + 1);
  std::optional<date::weekday> to = DayName(last);
  if (!to) {
    return Status::Error("\"" + std::string(last) +
                         "\" is not a day; write a range of days like mon-fri or mo-fr");
  }
  std::vector<date::weekday> days{*from};
  for (date::weekday d = *from; d != *to;) {
    d += date::days{1};
    days.push_back(d);
  }
  return days;
}

// "7", "07:30", "7.30"; "24:00" only if allow_24. Minutes after midnight.
std::optional<int> ParseTime(std::string_view s, bool allow_24) {
  size_t i = 0;
  int h = 0;
  while (i < s.size() && i < 2 && IsDigit(s[i])) h = h * 10 + (s[i++] - '0');
  if (i == 0) return std::nullopt;
  int m = 0;
  if (i < s.size()) {
    if (s[i] != ':' && s[i] != '.') return std::nullopt;
    if (s.size() != i + 3 || !IsDigit(s[i + 1]) || !IsDigit(s[i + 2])) return std::nullopt;
    m = (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
  }
  if (m > 59) return std::nullopt;
  if (h < 24 || (allow_24 && h == 24 && m == 0)) return h * 60 + m;
  return std::nullopt;
}

Result<TimeRange> ParseRange(std::string_view s) {
  const size_t dash = s.find('-');
  if (dash == std::string_view::npos) {
    return Status::Error("\"" + std::string(s) +
                         "\" is not a time range; write a start and an end like 10:00-14:00");
  }
  const std::string_view a = s.substr(0, dash);
  const std::string_view b = s.substr(dash + 1);
  std::optional<int> start = ParseTime(a, false);
  if (!start) {
    return Status::Error("\"" + std::string(a) +
                         "\" is not a start time; write hours and minutes from 00:00 to 23:59, "
                         "like 07:30");
  }
  std::optional<int> end = ParseTime(b, true);
  if (!end) {
    return Status::Error("\"" + std::string(b) +
                         "\" is not an end time; write hours and minutes from 00:00 to 24:00, "
                         "like 16:00");
  }
  if (*start == *end) {
    return Status::Error("\"" + std::string(s) +
                         "\" starts and ends at the same time; for a whole day write "
                         "00:00-24:00");
  }
  if (*end == 0) end = kMinutesPerDay;  // "22:00-00:00" is "22:00-24:00"
  return TimeRange{*start, *end};
}

// Reads closures: a date, times, separators.
class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}
  void Spaces() {
    while (i_ < s_.size() && s_[i_] == ' ') ++i_;
  }
  bool AtEnd() {
    Spaces();
    return i_ >= s_.size();
  }
  std::string_view Rest() const { return s_.substr(std::min(i_, s_.size())); }
  bool LooksLikeDate() {
    Spaces();
    return s_.size() >= i_ + 5 && IsDigit(s_[i_]) && IsDigit(s_[i_ + 1]) && IsDigit(s_[i_ + 2]) &&
           IsDigit(s_[i_ + 3]) && s_[i_ + 4] == '-';
  }
  // YYYY-MM-DD (month and day may have one digit).
  Result<date::year_month_day> Date() {
    Spaces();
    const size_t start = i_;
    int parts[3] = {0, 0, 0};
    for (int p = 0; p < 3; ++p) {
      if (p > 0 && !Eat('-')) return BadDate(start);
      const size_t digits_start = i_;
      while (i_ < s_.size() && IsDigit(s_[i_]) && i_ - digits_start < (p == 0 ? 4 : 2)) {
        parts[p] = parts[p] * 10 + (s_[i_++] - '0');
      }
      if (i_ == digits_start || (p == 0 && i_ - digits_start != 4)) return BadDate(start);
    }
    if (i_ < s_.size() && s_[i_] != ' ' && s_[i_] != '-' && s_[i_] != '.') return BadDate(start);
    date::year_month_day ymd{date::year{parts[0]}, date::month{static_cast<unsigned>(parts[1])},
                             date::day{static_cast<unsigned>(parts[2])}};
    if (!ymd.ok()) {
      return Status::Error(std::string(s_.substr(start, i_ - start)) +
                           " is not a date in the calendar");
    }
    return ymd;
  }
  bool LooksLikeTime() {
    Spaces();
    return i_ < s_.size() && IsDigit(s_[i_]) && !LooksLikeDate();
  }
  // A time token up to a space or a dash; "uhr" after it is skipped.
  std::string_view TimeToken() {
    Spaces();
    const size_t start = i_;
    while (i_ < s_.size() && s_[i_] != ' ' && s_[i_] != '-') ++i_;
    std::string_view t = s_.substr(start, i_ - start);
    Spaces();
    if (s_.compare(i_, 3, "uhr") == 0) i_ += 3;
    return t;
  }
  // "-", "..", "bis", "to", "until".
  bool Separator() {
    Spaces();
    if (Eat('-')) return true;
    if (s_.compare(i_, 2, "..") == 0) {
      i_ += 2;
      return true;
    }
    for (std::string_view word : {"bis ", "to ", "until "}) {
      if (s_.compare(i_, word.size(), word) == 0) {
        i_ += word.size();
        return true;
      }
    }
    return false;
  }

 private:
  bool Eat(char c) {
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  Status BadDate(size_t start) {
    size_t end = start;
    while (end < s_.size() && s_[end] != ' ') ++end;
    return Status::Error("\"" + std::string(s_.substr(start, end - start)) +
                         "\" is not a date; write dates as YYYY-MM-DD, like 2026-12-24");
  }

  std::string_view s_;
  size_t i_ = 0;
};

Status ClosureError(std::string_view text, const std::string& what) {
  return Status::Error("closure \"" + std::string(Trim(text)) + "\": " + what);
}

Result<int> ClosureTime(Reader& r, std::string_view text, bool allow_24) {
  const std::string_view token = r.TimeToken();
  std::optional<int> t = ParseTime(token, allow_24);
  if (!t) {
    return ClosureError(text, "\"" + std::string(token) +
                                  "\" is not a time; write hours and minutes like 12:00 "
                                  "(00:00 to 24:00)");
  }
  return *t;
}

}  // namespace

std::string FormatMinute(int minute) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minute / 60 % 100, minute % 60);
  return buf;
}

Result<std::vector<WeeklyWindow>> ParseWeekly(std::string_view text) {
  const std::string s = Normalize(text);
  const std::string_view all = Trim(s);
  if (all.empty()) {
    return Status::Error(std::string("weekly hours are empty; write them like ") + kWeeklyExample +
                         ", or \"none\" if the team is never online");
  }
  if (all == "none" || all == "keine") return std::vector<WeeklyWindow>{};
  std::vector<WeeklyWindow> out;
  std::vector<date::weekday> days;
  int item_no = 0;
  size_t pos = 0;
  while (pos <= all.size()) {
    size_t end = all.find_first_of(",;\n", pos);
    if (end == std::string_view::npos) end = all.size();
    const std::string_view item = Trim(all.substr(pos, end - pos));
    pos = end + 1;
    if (item.empty()) continue;
    ++item_no;
    auto fail = [&](const std::string& what) {
      return Status::Error("weekly hours, item " + std::to_string(item_no) + " \"" +
                           std::string(item) + "\": " + what);
    };
    std::vector<std::string> tokens = Tokens(item);
    if (tokens.empty()) continue;
    size_t first_time = 0;
    if (IsDigit(tokens[0][0])) {
      if (days.empty()) {
        return fail(std::string("the days are missing; write the days first, like ") +
                    kWeeklyExample);
      }
    } else {
      Result<std::vector<date::weekday>> parsed = ParseDays(tokens[0]);
      if (!parsed.ok()) return fail(parsed.status().message());
      days = parsed.value();
      first_time = 1;
    }
    if (first_time == tokens.size()) {
      return fail(
          "the times are missing; write them after the days, like \"sat 10:00-14:00\" (one "
          "item per day or range of days, separated by commas)");
    }
    for (size_t i = first_time; i < tokens.size(); ++i) {
      Result<TimeRange> range = ParseRange(tokens[i]);
      if (!range.ok()) return fail(range.status().message());
      for (date::weekday d : days) {
        out.push_back({d, range.value().start_minute, range.value().end_minute});
      }
    }
  }
  if (out.empty()) {
    return Status::Error(std::string("weekly hours are empty; write them like ") + kWeeklyExample +
                         ", or \"none\" if the team is never online");
  }
  return out;
}

Result<Closure> ParseClosure(std::string_view text) {
  const std::string s = Normalize(text);
  Reader r(Trim(s));
  if (r.AtEnd()) return ClosureError(text, std::string("it is empty; ") + kClosureForms);
  if (!r.LooksLikeDate()) {
    return ClosureError(text, std::string("it must start with a date; ") + kClosureForms);
  }
  Result<date::year_month_day> d1 = r.Date();
  if (!d1.ok()) return ClosureError(text, d1.status().message());
  const date::local_days day1{d1.value()};
  std::optional<int> t1;
  if (r.LooksLikeTime()) {
    Result<int> t = ClosureTime(r, text, false);
    if (!t.ok()) return t.status();
    t1 = t.value();
  }
  if (r.AtEnd()) {
    if (t1) {
      return ClosureError(text, "a start time needs an end, like 2026-12-24 12:00-24:00");
    }
    return Closure{day1, day1 + date::days{1}};
  }
  if (!r.Separator()) {
    return ClosureError(text, "cannot read \"" + std::string(r.Rest()) + "\"; " + kClosureForms);
  }
  Closure c;
  c.begin = day1 + std::chrono::minutes{t1.value_or(0)};
  if (r.LooksLikeDate()) {
    Result<date::year_month_day> d2 = r.Date();
    if (!d2.ok()) return ClosureError(text, d2.status().message());
    const date::local_days day2{d2.value()};
    if (r.LooksLikeTime()) {
      Result<int> t2 = ClosureTime(r, text, true);
      if (!t2.ok()) return t2.status();
      c.end = day2 + std::chrono::minutes{t2.value()};
    } else {
      c.end = day2 + date::days{1};  // the end date is included
    }
  } else if (r.LooksLikeTime()) {
    if (!t1) {
      return ClosureError(text,
                          "after a date without a time, write an end date; for part of a day "
                          "write both times, like 2026-12-24 12:00-24:00");
    }
    Result<int> t2 = ClosureTime(r, text, true);
    if (!t2.ok()) return t2.status();
    if (t2.value() == *t1) {
      return ClosureError(text, "it starts and ends at the same time");
    }
    // An end at or before the start is on the next day, as in the weekly hours.
    c.end = day1 + std::chrono::minutes{t2.value()} +
            (t2.value() < *t1 ? date::days{1} : date::days{0});
  } else {
    return ClosureError(text, "cannot read \"" + std::string(r.Rest()) + "\"; " + kClosureForms);
  }
  if (!r.AtEnd()) {
    return ClosureError(
        text, "cannot read \"" + std::string(r.Rest()) + "\" at the end; " + kClosureForms);
  }
  if (c.end <= c.begin) {
    return ClosureError(text, "it ends before it begins; write the earlier date first");
  }
  return c;
}

Result<SpecialOpening> ParseOpening(std::string_view text) {
  const std::string s = Normalize(text);
  const std::string_view all = Trim(s);
  auto fail = [&](const std::string& what) {
    return Status::Error("special opening \"" + std::string(Trim(text)) + "\": " + what);
  };
  Reader r(all);
  if (!r.LooksLikeDate()) {
    return fail("it must start with a date and the hours, like 2026-06-14 10:00-18:00");
  }
  Result<date::year_month_day> day = r.Date();
  if (!day.ok()) return fail(day.status().message());
  SpecialOpening opening{day.value(), {}};
  std::string rest(r.Rest());
  for (char& c : rest) {
    if (c == ',' || c == ';') c = ' ';
  }
  for (const std::string& token : Tokens(rest)) {
    Result<TimeRange> range = ParseRange(token);
    if (!range.ok()) return fail(range.status().message());
    opening.windows.push_back(range.value());
  }
  if (opening.windows.empty()) {
    return fail(
        "the hours are missing; write them after the date, like 2026-06-14 10:00-18:00 "
        "(00:00-24:00 for the whole day)");
  }
  return opening;
}

}  // namespace wache::calendar
