// The text of the template variable {next_staffed_time}: when the team is next online, in
// the reader's language, relative to now, in the calendar's time zone, 24-hour clock.
//
//   de  heute um 16:00 Uhr | morgen um 07:30 Uhr | am Montag, 28.12., um 07:30 Uhr
//   en  today at 16:00 | tomorrow at 07:30 | on Monday 28 December at 07:30
//   tr  bugün saat 16:00'da | yarın saat 07:30'da | 28 Aralık Pazartesi saat 07:30'da
//   ar  اليوم الساعة 16:00 | غدًا الساعة 07:30 | يوم الاثنين 28/12 الساعة 07:30
//   pl  dzisiaj o 16:00 | jutro o 07:30 | w poniedziałek, 28 grudnia, o 07:30
//   ru  сегодня в 16:00 | завтра в 07:30 | в понедельник, 28 декабря, в 07:30
//   uk  сьогодні о 16:00 | завтра о 07:30 | у понеділок, 28 грудня, о 07:30
//
// The phrases are written to follow a verb ("Das Team antwortet wieder {next_staffed_time}.").
// Digits are Western everywhere, also in Arabic (no bidi control characters are inserted:
// a run of digits with ':' or '/' between them stays left-to-right in right-to-left text).
// Thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace wache::calendar {

// `language` is a code like "de" or "de-DE"; a language without its own wording gets
// English. An unknown time zone formats in UTC (StaffingCalendar::Build rejects those).
// A `when` on the same local date as `now` (or earlier) is "today".
std::string FormatNextStaffed(std::chrono::sys_seconds when, std::chrono::sys_seconds now,
                              const std::string& time_zone, const std::string& language);

// The languages with their own wording: de, en, tr, ar, pl, ru, uk.
const std::vector<std::string>& NextStaffedLanguages();

}  // namespace wache::calendar
