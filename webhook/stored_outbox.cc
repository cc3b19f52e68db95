#include "webhook/stored_outbox.h"

#include <spdlog/spdlog.h>

namespace wache::webhook {

StoredOutbox::StoredOutbox(DeliveryStore& store, ReplySender& sender, const bot::Clock& clock,
                           Metrics& metrics, OutboxOptions options)
    : store_(store), sender_(sender), clock_(clock), metrics_(metrics), options_(options) {}

StoredOutbox::~StoredOutbox() { Stop(); }

Status StoredOutbox::Start() {
  auto requeued = store_.RequeueInflight();
  if (!requeued.ok()) return requeued.status();
  if (requeued.value() > 0) {
    spdlog::warn("{} replies were in flight when Wache stopped; sending them again",
                 requeued.value());
  }
  for (int i = 0; i < std::max(1, options_.senders); ++i) {
    threads_.emplace_back([this] { SendLoop(); });
  }
  return Status::Ok();
}

void StoredOutbox::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void StoredOutbox::Deliver(const AcceptedMessage& cause, std::vector<OutboundMessage> replies) {
  if (Status s = store_.CompleteInbound(cause, replies, clock_.Now()); !s.ok()) {
    // The message stays unhandled in the inbox and is handled again after a restart.
    spdlog::error("correlation={} could not store replies: {}", cause.correlation_id, s.message());
    return;
  }
  {
    std::lock_guard lock(mu_);
    ++wakeups_;
  }
  cv_.notify_all();
}

void StoredOutbox::MarkRead(const AcceptedMessage& message) {
  sender_.MarkRead(message.message.account, message.account_ref, message.message.message_id);
}

std::chrono::seconds StoredOutbox::Backoff(int attempts) {
  // base * 2^(attempts-1), capped, with ±25% jitter so that a platform outage does not end
  // in a thundering herd of retries at the same second.
  int64_t base = options_.retry_base.count();
  int64_t delay = base << std::min(attempts - 1, 20);
  delay = std::min<int64_t>(delay, options_.retry_max.count());
  std::lock_guard lock(mu_);
  std::uniform_real_distribution<double> jitter(0.75, 1.25);
  return std::chrono::seconds(std::max<int64_t>(1, static_cast<int64_t>(delay * jitter(rng_))));
}

void StoredOutbox::SendOne(const OutboxRecord& r) {
  const bot::TimePoint now = clock_.Now();
  const OutboundMessage& m = r.message;
  // Meta's platforms refuse free-form messages 24 hours after the person's last message
  // (platforms.md 1.9, 2.8); no template is configured for automatic replies, so the reply
  // is not sent, and the reason is recorded for operators.
  if (m.platform != "x" && now - r.inbound_at > options_.window) {
    store_.MarkDead(r.id, "outside the 24-hour window; not sent");
    metrics_.Add("wache_replies_dead_total", {{"platform", m.platform}, {"reason", "window"}});
    spdlog::warn("correlation={} reply={} not sent: outside the 24-hour window", r.correlation_id,
                 r.id);
    return;
  }
  SendResult result = sender_.Send(m, r.correlation_id);
  switch (result.outcome) {
    case SendResult::Outcome::kSent:
      store_.MarkSent(r.id, result.platform_message_id, now);
      metrics_.Add("wache_replies_sent_total", {{"platform", m.platform}});
      if (m.emergency)
        metrics_.Add("wache_emergency_replies_sent_total", {{"platform", m.platform}});
      return;
    case SendResult::Outcome::kRetry:
      if (r.attempts >= options_.max_attempts) {
        std::string reason = "gave up after " + std::to_string(r.attempts) +
                             " attempts: " + result.reason + " (" + result.error_code + ")";
        store_.MarkDead(r.id, reason);
        metrics_.Add("wache_replies_dead_total",
                     {{"platform", m.platform}, {"reason", "attempts"}});
        spdlog::error("correlation={} reply={} dead-lettered: {}", r.correlation_id, r.id, reason);
        return;
      } else {
        auto delay = Backoff(r.attempts);
        if (result.retry_after && *result.retry_after > delay) delay = *result.retry_after;
        store_.MarkRetry(r.id, now + delay, result.error_code + " " + result.reason);
        metrics_.Add("wache_replies_retried_total", {{"platform", m.platform}});
        return;
      }
    case SendResult::Outcome::kPermanent: {
      std::string reason = result.reason + " (" + result.error_code + ")";
      store_.MarkDead(r.id, reason);
      metrics_.Add("wache_replies_dead_total", {{"platform", m.platform}, {"reason", "permanent"}});
      spdlog::error("correlation={} reply={} dead-lettered: {}", r.correlation_id, r.id, reason);
      return;
    }
  }
}

void StoredOutbox::SendLoop() {
  while (true) {
    uint64_t seen;
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      seen = wakeups_;
    }
    auto claimed = store_.ClaimDue(clock_.Now(), 4);
    if (claimed.ok() && !claimed.value().empty()) {
      for (const auto& r : claimed.value()) SendOne(r);
      continue;
    }
    // Nothing due: sleep until the next retry is due, new replies arrive, or 1 s passes.
    auto wait = std::chrono::milliseconds(1000);
    if (auto next = store_.NextDue(); next.ok() && next.value()) {
      auto until = *next.value() - clock_.Now();
      wait = std::clamp<std::chrono::milliseconds>(
          std::chrono::duration_cast<std::chrono::milliseconds>(until),
          std::chrono::milliseconds(50), wait);
    }
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, wait, [&] { return stopping_ || wakeups_ != seen; });
  }
}

bool StoredOutbox::WaitDrained(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto c = store_.Counts();
    if (c.ok() && c.value().pending == 0 && c.value().inflight == 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace wache::webhook
