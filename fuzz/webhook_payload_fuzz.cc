// libFuzzer target: what the internet sends (platforms.md). Any bytes as a webhook body,
// read by each platform's adapter, and as a send API's answer. Adapters promise never to
// throw or crash on any input (webhook/platform_adapter.h); this holds them to it. The
// signature is not checked here: a valid one proves only who sent the bytes, not that they
// are well formed.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "webhook/json_body.h"
#include "webhook/platform_adapter.h"

namespace {

using namespace wache::webhook;

const std::vector<std::unique_ptr<PlatformAdapter>>& Adapters() {
  static const auto* adapters = [] {
    auto* list = new std::vector<std::unique_ptr<PlatformAdapter>>;
    for (const char* platform : {"whatsapp", "messenger", "instagram", "x"}) {
      list->push_back(MakeAdapter(platform, AdapterOptions{}));
    }
    AdapterOptions v1;
    v1.x_send_api = "v1.1";
    list->push_back(MakeAdapter("x", v1));
    return list;
  }();
  return *adapters;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  // A send API's answer: the same bytes under the statuses that are read differently.
  const HeaderLookup headers = [&](const std::string& name) -> std::string {
    return name == "retry-after" || name == "x-rate-limit-reset" ? body.substr(0, 12) : "";
  };
  for (const auto& adapter : Adapters()) {
    for (int status : {0, 200, 400, 401, 429, 500}) (void)adapter->Interpret(status, body, headers);
  }
  auto json = ParseJsonBody(body);
  if (!json.ok()) return 0;
  for (const auto& adapter : Adapters()) {
    auto parsed = adapter->Parse(json.value());
    if (!parsed.ok()) continue;
    // What the gateway does next with each message: render a reply and a mark-read to it.
    for (const auto& event : parsed.value().events) {
      OutboundMessage reply;
      reply.platform = adapter->platform();
      reply.account_ref = event.account_ref;
      reply.recipient = event.sender;
      reply.reply.text = event.text;
      (void)adapter->Render(reply);
      (void)adapter->MarkRead(event.account_ref, event.message_id);
    }
  }
  return 0;
}
