#include "webhook/instagram/instagram_adapter.h"
#include "webhook/messenger/messenger_adapter.h"
#include "webhook/platform_adapter.h"
#include "webhook/whatsapp/whatsapp_adapter.h"
#include "webhook/x/x_adapter.h"

namespace wache::webhook {

std::unique_ptr<PlatformAdapter> MakeAdapter(const std::string& platform,
                                             const AdapterOptions& options) {
  if (platform == "whatsapp") return MakeWhatsAppAdapter(options);
  if (platform == "messenger") return MakeMessengerAdapter(options);
  if (platform == "instagram") return MakeInstagramAdapter(options);
  if (platform == "x") return MakeXAdapter(options);
  return nullptr;
}

}  // namespace wache::webhook
