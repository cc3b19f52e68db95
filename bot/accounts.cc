#include "bot/accounts.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "bot/templates.h"
#include "bot/yaml_source.h"
#include "calendar/holidays.h"
#include "calendar/zone.h"

namespace wache::bot {
namespace {

namespace fs = std::filesystem;

std::map<std::string, std::string> ReadVariables(YamlReader& r, const YamlNode& node) {
  std::map<std::string, std::string> out;
  if (!node) return out;
  if (!node.IsMap()) {
    r.diags().Error(r.At(node), "variables: is a map of 'name: value' lines");
    return out;
  }
  for (const auto& kv : node) {
    std::string name = r.Key(kv.first);
    if (auto v = r.String(kv.second, "the value of variable '" + name + "'")) out[name] = *v;
  }
  return out;
}

// A calendar needs at least a time zone and staffed hours; a layer that only sets holidays
// is an error, so that a typo never silently means "always off duty".
void BuildCalendar(Account& a, Diagnostics& diags) {
  const calendar::CalendarSpec& spec = a.calendar_spec;
  bool configured = false;
  for (const auto& [key, from] : a.origin) configured |= key.rfind("calendar.", 0) == 0;
  if (!configured) return;  // no calendar: the bot assumes on duty
  // `staffed: none` (never on duty) is a valid calendar, so "given" is what counts here.
  if (!a.origin.count("calendar.time_zone") || !a.origin.count("calendar.staffed")) {
    a.calendar_broken = true;
    diags.Error(a.where, "account '" + a.id +
                             "': its calendar needs time_zone: (e.g. Europe/Berlin) and staffed: "
                             "(e.g. \"mo-fr 07:30-16:00\"), in defaults:, its station or itself");
    return;
  }
  if (!a.calendar_errors.empty()) {  // a time zone or hours, reported at their line
    a.calendar_broken = true;
    return;
  }
  auto built = calendar::StaffingCalendar::Build(spec);
  if (!built.ok()) {
    a.calendar_broken = true;
    diags.Error(a.where, "account '" + a.id + "': calendar: " + built.status().message());
    return;
  }
  a.calendar = std::make_shared<const calendar::StaffingCalendar>(std::move(built).value());
}

std::string Resolve(const std::string& base_dir, const std::string& p) {
  if (p.empty() || fs::path(p).is_absolute() || base_dir.empty()) return p;
  return (fs::path(base_dir) / p).lexically_normal().string();
}

}  // namespace

const Account* GatewayConfig::FindAccount(const std::string& id) const {
  for (const auto& a : accounts) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

std::vector<std::string> GatewayConfig::VariableNames() const {
  std::set<std::string> names;
  for (const auto& a : accounts) {
    for (const auto& [k, v] : a.variables) names.insert(k);
  }
  return {names.begin(), names.end()};
}

namespace {
void ReadConfig(const YamlNode& root, const std::string& name, const std::string& base_dir,
                GatewayConfig& cfg, Diagnostics& diags);
}  // namespace

GatewayConfig LoadConfigString(const std::string& yaml, const std::string& name,
                               const std::string& base_dir, Diagnostics& diags) {
  GatewayConfig cfg;
  cfg.file = name;
  auto root_opt = LoadYamlString(yaml, name, diags);
  if (!root_opt) return cfg;
  GuardYaml(name, diags, [&] { ReadConfig(*root_opt, name, base_dir, cfg, diags); });
  if (cfg.accounts.empty()) diags.Error({name, 1, 1}, "no accounts configured under 'accounts:'");
  return cfg;
}

namespace {
void ReadConfig(const YamlNode& root, const std::string& name, const std::string& base_dir,
                GatewayConfig& cfg, Diagnostics& diags) {
  YamlReader r(name, diags);
  if (!root.IsMap()) {
    diags.Error(r.At(root), "the config is a map with 'defaults:' and 'accounts:'");
    return;
  }
  // `server` and `platforms` (and each account's `credentials`) belong to the webhook
  // gateway and are read and checked by webhook/webhook_config.cc.
  r.CheckKeys(root,
              {"flows", "templates", "database", "defaults", "stations", "accounts", "server",
               "platforms", "staff"},
              "the config");
  if (root["flows"]) cfg.flows_dir = r.String(root["flows"], "a folder").value_or(cfg.flows_dir);
  if (root["templates"]) {
    cfg.templates_dir = r.String(root["templates"], "a folder").value_or(cfg.templates_dir);
  }
  if (root["database"]) cfg.database = r.String(root["database"], "a file").value_or(cfg.database);
  cfg.flows_dir = Resolve(base_dir, cfg.flows_dir);
  cfg.templates_dir = Resolve(base_dir, cfg.templates_dir);
  if (cfg.database != ":memory:") cfg.database = Resolve(base_dir, cfg.database);

  // One layer of settings (defaults, a station, an account) applied over the layers
  // before it; `layer` names it for `wache config show`.
  auto origin = [&](const YamlNode& node, const std::string& layer) {
    SourceLocation at = r.At(node);
    return layer + " (" + fs::path(at.file).filename().string() + ":" + std::to_string(at.line) +
           ")";
  };
  auto read_calendar = [&](const YamlNode& node, const std::string& layer, Account& a) {
    if (!node) return;
    if (!node.IsMap()) {
      diags.Error(r.At(node),
                  "calendar: is a map with time_zone:, holidays:, staffed:, closures:, "
                  "openings:");
      return;
    }
    r.CheckKeys(node, {"time_zone", "holidays", "staffed", "closures", "openings"}, "calendar");
    calendar::CalendarSpec& spec = a.calendar_spec;
    if (node["time_zone"]) {
      spec.time_zone = r.String(node["time_zone"], "a time zone like Europe/Berlin").value_or("");
      a.origin["calendar.time_zone"] = origin(node["time_zone"], layer);
      // A later layer that sets it again replaces a broken value, and its error.
      a.calendar_errors.erase("time_zone");
      if (auto zone = calendar::Zone::Locate(spec.time_zone); !zone.ok()) {
        diags.Error(r.At(node["time_zone"]), "time_zone: " + zone.status().message());
        a.calendar_errors.insert("time_zone");
      }
    }
    if (node["holidays"]) {
      std::string region = r.String(node["holidays"], "a region like NW or GB-EAW").value_or("");
      auto canonical = calendar::CanonicalHolidayRegion(region);
      if (!region.empty() && !canonical) {
        diags.Error(r.At(node["holidays"]),
                    "holidays: '" + region +
                        "' is not a region; write a German state (NW, BY, BE, ...), DE for the "
                        "nationwide holidays only, or GB-EAW for England and Wales");
      }
      spec.holiday_region = canonical.value_or("");
      a.origin["calendar.holidays"] = origin(node["holidays"], layer);
    }
    if (node["staffed"]) {
      std::string text = r.String(node["staffed"], "hours like \"mo-fr 07:30-16:00\"").value_or("");
      auto weekly = calendar::ParseWeekly(text);
      a.calendar_errors.erase("staffed");
      if (!weekly.ok()) {
        diags.Error(r.At(node["staffed"]), "staffed: " + weekly.status().message());
        a.calendar_errors.insert("staffed");
      } else {
        spec.weekly = weekly.value();
      }
      a.origin["calendar.staffed"] = origin(node["staffed"], layer);
    }
    auto read_list = [&](const char* key, auto parse, auto& out) {
      const YamlNode& list = node[key];
      if (!list) return;
      out.clear();
      a.origin[std::string("calendar.") + key] = origin(list, layer);
      if (!list.IsSequence()) {
        diags.Error(r.At(list),
                    std::string(key) + ": is a list of dates like \"2026-12-24 12:00-24:00\"");
        return;
      }
      for (const auto& item : list) {
        std::string text = r.String(item, "a date").value_or("");
        auto parsed = parse(text);
        if (!parsed.ok()) {
          diags.Error(r.At(item), std::string(key) + ": " + parsed.status().message());
        } else {
          out.push_back(parsed.value());
        }
      }
    };
    read_list(
        "closures", [](std::string_view t) { return calendar::ParseClosure(t); }, spec.closures);
    read_list(
        "openings", [](std::string_view t) { return calendar::ParseOpening(t); }, spec.openings);
  };
  auto read_common = [&](const YamlNode& node, const std::string& layer, Account& a) {
    if (node["language"]) {
      a.language = r.String(node["language"], "a language code").value_or(a.language);
      a.origin["language"] = origin(node["language"], layer);
    }
    if (node["conversation_timeout_minutes"]) {
      int m = r.Int(node["conversation_timeout_minutes"], "minutes").value_or(30);
      if (m < 1)
        diags.Error(r.At(node["conversation_timeout_minutes"]),
                    "timeout must be at least 1 minute");
      a.conversation_timeout_minutes = std::max(1, m);
      a.origin["conversation_timeout_minutes"] =
          origin(node["conversation_timeout_minutes"], layer);
    }
    if (const YamlNode& vars = node["variables"]) {
      for (auto& [k, v] : ReadVariables(r, vars)) {
        a.variables[k] = v;
        a.origin["variables." + k] = origin(vars[k] ? vars[k] : vars, layer);
      }
    }
    read_calendar(node["calendar"], layer, a);
  };

  Account defaults;
  if (const YamlNode& d = root["defaults"]) {
    r.CheckKeys(d, {"language", "conversation_timeout_minutes", "variables", "calendar"},
                "'defaults'");
    read_common(d, "defaults", defaults);
  }
  // Stations (authorities): each is the defaults with its own overrides.
  std::map<std::string, Account> stations;
  if (const YamlNode& list = root["stations"]) {
    if (!list.IsMap()) {
      diags.Error(r.At(list), "stations: is a map of station ids, e.g. 'koeln: { name: ... }'");
    } else {
      for (const auto& kv : list) {
        std::string id = r.Key(kv.first);
        const YamlNode& node = kv.second;
        Account st = defaults;
        if (!node.IsMap()) {
          diags.Error(r.At(node), "station '" + id +
                                      "' is a map (name, language, conversation_timeout_minutes, "
                                      "variables, calendar)");
          continue;
        }
        r.CheckKeys(node,
                    {"name", "language", "conversation_timeout_minutes", "variables", "calendar"},
                    "station '" + id + "'");
        st.station = id;
        st.station_name = node["name"] ? r.String(node["name"], "a name").value_or(id) : id;
        read_common(node, "station " + id, st);
        stations[id] = std::move(st);
        cfg.stations.push_back(id);
      }
    }
  }
  const std::vector<std::string> kAccountKeys = {"id",          "platform",
                                                 "platform_id", "name",
                                                 "language",    "conversation_timeout_minutes",
                                                 "variables",   "credentials",
                                                 "station",     "calendar"};
  if (const YamlNode& accounts = root["accounts"]) {
    if (!accounts.IsSequence()) {
      diags.Error(r.At(accounts), "accounts: is a list, each account starting with '- id: ...'");
    } else {
      std::set<std::string> ids, platform_ids;
      for (const auto& node : accounts) {
        Account a = defaults;
        a.where = r.At(node);
        if (!node.IsMap()) {
          diags.Error(a.where, "an account is a map with id:, platform: and platform_id:");
          continue;
        }
        r.CheckKeys(node, kAccountKeys, "an account");
        if (node["station"]) {
          std::string station = r.String(node["station"], "a station id").value_or("");
          if (auto it = stations.find(station); it != stations.end()) {
            a = it->second;
            a.where = r.At(node);
          } else {
            diags.Error(r.At(node["station"]), "station '" + station +
                                                   "' is not defined under 'stations:'" +
                                                   DidYouMean(station, cfg.stations));
          }
        }
        if (node["id"]) a.id = r.String(node["id"], "an account id").value_or("");
        if (a.id.empty()) diags.Error(a.where, "account without 'id:'");
        if (node["platform"]) a.platform = r.String(node["platform"], "a platform").value_or("");
        bool known = false;
        for (const auto& p : KnownPlatforms()) known = known || p == a.platform;
        if (!known) {
          diags.Error(node["platform"] ? r.At(node["platform"]) : a.where,
                      "account '" + a.id +
                          "': platform must be whatsapp, messenger, instagram "
                          "or x" +
                          DidYouMean(a.platform, KnownPlatforms()));
        }
        if (node["platform_id"])
          a.platform_id = r.String(node["platform_id"], "an id").value_or("");
        if (node["name"]) a.name = r.String(node["name"], "a name").value_or("");
        read_common(node, "account " + a.id, a);
        if (!ids.insert(a.id).second)
          diags.Error(a.where, "account id '" + a.id + "' is used twice");
        if (!a.platform_id.empty() &&
            !platform_ids.insert(a.platform + ":" + a.platform_id).second) {
          diags.Error(a.where, "two accounts use " + a.platform + " id '" + a.platform_id + "'");
        }
        BuildCalendar(a, diags);
        cfg.accounts.push_back(std::move(a));
      }
    }
  }
}
}  // namespace

GatewayConfig LoadConfig(const std::string& path, Diagnostics& diags) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    GatewayConfig cfg;
    diags.Error({path, 0, 0}, "cannot read config file (give another with --config FILE)");
    return cfg;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return LoadConfigString(buffer.str(), path, fs::path(path).parent_path().string(), diags);
}

}  // namespace wache::bot
