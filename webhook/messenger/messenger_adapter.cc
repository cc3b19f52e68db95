#include "webhook/messenger/messenger_adapter.h"

#include "webhook/meta/messaging_adapter.h"

namespace wache::webhook {

std::unique_ptr<PlatformAdapter> MakeMessengerAdapter(const AdapterOptions& options) {
  // 2000 characters: the long-standing Messenger limit (unconfirmed in Meta's pages, 2.7).
  return meta::MakeMessagingAdapter({"messenger", "page", 2000, LengthUnit::kCharacters}, options);
}

}  // namespace wache::webhook
