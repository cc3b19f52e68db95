// The checks behind `wache check`: cross-references between flows, templates and the
// account configuration, and the rules that keep flows safe (an emergency flow exists,
// labels fit the platforms, no step is unreachable, no trigger is shadowed).
// Structural problems inside one file are reported by the loaders; this adds the rest.
#pragma once

#include <string>
#include <vector>

#include "bot/accounts.h"
#include "bot/diagnostics.h"
#include "bot/playbook.h"

namespace wache::bot {

// Template keys the engine itself uses, which every installation must define.
const std::vector<std::string>& EngineTemplateKeys();

// WhatsApp reply-button titles are limited to 20 characters (platforms.md 1.7).
constexpr size_t kMaxLabelLength = 20;

void Validate(const Playbook& playbook, const GatewayConfig& config, Diagnostics& diags);

}  // namespace wache::bot
