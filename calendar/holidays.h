// Public holidays, computed from rules: the 16 German states (plus "DE" for the holidays
// all states share) and England and Wales bank holidays. Pure functions, thread-safe.
//
// Region codes (case-insensitive): BW BY BE BB HB HH HE MV NI NW RP SL SN ST SH TH, also
// written "DE-NW"; "NRW" is accepted for NW. "DE": nationwide holidays only.
// "GB-EAW" (England and Wales; "GB-ENG" and "GB-WLS" are accepted for it).
//
// Years 1990–2200 are supported; other years have no holidays (empty lists).
// Statewide holidays only: Mariä Himmelfahrt counts in SL but not in BY (there only in
// communities with a Catholic majority), Fronleichnam not in SN/TH (only some
// communities), the Augsburger Friedensfest not at all.
#pragma once

#include <date/date.h>

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wache::calendar {

inline constexpr int kFirstHolidayYear = 1990;
inline constexpr int kLastHolidayYear = 2200;

struct Holiday {
  date::year_month_day date;
  // German names for German regions ("Fronleichnam"), English for England
  // ("Boxing Day (substitute day)").
  std::string name;

  friend bool operator==(const Holiday&, const Holiday&) = default;
};
std::ostream& operator<<(std::ostream& os, const Holiday& h);  // "2026-06-04 Fronleichnam"

// Easter Sunday of a Gregorian year (anonymous Gregorian algorithm, Meeus/Jones/Butcher).
date::year_month_day EasterSunday(int year);

// The canonical region codes: "DE", the 16 state codes, "GB-EAW".
const std::vector<std::string>& HolidayRegions();

// The canonical code for a region as staff write it ("nw", "DE-NW", "NRW" → "NW";
// "gb-eng" → "GB-EAW"); nullopt if unknown.
std::optional<std::string> CanonicalHolidayRegion(std::string_view region);

// The public holidays of `region` (any spelling CanonicalHolidayRegion accepts) in `year`,
// sorted by date. Empty for an unknown region or a year outside 1990–2200. Two holidays on
// one date (Christi Himmelfahrt on 1 May, as in 2008) are two entries.
std::vector<Holiday> HolidaysInYear(const std::string& region, int year);

}  // namespace wache::calendar
