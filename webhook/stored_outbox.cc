#include "webhook/stored_outbox.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "webhook/staff/reply_window.h"

// jemalloc's control call. Weak: null in a program not linked with jemalloc (the tests link
// the gateway's libraries without it; `wache` has it).
extern "C" int mallctl(const char* name, void* oldp, size_t* oldlenp, void* newp, size_t newlen)
    __attribute__((weak));

namespace wache::webhook {
namespace {

// The first 32 senders (the default number until 256 became the default) keep jemalloc's
// per-thread cache: with it off in every sender the server ran 20% more instructions per
// message (1.53 -> 1.84 M at 1,000/s), and a fast platform's full load starts about 23
// senders, which all take turns. Only a slow platform starts more, and there each sender
// waits a round trip per call while the CPU is idle; but each cache holds about 0.17 MB once
// used, a sender without it about 0.025 MB (128 idle senders: 50.6 MB with, 33.4 MB
// without; bench/README.md, "More senders for a slow platform").
constexpr size_t kSendersWithAllocatorCache = 32;

void TurnOffAllocatorCacheOfThisThread() {
  if (mallctl == nullptr) return;
  bool enabled = false;
  mallctl("thread.tcache.enabled", nullptr, nullptr, &enabled, sizeof(enabled));
}

}  // namespace

std::string DeadLetterNextStep(const std::string& account, int64_t reply_id,
                               SendResult::Cause cause) {
  const std::string retry = "`wache dead-letters --retry " + std::to_string(reply_id) +
                            "` sends it again (--retry-all: every dead letter)";
  switch (cause) {
    case SendResult::Cause::kWindowClosed:
      return "the platform takes a free-form reply only after the person writes again; a retry "
             "is refused the same way";
    case SendResult::Cause::kCredentials:
      return "check the credentials of account " + account + " (`wache config show " + account +
             "` names where they come from), then " + retry;
    case SendResult::Cause::kOther:
      break;
  }
  return "once the cause is fixed, " + retry;
}

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
  // Say so at the start: otherwise the replies a restart sends look like new ones.
  if (auto counts = store_.Counts(); counts.ok() && counts.value().pending > 0) {
    spdlog::info(
        "{} replies stored before this start wait to be sent (now, or when held or "
        "retried until later)",
        counts.value().pending);
  }
  std::lock_guard lock(mu_);
  ready_.clear();  // claimed before a Stop: in flight in the store, pending again now
  ready_urgent_.clear();
  RequestClaimLocked();
  StartSenderLocked();  // more start when there is work and every sender is busy
  return Status::Ok();
}

void StoredOutbox::StartSenderLocked() {
  const bool cached = senders_.size() < kSendersWithAllocatorCache;
  senders_.push_back(std::make_unique<Sender>());
  threads_.emplace_back([this, &self = *senders_.back(), cached] {
    if (!cached) TurnOffAllocatorCacheOfThisThread();
    SendLoop(self);
  });
}

void StoredOutbox::Stop() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;  // no sender starts after this
    for (auto& s : senders_) s->wake.notify_one();
    threads.swap(threads_);
  }
  for (auto& t : threads) t.join();
  std::lock_guard lock(mu_);
  senders_.clear();
  idle_.clear();
}

bool StoredOutbox::SendWhatIsDue(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  uint64_t asked = 0;  // the claim this asked for; 0: none yet
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(mu_);
      if (senders_.empty() || stopping_) return true;  // never started, or stopped: no one sends
      const bool busy = !ready_urgent_.empty() || !ready_.empty() || in_hand_ > 0 ||
                        !reads_.empty() || reads_sending_ > 0 ||
                        claim_requests_ != claimed_through_;
      if (!busy) {
        // A claim made after everything in memory went out found nothing due: the next
        // reply of a two-part answer was claimed and sent, or waits for a later time.
        if (asked != 0 && claimed_through_ >= asked) return true;
        RequestClaimLocked();
        asked = claim_requests_;
        WakeOneLocked();
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

void StoredOutbox::Deliver(const AcceptedMessage& cause, std::vector<OutboundMessage> replies,
                           std::optional<bot::ConversationState> state) {
  const bool urgent = std::any_of(replies.begin(), replies.end(),
                                  [](const OutboundMessage& r) { return r.emergency; });
  bool claim = true;
  if (!urgent && !replies.empty()) {  // a silenced flow's message has nothing to claim
    std::lock_guard lock(mu_);
    claim = ready_.size() < options_.max_ready_in_memory;
  }
  auto claimed = store_.CompleteInbound(cause, replies, clock_.Now(),
                                        {.claim = claim, .state = state ? &*state : nullptr});
  if (!claimed.ok()) {
    // The message stays unhandled in the inbox and is handled again after a restart.
    spdlog::error("correlation={} could not store replies: {}", cause.correlation_id,
                  claimed.status().message());
    return;
  }
  if (replies.empty()) return;
  {
    std::lock_guard lock(mu_);
    if (claimed.value().empty()) {
      // Stored pending: behind an unsent reply of the conversation, or not claimed because
      // enough wait in memory.
      RequestClaimLocked();
    } else {
      (urgent ? ready_urgent_ : ready_).push_back(std::move(claimed.value()));
    }
    // One sender is enough: a message's replies go out one after another anyway (order
    // within a conversation).
    WakeOneLocked();
  }
}

size_t StoredOutbox::SenderThreads() {
  std::lock_guard lock(mu_);
  return senders_.size();
}

size_t StoredOutbox::WaitingForSender() {
  std::lock_guard lock(mu_);
  return ready_.size() + ready_urgent_.size();
}

void StoredOutbox::WakeOneLocked() {
  if (idle_.empty()) {
    if (!stopping_ && senders_.size() < static_cast<size_t>(std::max(1, options_.senders))) {
      StartSenderLocked();
    }
    return;
  }
  Sender* s = idle_.back();
  idle_.pop_back();
  s->idle = false;
  s->wake.notify_one();
}

void StoredOutbox::RequestClaimLocked() {
  waiting_ = true;
  ++claim_requests_;
}

void StoredOutbox::MarkRead(const AcceptedMessage& message) {
  {
    std::lock_guard lock(mu_);
    if (reads_.size() >= 1000) reads_.pop_front();  // blue ticks are not worth a backlog
    reads_.push_back({message.message.account, message.account_ref, message.message.message_id});
    // A running sender looks for work before it waits, so it takes this call after its
    // current one (usually this message's reply, woken by Deliver just before). Waking
    // another sender for it cost a hand-off per message (bench/README.md). Nor is one woken
    // when mark-reads already have their share of the senders.
    if (idle_.size() == senders_.size() && ReadMayStartLocked()) WakeOneLocked();
  }
}

bool StoredOutbox::ReadMayStartLocked() const {
  return !reads_.empty() && reads_sending_ < std::max(1, options_.senders / 2);
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
    RequestClaimLocked();
    WakeOneLocked();
  }
  return id;
}

bool StoredOutbox::SendOne(const OutboxRecord& r) {
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
      return false;
    }
    m.human_agent = w.human_agent;
  } else if (m.platform != "x" && now - r.inbound_at > options_.window) {
    // Meta's platforms refuse free-form messages 24 hours after the person's last message
    // (platforms.md 1.9, 2.8).
    return SendOutsideWindow(r, now);
  }
  if (auto hold = policy_.Check(r, now)) {
    store_.Defer(r.id, hold->until, hold->reason);
    metrics_.Add("wache_replies_held_total", {{"platform", m.platform}});
    spdlog::debug("correlation={} reply={} held until later: {}", r.correlation_id, r.id,
                  hold->reason);
    return false;
  }
  return Record(r, m, sender_.Send(m, r.correlation_id), now);
}

bool StoredOutbox::SendOutsideWindow(const OutboxRecord& r, bot::TimePoint now) {
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
    return false;
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
  return Record(r, as_template, sender_.Send(as_template, r.correlation_id), now);
}

bool StoredOutbox::Record(const OutboxRecord& r, const OutboundMessage& m, const SendResult& result,
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
      return true;
    case SendResult::Outcome::kRetry:
      if (r.attempts >= options_.max_attempts) {
        std::string reason = "gave up after " + std::to_string(r.attempts) +
                             " attempts: " + result.reason + " (" + result.error_code + ")";
        store_.MarkDead(r.id, reason);
        metrics_.Add("wache_replies_dead_total",
                     {{"platform", m.platform}, {"reason", "attempts"}});
        spdlog::error("correlation={} account={} reply={} dead-lettered: {}; {}", r.correlation_id,
                      m.account_id, r.id, reason,
                      DeadLetterNextStep(m.account_id, r.id, result.cause));
        return false;
      } else {
        auto delay = Backoff(r.attempts);
        if (result.retry_after && *result.retry_after > delay) delay = *result.retry_after;
        store_.MarkRetry(r.id, now + delay, result.error_code + " " + result.reason);
        metrics_.Add("wache_replies_retried_total", {{"platform", m.platform}});
        return false;
      }
    case SendResult::Outcome::kPermanent: {
      std::string reason = result.reason + " (" + result.error_code + ")";
      store_.MarkDead(r.id, reason);
      metrics_.Add("wache_replies_dead_total", {{"platform", m.platform}, {"reason", "permanent"}});
      spdlog::error("correlation={} account={} reply={} dead-lettered: {}; {}", r.correlation_id,
                    m.account_id, r.id, reason,
                    DeadLetterNextStep(m.account_id, r.id, result.cause));
      return false;
    }
  }
  return false;
}

void StoredOutbox::SendAll(std::vector<OutboxRecord> claimed) {
  for (size_t i = 0; i < claimed.size(); ++i) {
    bool stopping;
    {
      std::lock_guard lock(mu_);
      stopping = stopping_;
    }
    if (!stopping && SendOne(claimed[i])) continue;
    // Not sent (held, retried later, dead-lettered) or stopping: the later replies of the
    // message must not overtake it. They go back to pending and wait for their turn through
    // ClaimDue, which knows the order.
    std::vector<int64_t> rest;
    for (size_t j = stopping ? i : i + 1; j < claimed.size(); ++j) rest.push_back(claimed[j].id);
    if (!rest.empty()) {
      if (Status s = store_.Unclaim(rest); !s.ok()) {
        // They stay in flight and are sent again after a restart.
        spdlog::error("could not release {} claimed replies: {}", rest.size(), s.message());
      }
    }
    std::lock_guard lock(mu_);
    RequestClaimLocked();  // a retry or hold needs a claim later; the rest waits for one
    return;
  }
}

void StoredOutbox::SendLoop(Sender& self) {
  while (true) {
    std::vector<OutboxRecord> ready;
    std::optional<PendingRead> read;
    bool claim = false;
    uint64_t request = 0;
    bool idle = false;  // no other sender had replies in hand when this claim began
    {
      std::unique_lock lock(mu_);
      auto has_work = [&] {
        return stopping_ || !ready_urgent_.empty() || !ready_.empty() ||
               claim_requests_ != claimed_through_ || ReadMayStartLocked();
      };
      // Retries and held replies become due without anyone asking: claim when their time
      // comes (NextDue), and at least once a second. Only the sender on top of the idle
      // stack watches the clock; the others wait until they are woken.
      while (!has_work()) {
        if (std::chrono::steady_clock::now() >= next_check_) {
          claim = true;
          // The others need not claim too: the claim sets the next time when it is done.
          next_check_ = std::chrono::steady_clock::now() + std::chrono::seconds(1);
          break;
        }
        if (!self.idle) {
          idle_.push_back(&self);
          self.idle = true;
        }
        if (idle_.back() == &self) {
          self.wake.wait_until(lock, next_check_);
        } else {
          self.wake.wait(lock);
        }
      }
      if (self.idle) {  // woken by the clock or by stopping_, not taken off the stack
        idle_.erase(std::find(idle_.begin(), idle_.end(), &self));
        self.idle = false;
      }
      if (stopping_) return;
      // Emergency replies first, then whatever else may be due, then the others, then
      // mark-read calls.
      if (!claim && !ready_urgent_.empty()) {
        ready = std::move(ready_urgent_.front());
        ready_urgent_.pop_front();
      } else if (claim || claim_requests_ != claimed_through_) {
        claim = true;
        request = claim_requests_;
        idle = in_hand_ == 0 && ready_urgent_.empty() && ready_.empty();
      } else if (!ready_.empty()) {
        ready = std::move(ready_.front());
        ready_.pop_front();
      } else if (ReadMayStartLocked()) {
        read = std::move(reads_.front());
        reads_.pop_front();
        ++reads_sending_;
      }
      if (!ready.empty()) ++in_hand_;
    }
    if (!ready.empty()) {
      SendAll(std::move(ready));
      Finished();
      continue;
    }
    if (read) {
      sender_.MarkRead(read->account, read->account_ref, read->message_id);
      std::lock_guard lock(mu_);
      --reads_sending_;
      continue;
    }
    if (!claim) continue;
    auto claimed = store_.ClaimDue(clock_.Now(), 4);
    if (claimed.ok() && !claimed.value().empty()) {
      {
        std::lock_guard lock(mu_);
        ++in_hand_;
      }
      for (auto& r : claimed.value()) SendOne(r);
      // Sending them may have made the next reply of their conversations due.
      {
        std::lock_guard lock(mu_);
        RequestClaimLocked();
      }
      Finished();
      continue;
    }
    // Nothing due now: claim again when the earliest retry or held reply is due, or in 1 s.
    auto wait = std::chrono::milliseconds(1000);
    if (auto next = store_.NextDue(); next.ok() && next.value()) {
      auto until = *next.value() - clock_.Now();
      wait = std::clamp<std::chrono::milliseconds>(
          std::chrono::duration_cast<std::chrono::milliseconds>(until),
          std::chrono::milliseconds(50), wait);
    }
    std::lock_guard lock(mu_);
    next_check_ = std::chrono::steady_clock::now() + wait;
    claimed_through_ = std::max(claimed_through_, request);
    // Nothing was in hand and nothing asked for a claim meanwhile: every stored reply waits
    // for a time (retry, hold), not for another reply to be sent.
    if (idle && claim_requests_ == request) waiting_ = false;
  }
}

void StoredOutbox::Finished() {
  std::lock_guard lock(mu_);
  --in_hand_;
  // A reply was stored behind an unsent one of its conversation: it may be due now.
  if (waiting_) ++claim_requests_;
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
