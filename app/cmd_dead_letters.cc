// wache dead-letters: the replies that will not be sent (permanent platform errors, too many
// attempts, outside the 24-hour window), newest first, with the reason and the correlation
// id to find them in the logs. `--retry ID` / `--retry-all` puts them back in the outbox; a
// running `wache serve` picks them up within a second. No texts, no recipients.
#include <date/date.h>

#include <iostream>

#include "app/commands.h"
#include "bot/accounts.h"
#include "store/sqlite_delivery_store.h"

namespace wache::app {

int RunDeadLetters(const CommonOptions& opts, int limit, int64_t retry_id, bool retry_all) {
  bot::Diagnostics diags;
  bot::GatewayConfig config = bot::LoadConfig(opts.config, diags);
  if (diags.has_errors()) {
    std::cerr << diags.Format();
    return 1;
  }
  auto store = store::SqliteDeliveryStore::Open(config.database);
  if (!store.ok()) {
    std::cerr << "wache dead-letters: " << store.status().message() << "\n";
    return 1;
  }
  if (retry_all || retry_id > 0) {
    auto n = store.value()->RequeueDead(retry_all ? 0 : retry_id, bot::SystemClock().Now());
    if (!n.ok()) {
      std::cerr << "wache dead-letters: " << n.status().message() << "\n";
      return 1;
    }
    std::cout << "requeued " << n.value() << " replies; a running 'wache serve' sends them now\n";
    return n.value() > 0 || retry_all ? 0 : 2;
  }
  auto dead = store.value()->ListDead(limit);
  if (!dead.ok()) {
    std::cerr << "wache dead-letters: " << dead.status().message() << "\n";
    return 1;
  }
  if (dead.value().empty()) {
    std::cout << "no dead letters: every stored reply was sent or is still being sent\n";
    return 0;
  }
  for (const auto& d : dead.value()) {
    std::cout << d.id << "  " << date::format("%F %R", d.created_at) << " UTC  " << d.platform
              << "/" << d.account << "  " << d.correlation_id << "  "
              << (d.template_key.empty() ? "-" : d.template_key) << "  attempts " << d.attempts
              << "\n    " << d.reason << "\n";
  }
  std::cout << "(" << dead.value().size() << " shown; retry one with --retry ID, all with "
            << "--retry-all)\n";
  return 0;
}

}  // namespace wache::app
