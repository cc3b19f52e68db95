// libFuzzer target: what people write. Any bytes, as a short conversation with the shipped
// flows of every shipped account: the normaliser, language detection, the keyword index and
// RE2 patterns, the flows' steps and templates. Text is untrusted (any encoding, any length,
// crafted to break patterns); so is a button payload, which a forged webhook can carry.
// Lines of the input are the messages, in order, from one person; a line that starts with
// 0x01 is a button tap with the rest as its payload.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "bot/accounts.h"
#include "bot/clock.h"
#include "bot/conversation_state.h"
#include "bot/diagnostics.h"
#include "bot/engine.h"
#include "bot/playbook.h"

namespace {

using namespace wache::bot;

struct Shipped {
  Diagnostics diags;
  GatewayConfig config = LoadConfig(WACHE_SOURCE_DIR "/config/wache.yaml", diags);
  std::shared_ptr<const Playbook> playbook =
      Playbook::Load(WACHE_SOURCE_DIR "/flows", WACHE_SOURCE_DIR "/templates", diags);
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Shipped* shipped = new Shipped;
  MemoryStateStore store;
  FakeClock clock;
  Engine engine(shipped->playbook, store, clock);
  const Account& account = shipped->config.accounts[size % shipped->config.accounts.size()];
  std::string_view input(reinterpret_cast<const char*>(data), size);
  for (int turn = 0; turn < 8 && !input.empty(); ++turn) {
    const size_t end = input.find('\n');
    std::string_view line = input.substr(0, end);
    input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
    InboundMessage m;
    m.platform = account.platform;
    m.account = account.id;
    m.sender = "fuzz";
    if (!line.empty() && line[0] == '\x01') {
      m.button_payload = std::string(line.substr(1));
    } else {
      m.text = std::string(line);
    }
    (void)engine.CheckInterrupt(m.text, account);
    (void)engine.Handle(m, account);
    clock.Advance(std::chrono::seconds(30));
  }
  return 0;
}
