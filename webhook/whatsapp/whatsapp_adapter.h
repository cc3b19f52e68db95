// WhatsApp Business Cloud API: webhook payloads (entry[].changes[].value.messages[] and
// statuses[]) in, /{phone_number_id}/messages calls out. shared/docs/platforms.md section 1.
#pragma once

#include <memory>

#include "webhook/platform_adapter.h"

namespace wache::webhook {

std::unique_ptr<PlatformAdapter> MakeWhatsAppAdapter(const AdapterOptions& options);

}  // namespace wache::webhook
