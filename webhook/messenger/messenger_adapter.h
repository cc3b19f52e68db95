// Facebook Messenger: a Messenger-Platform adapter with Messenger's envelope (`object:
// page`) and its 2000-character text limit. shared/docs/platforms.md section 2.
#pragma once

#include <memory>

#include "webhook/platform_adapter.h"

namespace wache::webhook {

std::unique_ptr<PlatformAdapter> MakeMessengerAdapter(const AdapterOptions& options);

}  // namespace wache::webhook
