// The adapter for Messenger and Instagram DMs: both are Meta Messenger-Platform webhooks
// with `entry[].messaging[]` items and the same Send API shape. What differs (envelope
// `object`, text limit and its unit, read receipts, comments) is in MessagingPlatform.
// See shared/docs/platforms.md sections 2 and 3.
#pragma once

#include <memory>
#include <string>

#include "webhook/platform_adapter.h"
#include "webhook/text_split.h"

namespace wache::webhook::meta {

struct MessagingPlatform {
  std::string name;    // messenger | instagram
  std::string object;  // the envelope's `object`: page | instagram
  size_t text_limit;   // Messenger 2000 characters, Instagram 1000 bytes
  LengthUnit text_unit;
};

std::unique_ptr<PlatformAdapter> MakeMessagingAdapter(MessagingPlatform platform,
                                                      const AdapterOptions& options);

}  // namespace wache::webhook::meta
