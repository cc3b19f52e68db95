// Instagram DMs: a Messenger-Platform adapter with Instagram's envelope (`object:
// instagram`) and its 1000-byte text limit. shared/docs/platforms.md section 3.
#pragma once

#include <memory>

#include "webhook/platform_adapter.h"

namespace wache::webhook {

std::unique_ptr<PlatformAdapter> MakeInstagramAdapter(const AdapterOptions& options);

}  // namespace wache::webhook
