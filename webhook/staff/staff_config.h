// The config's `staff:` list: who may use the staff API, with which token, role and
// stations. Read from the same file as the rest of the config (bot/accounts.cc accepts the
// key); problems are diagnostics with file and line, so `wache check` shows them.
//
//   staff:
//     - name: "Anna (Köln)"
//       token: { env: WACHE_STAFF_TOKEN_ANNA, file: ../var/secrets/staff_anna }
//       role: agent                # agent | supervisor
//       stations: [koeln]          # ids under stations: (or account ids), or [all]
//
// Tokens are secrets like the platforms' (webhook_config.h): named as an environment
// variable and/or a file, never written into the config; resolved when the gateway starts.
#pragma once

#include <string>
#include <vector>

#include "bot/accounts.h"
#include "bot/diagnostics.h"
#include "webhook/webhook_config.h"

namespace wache::webhook::staff {

enum class Role { kAgent, kSupervisor };
const char* RoleName(Role role);  // agent | supervisor

struct StaffMemberConfig {
  std::string name;  // shown in the audit log and as the author of replies
  SecretRef token;
  Role role = Role::kAgent;
  std::vector<std::string> stations;  // station ids; "all" = every station
  bot::SourceLocation where;
};

struct StaffConfig {
  std::vector<StaffMemberConfig> members;
};

// Reads `staff:` of the config file at `path`. A station must be one the config knows (an
// id under `stations:`, or the id of an account without a station), or `all`.
StaffConfig LoadStaffConfig(const std::string& path, const bot::GatewayConfig& gateway,
                            bot::Diagnostics& diags);

}  // namespace wache::webhook::staff
