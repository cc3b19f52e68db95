// Rendering helpers shared by the adapters.
#pragma once

#include <string>

#include "bot/engine.h"

namespace wache::webhook {

// The reply's text followed by its choices as a numbered list ("1. Voraussetzungen"), for
// platforms or cases where buttons do not fit. The engine takes "1", "2"... as the answer.
std::string WithNumberedChoices(const bot::Reply& reply);

}  // namespace wache::webhook
