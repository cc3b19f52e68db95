// X direct messages: Account Activity webhooks (and the X Activity API's dm.* wrapper) in;
// v2 dm_conversations (text) or v1.1 direct_messages/events/new (quick replies) out.
// shared/docs/platforms.md section 4.
#pragma once

#include <memory>
#include <string>

#include "webhook/platform_adapter.h"

namespace wache::webhook {

std::unique_ptr<PlatformAdapter> MakeXAdapter(const AdapterOptions& options);

// The `x-twitter-webhooks-signature` value for `body` (send-test, tests, the benchmark).
std::string XSignatureHeaderValue(std::string_view consumer_secret, std::string_view body);

}  // namespace wache::webhook
