#include "calendar/format.h"

#include <date/date.h>

#include <cctype>
#include <string_view>

#include "calendar/spec.h"
#include "calendar/zone.h"

namespace wache::calendar {
namespace {

using date::days;
using date::local_days;

// Indexed by weekday (Sunday = 0) and month (January = 0).
struct Words {
  const char* weekdays[7];
  const char* months[12];
};

constexpr Words kGerman = {
    {"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"},
    {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
     "November", "Dezember"}};
constexpr Words kEnglish = {
    {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
    {"January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"}};
constexpr Words kTurkish = {
    {"Pazar", "Pazartesi", "Salı", "Çarşamba", "Perşembe", "Cuma", "Cumartesi"},
    {"Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim",
     "Kasım", "Aralık"}};
// Arabic: the weekday only; the date is numeric, because month names differ between the
// Levant (كانون الأول) and Egypt and the Gulf (ديسمبر).
constexpr Words kArabic = {
    {"الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت"}, {}};
// Polish, Russian, Ukrainian: weekdays in the accusative after w / в / у, months in the
// genitive ("28 grudnia").
constexpr Words kPolish = {
    {"niedzielę", "poniedziałek", "wtorek", "środę", "czwartek", "piątek", "sobotę"},
    {"stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września",
     "października", "listopada", "grudnia"}};
constexpr Words kRussian = {
    {"воскресенье", "понедельник", "вторник", "среду", "четверг", "пятницу", "субботу"},
    {"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
     "октября", "ноября", "декабря"}};
constexpr Words kUkrainian = {
    {"неділю", "понеділок", "вівторок", "середу", "четвер", "п'ятницю", "суботу"},
    {"січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня",
     "жовтня", "листопада", "грудня"}};

// The locative suffix of a clock time in Turkish follows the last number word spoken:
// 16:00 "on altı" → 16:00'da, 07:45 "yedi kırk beş" → 07:45'te, 20:00 "yirmi" → 20:00'de.
const char* TurkishLocative(int hour, int minute) {
  const int n = minute != 0 ? minute : hour;
  if (n == 0) return "'da";  // sıfır
  static constexpr const char* kUnits[10] = {"",    "'de", "'de", "'te", "'te",
                                             "'te", "'da", "'de", "'de", "'da"};
  static constexpr const char* kTens[6] = {"", "'da", "'de", "'da", "'ta", "'de"};
  return n % 10 != 0 ? kUnits[n % 10] : kTens[n / 10];
}

std::string TwoDigits(unsigned n) {
  return std::string(1, static_cast<char>('0' + n / 10 % 10)) + static_cast<char>('0' + n % 10);
}

}  // namespace

const std::vector<std::string>& NextStaffedLanguages() {
  static const std::vector<std::string> kLanguages = {"de", "en", "tr", "ar", "pl", "ru", "uk"};
  return kLanguages;
}

std::string FormatNextStaffed(std::chrono::sys_seconds when, std::chrono::sys_seconds now,
                              const std::string& time_zone, const std::string& language) {
  std::string lang;
  for (char c : language) {
    if (c == '-' || c == '_') break;
    lang += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  date::local_seconds local_when{when.time_since_epoch()};
  date::local_seconds local_now{now.time_since_epoch()};
  if (Result<Zone> zone = Zone::Locate(time_zone); zone.ok()) {
    local_when = zone.value().ToLocal(when);
    local_now = zone.value().ToLocal(now);
  }
  const local_days day = date::floor<days>(local_when);
  const int in_days = (day - date::floor<days>(local_now)).count();
  const auto minute_of_day =
      std::chrono::duration_cast<std::chrono::minutes>(local_when - day).count();
  const int hour = static_cast<int>(minute_of_day / 60);
  const int minute = static_cast<int>(minute_of_day % 60);
  const std::string hhmm = FormatMinute(static_cast<int>(minute_of_day));
  const date::year_month_day ymd{day};
  const unsigned wd = date::weekday{day}.c_encoding();
  const unsigned mon = static_cast<unsigned>(ymd.month()) - 1;
  const std::string dom = std::to_string(static_cast<unsigned>(ymd.day()));
  const std::string dd_mm =
      TwoDigits(static_cast<unsigned>(ymd.day())) + "." + TwoDigits(mon + 1) + ".";
  const bool today = in_days <= 0;
  const bool tomorrow = in_days == 1;

  if (lang == "de") {
    const std::string at = "um " + hhmm + " Uhr";
    if (today) return "heute " + at;
    if (tomorrow) return "morgen " + at;
    return std::string("am ") + kGerman.weekdays[wd] + ", " + dd_mm + ", " + at;
  }
  if (lang == "tr") {
    const std::string at = "saat " + hhmm + TurkishLocative(hour, minute);
    if (today) return "bugün " + at;
    if (tomorrow) return "yarın " + at;
    return dom + " " + kTurkish.months[mon] + " " + kTurkish.weekdays[wd] + " " + at;
  }
  if (lang == "ar") {
    const std::string at = "الساعة " + hhmm;
    if (today) return "اليوم " + at;
    if (tomorrow) return "غدًا " + at;
    return std::string("يوم ") + kArabic.weekdays[wd] + " " + dom + "/" + std::to_string(mon + 1) +
           " " + at;
  }
  if (lang == "pl") {
    const std::string at = "o " + hhmm;
    if (today) return "dzisiaj " + at;
    if (tomorrow) return "jutro " + at;
    // "we wtorek": w becomes we before the cluster "wt".
    return std::string(wd == 2 ? "we " : "w ") + kPolish.weekdays[wd] + ", " + dom + " " +
           kPolish.months[mon] + ", " + at;
  }
  if (lang == "ru") {
    const std::string at = "в " + hhmm;
    if (today) return "сегодня " + at;
    if (tomorrow) return "завтра " + at;
    return std::string(wd == 2 ? "во " : "в ") + kRussian.weekdays[wd] + ", " + dom + " " +
           kRussian.months[mon] + ", " + at;
  }
  if (lang == "uk") {
    // "об" before a vowel: об одинадцятій (11 o'clock).
    const std::string at = (hour == 11 ? "об " : "о ") + hhmm;
    if (today) return "сьогодні " + at;
    if (tomorrow) return "завтра " + at;
    return std::string("у ") + kUkrainian.weekdays[wd] + ", " + dom + " " + kUkrainian.months[mon] +
           ", " + at;
  }
  const std::string at = "at " + hhmm;
  if (today) return "today " + at;
  if (tomorrow) return "tomorrow " + at;
  return std::string("on ") + kEnglish.weekdays[wd] + " " + dom + " " + kEnglish.months[mon] + " " +
         at;
}

}  // namespace wache::calendar
