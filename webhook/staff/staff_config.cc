#include "webhook/staff/staff_config.h"

#include <filesystem>
#include <set>

#include "bot/yaml_source.h"
#include "webhook/staff/station.h"

namespace wache::webhook::staff {
namespace {

namespace fs = std::filesystem;

// `{ env: NAME, file: PATH }`, as the platform secrets are written (webhook_config.cc).
SecretRef ReadToken(bot::YamlReader& r, const bot::YamlNode& node, const std::string& base_dir) {
  SecretRef ref;
  ref.where = r.At(node);
  ref.written = true;
  if (!node.IsMap()) {
    r.diags().Error(ref.where,
                    "token is a secret: name where it comes from, e.g. "
                    "'{ env: WACHE_STAFF_TOKEN_ANNA }' or '{ file: ../var/secrets/staff_anna }'; "
                    "tokens are never written into the config");
    return ref;
  }
  r.CheckKeys(node, {"env", "file"}, "token");
  if (node["env"]) ref.env = r.String(node["env"], "an environment variable name").value_or("");
  if (node["file"]) {
    ref.file = r.String(node["file"], "a file").value_or("");
    if (!ref.file.empty() && !fs::path(ref.file).is_absolute() && !base_dir.empty()) {
      ref.file = (fs::path(base_dir) / ref.file).lexically_normal().string();
    }
  }
  if (!ref.configured()) r.diags().Error(ref.where, "token: give 'env:' or 'file:'");
  return ref;
}

StaffMemberConfig ReadMember(bot::YamlReader& r, const bot::YamlNode& node,
                             const std::set<std::string>& stations, const std::string& base_dir) {
  StaffMemberConfig m;
  m.where = r.At(node);
  if (!node.IsMap()) {
    r.diags().Error(m.where,
                    "a staff member is a map: { name: \"Anna (Köln)\", token: { env: ... }, "
                    "role: agent, stations: [koeln] }");
    return m;
  }
  r.CheckKeys(node, {"name", "token", "role", "stations"}, "a staff member");
  if (node["name"]) m.name = r.String(node["name"], "a name").value_or("");
  if (m.name.empty())
    r.diags().Error(m.where, "a staff member needs a name: (used in the audit log)");
  if (node["token"]) {
    m.token = ReadToken(r, node["token"], base_dir);
  } else {
    r.diags().Error(m.where,
                    "staff member '" + m.name + "' needs a token: { env: NAME } or { file: PATH }");
  }
  if (node["role"]) {
    std::string role = r.String(node["role"], "agent or supervisor").value_or("");
    if (role == "agent") {
      m.role = Role::kAgent;
    } else if (role == "supervisor") {
      m.role = Role::kSupervisor;
    } else {
      r.diags().Error(r.At(node["role"]), "role is 'agent' or 'supervisor', not '" + role + "'");
    }
  } else {
    r.diags().Error(m.where, "staff member '" + m.name + "' needs a role: agent or supervisor");
  }
  if (node["stations"]) {
    for (const auto& [station, where] : r.StringList(node["stations"], "station ids or all")) {
      if (station != "all" && !stations.count(station)) {
        std::string known;
        for (const auto& s : stations) known += (known.empty() ? "" : ", ") + s;
        std::string hint =
            bot::ClosestMatch(station, std::vector<std::string>(stations.begin(), stations.end()));
        r.diags().Error(where, "unknown station '" + station + "'" +
                                   (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                                   "; known: " + known + ", all");
      }
      m.stations.push_back(station);
    }
  }
  if (m.stations.empty()) {
    r.diags().Error(
        m.where, "staff member '" + m.name + "' needs stations: a list of station ids, or [all]");
  }
  return m;
}

}  // namespace

const char* RoleName(Role role) { return role == Role::kSupervisor ? "supervisor" : "agent"; }

StaffConfig LoadStaffConfig(const std::string& path, const bot::GatewayConfig& gateway,
                            bot::Diagnostics& diags) {
  StaffConfig cfg;
  std::set<std::string> stations(gateway.stations.begin(), gateway.stations.end());
  for (const auto& a : gateway.accounts) stations.insert(StationOf(a));
  auto root = bot::LoadYamlFile(path, diags);
  if (!root) return cfg;
  bot::GuardYaml(path, diags, [&] {
    if (!root->IsMap()) return;  // bot/accounts.cc reports this
    const bot::YamlNode& staff = (*root)["staff"];
    if (!staff) return;
    bot::YamlReader r(path, diags);
    if (!staff.IsSequence()) {
      diags.Error(r.At(staff),
                  "staff: is a list of members: - { name: ..., token: { env: ... }, role: "
                  "agent, stations: [koeln] }");
      return;
    }
    std::set<std::string> names;
    for (const auto& node : staff) {
      StaffMemberConfig m = ReadMember(r, node, stations, fs::path(path).parent_path().string());
      if (!m.name.empty() && !names.insert(m.name).second) {
        diags.Error(m.where, "staff member '" + m.name +
                                 "' is listed twice; names identify people in the audit log");
      }
      cfg.members.push_back(std::move(m));
    }
  });
  return cfg;
}

}  // namespace wache::webhook::staff
