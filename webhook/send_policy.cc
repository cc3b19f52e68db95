#include "webhook/send_policy.h"

#include <algorithm>

namespace wache::webhook {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

PlatformPolicy DefaultPolicy(const std::string& platform) {
  PlatformPolicy p;
  if (platform == "whatsapp") p.pacing = {3, seconds(18)};
  if (platform == "x") {
    p.budgets = {{15, minutes(15), false}, {1440, hours(24), false}, {1440, hours(24), true}};
    p.emergency_reserve = 3;  // an emergency answer is up to three messages
  }
  return p;
}

SendPolicy::SendPolicy(DeliveryStore& store, std::map<std::string, PlatformPolicy> policies)
    : store_(store), policies_(std::move(policies)) {}

const PlatformPolicy& SendPolicy::For(const std::string& platform) const {
  static const PlatformPolicy kNone;
  auto it = policies_.find(platform);
  return it == policies_.end() ? kNone : it->second;
}

std::optional<SendPolicy::Hold> SendPolicy::Check(const OutboxRecord& r, bot::TimePoint now) {
  const OutboundMessage& m = r.message;
  {
    std::lock_guard lock(mu_);
    if (auto it = reported_exhausted_.find(m.platform + ":" + m.account_id);
        it != reported_exhausted_.end()) {
      if (it->second > now) return Hold{it->second, "budget used up (reported by the platform)"};
      reported_exhausted_.erase(it);
    }
  }
  const PlatformPolicy& p = For(m.platform);
  // Emergency replies are never held: if the platform refuses them, its reset time decides
  // the retry. The reserve keeps room for them by stopping other replies earlier.
  if (m.emergency) return std::nullopt;
  for (const BudgetRule& b : p.budgets) {
    if (b.messages <= 0) continue;
    const int limit = std::max(0, b.messages - p.emergency_reserve);
    auto sent = store_.CountSent(m.platform, b.whole_app ? "" : m.account_id, "", now - b.per);
    // If the store cannot count, send: the platform's own 429 still protects the budget.
    if (sent.ok() && sent.value() >= limit) {
      // Look again when one of the counted sends should have left the period, at the
      // latest after one period.
      auto step = std::max<seconds>(seconds(1), b.per / std::max(1, b.messages));
      return Hold{now + step, "budget " + std::to_string(b.messages) + " per " +
                                  std::to_string(b.per.count()) + " s" +
                                  (b.whole_app ? " (app)" : "")};
    }
  }
  if (p.pacing.messages > 0) {
    auto sent = store_.CountSent(m.platform, m.account_id, m.recipient, now - p.pacing.per);
    if (sent.ok() && sent.value() >= p.pacing.messages) {
      return Hold{now + std::max<seconds>(seconds(1), p.pacing.per / p.pacing.messages),
                  "pacing " + std::to_string(p.pacing.messages) + " per " +
                      std::to_string(p.pacing.per.count()) + " s to one person"};
    }
  }
  return std::nullopt;
}

void SendPolicy::Observe(const OutboxRecord& r, const SendResult& result, bot::TimePoint now) {
  if (!result.budget_resets_in) return;
  std::lock_guard lock(mu_);
  reported_exhausted_[r.message.platform + ":" + r.message.account_id] =
      now + *result.budget_resets_in;
}

}  // namespace wache::webhook
