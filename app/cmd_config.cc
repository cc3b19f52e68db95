// wache config show ACCOUNT: what one account really uses, after the three layers
// (defaults → station → account), with the file and line each value comes from, and its
// calendar right now: on duty or not, when next, the public holidays of the year.
#include <date/date.h>

#include <iostream>
#include <sstream>

#include "app/commands.h"
#include "bot/accounts.h"
#include "bot/clock.h"
#include "bot/flow_loader.h"
#include "bot/templates.h"
#include "calendar/format.h"
#include "calendar/holidays.h"

namespace wache::app {
namespace {

std::string From(const bot::Account& a, const std::string& key) {
  auto it = a.origin.find(key);
  return it == a.origin.end() ? "built-in default" : it->second;
}

void Line(const std::string& name, const std::string& value, const std::string& from) {
  std::string left = "  " + name + ": " + value;
  // Pad by characters, not bytes, so that "Köln" lines up with the rest.
  size_t width = 0;
  for (unsigned char ch : left) width += (ch & 0xC0) != 0x80;
  if (width < 52) left.append(52 - width, ' ');
  std::cout << left << "  # " << from << "\n";
}

std::string At(const bot::SourceLocation& where) {
  return where.file + (where.line ? ":" + std::to_string(where.line) : "");
}

// The station's own flows and texts (flows with `stations:`, templates/stations/<id>/).
void ShowStationPlaybook(const bot::GatewayConfig& config, const bot::Account& a) {
  bot::Diagnostics diags;  // `wache check` reports problems; here only what is there
  bot::FlowSet flows = bot::LoadFlowDir(config.flows_dir, diags);
  bot::TemplateSet templates = bot::TemplateSet::LoadDir(config.templates_dir, diags);
  std::cout << "own flows and texts:\n";
  bool any = false;
  for (const auto& f : flows.flows) {
    if (f.stations.empty() || !f.Serves(a.station)) continue;
    Line("flow", f.name, At(f.where));
    any = true;
  }
  auto st = templates.by_station().find(a.station);
  if (st != templates.by_station().end()) {
    for (const auto& [lang, texts] : st->second) {
      for (const auto& [key, t] : texts) {
        Line("text",
             key + " (" + lang + ")" +
                 (templates.Find(lang, key) ? ", instead of the text for everyone" : ""),
             At(t.where));
        any = true;
      }
    }
  }
  if (!any) {
    std::cout << "  none: the flows and texts for everyone (a station adds its own with "
                 "'stations:' in a flow file and templates/stations/"
              << (a.station.empty() ? "<station>" : a.station) << "/<language>/)\n";
  }
}

}  // namespace

int RunConfigShow(const CommonOptions& opts, const std::string& account_id) {
  bot::Diagnostics diags;
  bot::GatewayConfig config = bot::LoadConfig(opts.config, diags);
  if (diags.has_errors()) {
    std::cerr << diags.Format();
    return 1;
  }
  const bot::Account* a = config.FindAccount(account_id);
  if (!a) {
    std::cerr << "wache config show: no account '" << account_id << "' in " << opts.config
              << bot::DidYouMean(account_id,
                                 [&] {
                                   std::vector<std::string> ids;
                                   for (const auto& x : config.accounts) ids.push_back(x.id);
                                   return ids;
                                 }())
              << "\naccounts:";
    for (const auto& x : config.accounts) std::cerr << " " << x.id;
    std::cerr << "\n";
    return 2;
  }
  std::cout << "account " << a->id << " (" << a->name << ")\n";
  Line("platform", a->platform + " " + a->platform_id, "account");
  Line("station", a->station.empty() ? "-" : a->station + " (" + a->station_name + ")",
       a->station.empty() ? "no station: defaults, then the account" : "account");
  Line("language", a->language, From(*a, "language"));
  Line("conversation_timeout_minutes", std::to_string(a->conversation_timeout_minutes),
       From(*a, "conversation_timeout_minutes"));
  std::cout << "variables:\n";
  for (const auto& [k, v] : a->variables) Line(k, "\"" + v + "\"", From(*a, "variables." + k));
  std::cout << "calendar:\n";
  if (!a->calendar) {
    std::cout << "  none: the bot cannot tell on-duty from off-duty hours; if_off_duty steps "
                 "are never taken\n";
    ShowStationPlaybook(config, *a);
    return 0;
  }
  const auto& spec = a->calendar_spec;
  Line("time_zone", spec.time_zone, From(*a, "calendar.time_zone"));
  Line("holidays", spec.holiday_region.empty() ? "none" : spec.holiday_region,
       From(*a, "calendar.holidays"));
  std::string weekly;
  for (const auto& w : spec.weekly) {
    std::ostringstream day;
    day << w.day;
    weekly += (weekly.empty() ? "" : ", ") + day.str() + " " +
              calendar::FormatMinute(w.start_minute) + "-" + calendar::FormatMinute(w.end_minute);
  }
  Line("staffed", weekly.empty() ? "none (never on duty, but for openings)" : weekly,
       From(*a, "calendar.staffed"));
  Line("closures", std::to_string(spec.closures.size()), From(*a, "calendar.closures"));
  Line("openings", std::to_string(spec.openings.size()), From(*a, "calendar.openings"));
  const auto now = bot::SystemClock().Now();
  const bool staffed = a->calendar->IsStaffed(now);
  std::cout << "  now: " << (staffed ? "on duty" : "off duty");
  if (!staffed) {
    if (auto next = a->calendar->NextStaffedStart(now)) {
      std::cout << "; back " << calendar::FormatNextStaffed(*next, now, spec.time_zone, a->language)
                << " ({next_staffed_time} in " << a->language << ")";
    }
  }
  std::cout << "\n";
  if (!spec.holiday_region.empty()) {
    const int year = static_cast<int>(date::year_month_day(date::floor<date::days>(now)).year());
    std::cout << "  holidays " << year << ":";
    for (const auto& h : calendar::HolidaysInYear(spec.holiday_region, year)) {
      std::cout << "\n    " << date::format("%F", date::sys_days(h.date)) << "  " << h.name;
    }
    std::cout << "\n";
  }
  ShowStationPlaybook(config, *a);
  return 0;
}

}  // namespace wache::app
