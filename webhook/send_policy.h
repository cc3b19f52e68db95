// SendPolicy: the platforms' rules a reply must pass before it is sent (platforms.md 1.9,
// 1.11, 4.9), so that the gateway does not learn them from error codes:
//   - per-recipient pacing: at most N messages to one person per period (WhatsApp's pair
//     rate limit is about one message per 6 s);
//   - DM budgets: at most N replies per period per account, or for the whole app (X);
//     a reserve of the budget is kept for emergency replies;
//   - a budget the platform reports as used up (X's x-rate-limit-remaining: 0) is honoured
//     until its reset time.
// Emergency replies are never held (not paced, not budgeted; the reserve is left for
// them): a person in danger gets the number at once, and should the platform refuse, its
// own reset time decides the retry.
// Counts come from the store (DeliveryStore::CountSent), so they hold across restarts and
// across gateways sharing one database; the platform-reported budget is per process.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "webhook/delivery_store.h"
#include "webhook/events.h"

namespace wache::webhook {

struct PacingRule {
  int messages = 0;  // 0: no pacing
  std::chrono::seconds per{0};
};

struct BudgetRule {
  int messages = 0;
  std::chrono::seconds per{0};
  bool whole_app = false;  // counts the replies of every account of the platform
};

struct WindowTemplate {
  std::string name;                    // approved WhatsApp template; "" = none configured
  std::vector<std::string> languages;  // languages it is approved in; the first is the default
};

struct PlatformPolicy {
  PacingRule pacing;
  std::vector<BudgetRule> budgets;
  int emergency_reserve = 0;  // budget kept back for emergency replies
  WindowTemplate window_template;
};

// The defaults of platforms.md: WhatsApp about 1 message per 6 s per person (3 per 18 s,
// so a text and its menu go out together); X 15 per 15 min and 1,440 per 24 h per account
// and 1,440 per 24 h per app, 3 of them kept for emergencies (an emergency answer is up to
// three messages). Messenger and Instagram have
// no documented per-person limit.
PlatformPolicy DefaultPolicy(const std::string& platform);

class SendPolicy {
 public:
  struct Hold {
    bot::TimePoint until;
    std::string reason;  // for operators: "pacing", "budget 15 per 900 s", ...
  };

  SendPolicy(DeliveryStore& store, std::map<std::string, PlatformPolicy> policies);

  // nullopt: send now. Otherwise hold the reply until `until` (not a failed attempt).
  // Two senders checking at once may both pass at the edge of a budget; the reserve and
  // the platform's own 429 absorb that.
  std::optional<Hold> Check(const OutboxRecord& r, bot::TimePoint now);
  // Learns from a send answer (a budget reported as used up).
  void Observe(const OutboxRecord& r, const SendResult& result, bot::TimePoint now);

  const PlatformPolicy& For(const std::string& platform) const;

 private:
  DeliveryStore& store_;
  std::map<std::string, PlatformPolicy> policies_;
  std::mutex mu_;
  std::map<std::string, bot::TimePoint> reported_exhausted_;  // account -> reset time
};

}  // namespace wache::webhook
