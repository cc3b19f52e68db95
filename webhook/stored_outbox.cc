#include "webhook/stored_outbox.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "webhook/staff/reply_window.h"

namespace wache::webhook {

StoredOutbox::StoredOutbox(DeliveryStore& store, ReplySender& sender, const bot::Clock& clock,
                           Metrics& metrics, OutboxOptions options)
    : store_(store),
      sender_(sender),
      clock_(clock),
      metrics_(metrics),
      options_(options),
      policy_(store, options.policies) {}

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
  // One sender is enough: a message's replies go out one after another anyway (order within
  // a conversation). Waking all of them made each one claim in its own transaction.
  cv_.notify_one();
}

void StoredOutbox::MarkRead(const AcceptedMessage& message) {
  {
    std::lock_guard lock(mu_);
    if (reads_.size() >= 1000) reads_.pop_front();  // blue ticks are not worth a backlog
    reads_.push_back({message.message.account, message.account_ref, message.message.message_id});
    ++wakeups_;
  }
  cv_.notify_one();
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

Result<int64_t> StoredOutbox::Enqueue(const OutboundMessage& reply, const LastInbound& cause,
                                      const std::string& correlation_id) {
  auto id = store_.InsertReply(reply, cause, correlation_id, clock_.Now());
  if (!id.ok()) return id;
  {
    std::lock_guard lock(mu_);
    ++wakeups_;
  }
  cv_.notify_one();
  return id;
}

void StoredOutbox::SendOne(const OutboxRecord& r) {
  const bot::TimePoint now = clock_.Now();
  OutboundMessage m = r.message;
  if (m.from_staff()) {
    // A person answers: WhatsApp 24 hours, Messenger and Instagram up to 7 days with the
    // HUMAN_AGENT tag after the first 24, X always. Never the bot's window template.
    staff::ReplyWindow w = staff::StaffReplyWindow(m.platform, r.inbound_at, now);
    if (!w.open) {
      const std::string reason = "staff reply outside the platform's window; not sent";
      store_.MarkDead(r.id, reason);
      metrics_.Add("wache_replies_dead_total", {{"platform", m.platform}, {"reason", "window"}});
      spdlog::warn("correlation={} reply={} not sent: {}", r.correlation_id, r.id, reason);
      return;
    }
    m.human_agent = w.human_agent;
  } else if (m.platform != "x" && now - r.inbound_at > options_.window) {
    // Meta's platforms refuse free-form messages 24 hours after the person's last message
    // (platforms.md 1.9, 2.8).
    SendOutsideWindow(r, now);
    return;
  }
  if (auto hold = policy_.Check(r, now)) {
    store_.Defer(r.id, hold->until, hold->reason);
    metrics_.Add("wache_replies_held_total", {{"platform", m.platform}});
    spdlog::debug("correlation={} reply={} held until later: {}", r.correlation_id, r.id,
                  hold->reason);
    return;
  }
  Record(r, m, sender_.Send(m, r.correlation_id), now);
}

void StoredOutbox::SendOutsideWindow(const OutboxRecord& r, bot::TimePoint now) {
  const OutboundMessage& m = r.message;
  const WindowTemplate& t = policy_.For(m.platform).window_template;
  bool first_of_message;
  {
    std::lock_guard lock(mu_);
    first_of_message = !t.name.empty() && templated_.insert(r.inbox_id).second;
  }
  if (!first_of_message) {
    std::string reason = t.name.empty() ? "outside the 24-hour window; not sent (no template "
                                          "configured)"
                                        : "outside the 24-hour window; the template went instead";
    store_.MarkDead(r.id, reason);
    metrics_.Add("wache_replies_dead_total", {{"platform", m.platform}, {"reason", "window"}});
    spdlog::warn("correlation={} reply={} not sent: {}", r.correlation_id, r.id, reason);
    return;
  }
  OutboundMessage as_template = m;
  as_template.window_template.name = t.name;
  const std::string& wanted = m.reply.language;
  bool approved = std::find(t.languages.begin(), t.languages.end(), wanted) != t.languages.end();
  as_template.window_template.language =
      approved ? wanted : (t.languages.empty() ? "de" : t.languages.front());
  metrics_.Add("wache_window_templates_total", {{"platform", m.platform}});
  spdlog::info("correlation={} reply={} outside the 24-hour window: sending template {}",
               r.correlation_id, r.id, t.name);
  Record(r, as_template, sender_.Send(as_template, r.correlation_id), now);
}

void StoredOutbox::Record(const OutboxRecord& r, const OutboundMessage& m, const SendResult& result,
                          bot::TimePoint now) {
  policy_.Observe(r, result, now);
  switch (result.outcome) {
    case SendResult::Outcome::kSent:
      store_.MarkSent(r.id, result.platform_message_id, now);
      metrics_.Add("wache_replies_sent_total", {{"platform", m.platform}});
      if (m.emergency)
        metrics_.Add("wache_emergency_replies_sent_total", {{"platform", m.platform}});
      if (r.received_ms > 0) {
        // Wall clock, not the engine's clock: this is a measurement, and it spans restarts.
        const int64_t sent_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count();
        metrics_.Observe("wache_webhook_to_send_seconds",
                         {{"platform", m.platform}, {"emergency", m.emergency ? "yes" : "no"}},
                         std::max<int64_t>(0, sent_ms - r.received_ms) / 1000.0);
      }
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
    // Replies first; with none due, one pending mark-read.
    std::optional<PendingRead> read;
    {
      std::lock_guard lock(mu_);
      if (!reads_.empty()) {
        read = std::move(reads_.front());
        reads_.pop_front();
        ++reads_sending_;
      }
    }
    if (read) {
      sender_.MarkRead(read->account, read->account_ref, read->message_id);
      std::lock_guard lock(mu_);
      --reads_sending_;
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
    bool reads_done;
    {
      std::lock_guard lock(mu_);
      reads_done = reads_.empty() && reads_sending_ == 0;
    }
    if (reads_done && c.ok() && c.value().pending == 0 && c.value().inflight == 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace wache::webhook
