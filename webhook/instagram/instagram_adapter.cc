#include "webhook/instagram/instagram_adapter.h"

#include "webhook/meta/messaging_adapter.h"

namespace wache::webhook {

std::unique_ptr<PlatformAdapter> MakeInstagramAdapter(const AdapterOptions& options) {
  // 1000 bytes of UTF-8, so Cyrillic or Arabic replies split sooner (platforms.md 3.5).
  return meta::MakeMessagingAdapter({"instagram", "instagram", 1000, LengthUnit::kBytes}, options);
}

}  // namespace wache::webhook
