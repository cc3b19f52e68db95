// Account configuration: which platform channels Wache answers for, and the variables
// their replies use ({emergency_number}, {online_station_url}, ...). Read from
// config/wache.yaml in three layers: force-wide `defaults`, then the account's station
// (authority) under `stations:`, then the account itself; each layer overrides only what
// it names. Every effective value remembers where it came from (`wache config show`).
//
// Not for: secrets (they come from the environment; see the webhook issue).
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "bot/diagnostics.h"
#include "calendar/spec.h"
#include "calendar/staffing_calendar.h"

namespace wache::bot {

struct Account {
  std::string id;               // our name for it, used in tests, simulate and logs
  std::string platform;         // whatsapp | messenger | instagram | x
  std::string platform_id;      // phone_number_id, page id, Instagram id or X user id
  std::string name;             // shown to operators
  std::string language = "de";  // default language of replies
  int conversation_timeout_minutes = 30;
  std::map<std::string, std::string> variables;  // defaults, station, account merged
  std::string station;       // id under `stations:`; "" if the account names none
  std::string station_name;  // the station's `name:`
  // When the social-media team is on duty (null: the config gives no calendar).
  calendar::CalendarSpec calendar_spec;
  std::shared_ptr<const calendar::StaffingCalendar> calendar;
  // A calendar is configured but has an error (reported): the check says nothing more
  // about the missing calendar.
  bool calendar_broken = false;
  std::set<std::string> calendar_errors;  // calendar keys whose value had an error
  // Where each effective value came from: "language", "conversation_timeout_minutes",
  // "calendar.<key>", "variables.<name>" -> "defaults (wache.yaml:12)" etc.
  std::map<std::string, std::string> origin;
  SourceLocation where;
};

struct GatewayConfig {
  std::string file;  // the config file, "" if none was read
  std::string flows_dir = "flows";
  std::string templates_dir = "templates";
  std::string database = "var/wache.db";
  std::vector<Account> accounts;
  std::vector<std::string> stations;  // ids under `stations:`, in file order

  const Account* FindAccount(const std::string& id) const;
  // The variable names any account defines (for the template checks).
  std::vector<std::string> VariableNames() const;
};

// Loads the config file. Paths inside it are relative to the file's folder.
GatewayConfig LoadConfig(const std::string& path, Diagnostics& diags);
GatewayConfig LoadConfigString(const std::string& yaml, const std::string& name,
                               const std::string& base_dir, Diagnostics& diags);

}  // namespace wache::bot
