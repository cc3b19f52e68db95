#include "calendar/holidays.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <ostream>

namespace wache::calendar {
namespace {

using date::days;
using date::local_days;

constexpr std::string_view kGermanStates[] = {"BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV",
                                              "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH"};

date::year_month_day Ymd(int y, unsigned m, unsigned d) {
  return date::year{y} / date::month{m} / date::day{d};
}

date::year_month_day Plus(date::year_month_day ymd, int n) {
  return date::year_month_day{local_days{ymd} + days{n}};
}

date::weekday WeekdayOf(date::year_month_day ymd) { return date::weekday{local_days{ymd}}; }

// The n-th (1-based) given weekday of a month.
date::year_month_day NthWeekday(int y, unsigned m, date::weekday wd, unsigned n) {
  return date::year_month_day{date::year{y} / date::month{m} / wd[n]};
}

date::year_month_day LastWeekday(int y, unsigned m, date::weekday wd) {
  return date::year_month_day{date::year{y} / date::month{m} / wd[date::last]};
}

// Buß- und Bettag: the Wednesday before 23 November (16–22 November).
date::year_month_day BussUndBettag(int y) {
  local_days nov22{Ymd(y, 11, 22)};
  return date::year_month_day{nov22 - (date::weekday{nov22} - date::Wednesday)};
}

class List {
 public:
  void Add(date::year_month_day d, std::string name) { out_.push_back({d, std::move(name)}); }
  std::vector<Holiday> Sorted() && {
    std::stable_sort(out_.begin(), out_.end(), [](const Holiday& a, const Holiday& b) {
      return local_days{a.date} < local_days{b.date};
    });
    return std::move(out_);
  }

 private:
  std::vector<Holiday> out_;
};

// `state` is "DE" or one of kGermanStates. Sources: the states' Feiertagsgesetze as
// summarised in shared/docs/domain.md §6 (NRW) and the changes since 1990 named in the
// comments; dates of changes before 2000 are from secondary sources.
std::vector<Holiday> German(std::string_view state, int y) {
  auto in = [state](std::initializer_list<std::string_view> states) {
    return std::find(states.begin(), states.end(), state) != states.end();
  };
  const date::year_month_day easter = EasterSunday(y);
  List l;
  l.Add(Ymd(y, 1, 1), "Neujahr");
  // Sachsen-Anhalt since its first Feiertagsgesetz (1991).
  if (in({"BW", "BY"}) || (state == "ST" && y >= 1991)) l.Add(Ymd(y, 1, 6), "Heilige Drei Könige");
  if ((state == "BE" && y >= 2019) || (state == "MV" && y >= 2023)) {
    l.Add(Ymd(y, 3, 8), "Internationaler Frauentag");
  }
  l.Add(Plus(easter, -2), "Karfreitag");
  // Brandenburg and Hessen list the Sundays of Easter and Pentecost as holidays too; they
  // matter only to a team that works on Sundays.
  if (in({"BB", "HE"})) l.Add(easter, "Ostersonntag");
  l.Add(Plus(easter, 1), "Ostermontag");
  l.Add(Ymd(y, 5, 1), "Tag der Arbeit");
  // Berlin, one-off: the 75th and 80th anniversary of the end of the war in Europe.
  if (state == "BE" && (y == 2020 || y == 2025)) l.Add(Ymd(y, 5, 8), "Tag der Befreiung");
  l.Add(Plus(easter, 39), "Christi Himmelfahrt");
  if (in({"BB", "HE"})) l.Add(Plus(easter, 49), "Pfingstsonntag");
  l.Add(Plus(easter, 50), "Pfingstmontag");
  if (in({"BW", "BY", "HE", "NW", "RP", "SL"})) l.Add(Plus(easter, 60), "Fronleichnam");
  // Berlin, one-off (a Saturday): 75 years since the 1953 uprising. From press reports of
  // 2024/2025; confirm against the Berlin Feiertagsgesetz before relying on it.
  if (state == "BE" && y == 2028) l.Add(Ymd(y, 6, 17), "Jahrestag des Volksaufstands 1953");
  // Bayern: only in communities with a mostly Catholic population, so not statewide.
  if (state == "SL") l.Add(Ymd(y, 8, 15), "Mariä Himmelfahrt");
  if (state == "TH" && y >= 2019) l.Add(Ymd(y, 9, 20), "Weltkindertag");
  l.Add(Ymd(y, 10, 3), "Tag der Deutschen Einheit");
  // Eastern states since 1990; the four northern states since 2018; everywhere in 2017
  // (500 years of the Reformation).
  if (y == 2017 || in({"BB", "MV", "SN", "ST", "TH"}) ||
      (in({"HB", "HH", "NI", "SH"}) && y >= 2018)) {
    l.Add(Ymd(y, 10, 31), "Reformationstag");
  }
  if (in({"BW", "BY", "NW", "RP", "SL"})) l.Add(Ymd(y, 11, 1), "Allerheiligen");
  // A holiday everywhere until 1994; abolished from 1995 except in Sachsen.
  if (y <= 1994 || state == "SN") l.Add(BussUndBettag(y), "Buß- und Bettag");
  l.Add(Ymd(y, 12, 25), "1. Weihnachtstag");
  l.Add(Ymd(y, 12, 26), "2. Weihnachtstag");
  return std::move(l).Sorted();
}

// England and Wales, as the gov.uk feed lists them: a holiday on a weekend is replaced by
// a substitute weekday (the weekend day itself is not listed). One-off changes by royal
// proclamation since 1990 are listed explicitly (from memory; domain.md §6 says to confirm
// them against https://www.gov.uk/bank-holidays/england-and-wales.ics).
std::vector<Holiday> EnglandAndWales(int y) {
  const date::year_month_day easter = EasterSunday(y);
  List l;
  date::year_month_day new_year = Ymd(y, 1, 1);
  if (WeekdayOf(new_year) == date::Saturday) {
    l.Add(Ymd(y, 1, 3), "New Year's Day (substitute day)");
  } else if (WeekdayOf(new_year) == date::Sunday) {
    l.Add(Ymd(y, 1, 2), "New Year's Day (substitute day)");
  } else {
    l.Add(new_year, "New Year's Day");
  }
  l.Add(Plus(easter, -2), "Good Friday");
  l.Add(Plus(easter, 1), "Easter Monday");
  if (y == 1995) {
    l.Add(Ymd(y, 5, 8), "Early May bank holiday (VE day)");  // moved for the 50th anniversary
  } else if (y == 2020) {
    l.Add(Ymd(y, 5, 8), "Early May bank holiday (VE day)");  // moved for the 75th anniversary
  } else {
    l.Add(NthWeekday(y, 5, date::Monday, 1), "Early May bank holiday");
  }
  if (y == 2002 || y == 2012) {
    l.Add(Ymd(y, 6, 4), "Spring bank holiday");  // moved for the Golden / Diamond Jubilee
  } else if (y == 2022) {
    l.Add(Ymd(y, 6, 2), "Spring bank holiday");  // moved for the Platinum Jubilee
  } else {
    l.Add(LastWeekday(y, 5, date::Monday), "Spring bank holiday");
  }
  if (y == 2002) l.Add(Ymd(y, 6, 3), "Golden Jubilee bank holiday");
  if (y == 2011) l.Add(Ymd(y, 4, 29), "Royal wedding");
  if (y == 2012) l.Add(Ymd(y, 6, 5), "Queen's Diamond Jubilee");
  if (y == 2022) l.Add(Ymd(y, 6, 3), "Platinum Jubilee bank holiday");
  if (y == 2022) l.Add(Ymd(y, 9, 19), "Bank holiday for the State Funeral of Queen Elizabeth II");
  if (y == 2023) l.Add(Ymd(y, 5, 8), "Bank holiday for the coronation of King Charles III");
  l.Add(LastWeekday(y, 8, date::Monday), "Summer bank holiday");
  const date::weekday christmas = WeekdayOf(Ymd(y, 12, 25));
  if (christmas == date::Saturday) {  // both on the weekend: Monday and Tuesday
    l.Add(Ymd(y, 12, 27), "Christmas Day (substitute day)");
    l.Add(Ymd(y, 12, 28), "Boxing Day (substitute day)");
  } else if (christmas == date::Sunday) {  // Boxing Day on the Monday, Christmas on Tuesday
    l.Add(Ymd(y, 12, 26), "Boxing Day");
    l.Add(Ymd(y, 12, 27), "Christmas Day (substitute day)");
  } else if (christmas == date::Friday) {  // Boxing Day on Saturday: Monday 28
    l.Add(Ymd(y, 12, 25), "Christmas Day");
    l.Add(Ymd(y, 12, 28), "Boxing Day (substitute day)");
  } else {
    l.Add(Ymd(y, 12, 25), "Christmas Day");
    l.Add(Ymd(y, 12, 26), "Boxing Day");
  }
  if (y == 1999) l.Add(Ymd(y, 12, 31), "Millennium Day");
  return std::move(l).Sorted();
}

}  // namespace

std::ostream& operator<<(std::ostream& os, const Holiday& h) {
  return os << date::format("%F", local_days{h.date}) << ' ' << h.name;
}

date::year_month_day EasterSunday(int year) {
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return Ymd(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

const std::vector<std::string>& HolidayRegions() {
  static const std::vector<std::string> kRegions = [] {
    std::vector<std::string> r{"DE"};
    for (std::string_view s : kGermanStates) r.emplace_back(s);
    r.emplace_back("GB-EAW");
    return r;
  }();
  return kRegions;
}

std::optional<std::string> CanonicalHolidayRegion(std::string_view region) {
  std::string up;
  for (char c : region) {
    if (c == '_') c = '-';
    up += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (up == "GB-EAW" || up == "GB-ENG" || up == "GB-WLS") return "GB-EAW";
  if (up == "DE") return up;
  if (up == "NRW" || up == "DE-NRW") return "NW";
  if (up.size() == 5 && up.starts_with("DE-")) up = up.substr(3);
  for (std::string_view s : kGermanStates) {
    if (up == s) return up;
  }
  return std::nullopt;
}

std::vector<Holiday> HolidaysInYear(const std::string& region, int year) {
  if (year < kFirstHolidayYear || year > kLastHolidayYear) return {};
  std::optional<std::string> canonical = CanonicalHolidayRegion(region);
  if (!canonical) return {};
  if (*canonical == "GB-EAW") return EnglandAndWales(year);
  return German(*canonical, year);
}

}  // namespace wache::calendar
