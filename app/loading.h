// Loading config + flows + templates for a command, with diagnostics printed the same way
// everywhere. A command that needs a working playbook refuses to run on errors.
#pragma once

#include <memory>
#include <ostream>

#include "app/commands.h"
#include "bot/accounts.h"
#include "bot/diagnostics.h"
#include "bot/playbook.h"
#include "webhook/staff/staff_config.h"
#include "webhook/webhook_config.h"

namespace wache::app {

struct Loaded {
  bot::GatewayConfig config;
  webhook::WebhookConfig webhook;     // server, platform secrets, send credentials
  webhook::staff::StaffConfig staff;  // who may use the staff API
  std::shared_ptr<const bot::Playbook> playbook;
  bot::Diagnostics diags;
};

// Loads and validates everything. `flows_override` may be a folder or flow files.
std::unique_ptr<Loaded> LoadAll(const CommonOptions& opts,
                                const std::vector<std::string>& flow_paths = {});

// The account a command runs as: `account_id` if given, else the first account of
// `platform` (or the first account at all if `platform` is empty). Null if none matches.
const bot::Account* ChooseAccount(const bot::GatewayConfig& config, const std::string& platform,
                                  const std::string& account_id);

// Prints errors (and warnings) and returns false if there are errors.
bool ReportLoad(const Loaded& loaded, std::ostream& err);

}  // namespace wache::app
