// wache erase: removes everything stored about one person on request (data subject
// request): their conversation state, messages and replies. And `--older-than-days N`
// applies the retention rule: texts and user ids of older, finished messages are blanked.
#include <iostream>

#include "app/commands.h"
#include "app/loading.h"
#include "store/sqlite_delivery_store.h"
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
  if (!delivery.ok() || !state.ok()) {
    std::cerr << "wache erase: "
              << (delivery.ok() ? state.status().message() : delivery.status().message()) << "\n";
    return 1;
  }
  if (older_than_days > 0) {
    auto cutoff = bot::SystemClock().Now() - std::chrono::hours(24 * older_than_days);
    auto r = webhook::ApplyRetention(*delivery.value(), *state.value(), cutoff);
    if (!r.ok()) {
      std::cerr << "wache erase: " << r.status().message() << "\n";
      return 1;
    }
    std::cout << "retention: anonymised " << r.value().anonymised
              << " stored messages and replies, erased " << r.value().erased
              << " conversations older than " << older_than_days << " days\n";
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
  if (!n.ok() || !s.ok()) {
    std::cerr << "wache erase: " << (n.ok() ? s.message() : n.status().message()) << "\n";
    return 1;
  }
  std::cout << "erased " << n.value() << " stored messages and replies and the conversation of "
            << "that person on account " << account->id << "\n";
  return 0;
}

}  // namespace wache::app
