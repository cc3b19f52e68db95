// wache erase: removes everything stored about one person on request (data subject
// request): their conversation state, messages, replies and hand-overs to staff. And
// `--older-than-days N` applies the retention rule: texts and user ids of older, finished
// messages are blanked, closed hand-overs deleted.
#include <iostream>

#include "app/commands.h"
#include "app/loading.h"
#include "store/sqlite_delivery_store.h"
#include "store/sqlite_handover_store.h"
#include "store/sqlite_state_store.h"
#include "webhook/retention.h"

namespace wache::app {

int RunErase(const CommonOptions& opts, const std::string& account_id, const std::string& sender,
             int older_than_days) {
  bot::Diagnostics diags;
  bot::GatewayConfig config = bot::LoadConfig(opts.config, diags);
  if (diags.has_errors()) {
    std::cerr << diags.Format();
    return 1;
  }
  auto delivery = store::SqliteDeliveryStore::Open(config.database);
  auto state = store::SqliteStateStore::Open(config.database);
  auto handovers = store::SqliteHandoverStore::Open(config.database);
  if (!delivery.ok() || !state.ok() || !handovers.ok()) {
    std::cerr << "wache erase: "
              << (!delivery.ok() ? delivery.status().message()
                  : !state.ok()  ? state.status().message()
                                 : handovers.status().message())
              << "\n";
    return 1;
  }
  if (older_than_days > 0) {
    auto cutoff = bot::SystemClock().Now() - std::chrono::hours(24 * older_than_days);
    auto r = webhook::ApplyRetention(*delivery.value(), *state.value(), cutoff);
    auto closed = handovers.value()->EraseClosedBefore(cutoff);
    if (!r.ok() || !closed.ok()) {
      std::cerr << "wache erase: " << (r.ok() ? closed.status().message() : r.status().message())
                << "\n";
      return 1;
    }
    std::cout << "retention: anonymised " << r.value().anonymised
              << " stored messages and replies, erased " << r.value().erased
              << " conversations and deleted " << closed.value() << " closed hand-overs older than "
              << older_than_days << " days\n";
    return 0;
  }
  const bot::Account* account = config.FindAccount(account_id);
  if (!account || sender.empty()) {
    std::cerr << "wache erase: give --account ID (from the config) and --sender ID (the person's "
                 "platform id), or --older-than-days N\n";
    return 1;
  }
  auto n = delivery.value()->ErasePerson(account->platform, account->id, sender);
  Status s = state.value()->Erase({account->platform, account->id, sender});
  auto h = handovers.value()->ErasePerson(account->platform, account->id, sender);
  if (!n.ok() || !s.ok() || !h.ok()) {
    std::cerr << "wache erase: "
              << (!n.ok()   ? n.status().message()
                  : !s.ok() ? s.message()
                            : h.status().message())
              << "\n";
    return 1;
  }
  std::cout << "erased " << n.value() << " stored messages and replies, " << h.value()
            << " hand-overs and the conversation of that person on account " << account->id << "\n";
  return 0;
}

}  // namespace wache::app
