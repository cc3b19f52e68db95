#include "webhook/dispatcher.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace wache::webhook {

namespace {
std::string ConversationOf(const AcceptedMessage& m) {
  return bot::ConversationKey{m.message.platform, m.message.account, m.message.sender}.ToString();
}
}  // namespace

Dispatcher::Dispatcher(bot::Engine& engine, const bot::GatewayConfig& accounts, Outbox& outbox,
                       Metrics& metrics, const Pseudonymizer& pseudonym, MenuLabel menu_label,
                       int workers, DeliveryStore& store, const bot::Clock& clock,
                       staff::HandoverDesk& desk)
    : engine_(engine),
      store_(store),
      clock_(clock),
      desk_(desk),
      accounts_(accounts),
      outbox_(outbox),
      metrics_(metrics),
      pseudonym_(pseudonym),
      menu_label_(std::move(menu_label)),
      workers_(static_cast<size_t>(std::max(1, workers))) {
  for (size_t i = 0; i < workers_; ++i) threads_.emplace_back([this] { Work(); });
}

Dispatcher::~Dispatcher() { Stop(); }

void Dispatcher::EnterAccept() {
  std::unique_lock gate(gate_mu_);
  gate_cv_.wait(gate, [&] { return !refill_waiting_; });
  ++accepting_;
}

void Dispatcher::LeaveAccept() {
  {
    std::lock_guard gate(gate_mu_);
    --accepting_;
  }
  gate_cv_.notify_all();
}

Status Dispatcher::Accept(std::vector<AcceptedMessage> batch) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return Status::Error("shutting down");
  }
  EnterAccept();
  struct Leave {
    Dispatcher* d;
    ~Leave() { d->LeaveAccept(); }
  } leave{this};
  // Committed before the server answers 200. Platforms deliver at least once and retry
  // at the same moment: the unique key decides atomically which copy is new.
  auto inserted = store_.InsertInbound(batch, clock_.Now());
  if (!inserted.ok()) return inserted.status();
  std::vector<AcceptedMessage> fresh;
  for (size_t i = 0; i < batch.size(); ++i) {
    if (inserted.value()[i]) {
      fresh.push_back(std::move(batch[i]));
    } else {
      metrics_.Add("wache_messages_duplicate_total", {{"platform", batch[i].message.platform}});
      spdlog::info(
          "correlation={} duplicate delivery of an already accepted message; not "
          "answered again",
          batch[i].correlation_id);
    }
  }
  batch = std::move(fresh);
  MarkUrgent(batch);
  size_t ready;
  {
    std::lock_guard lock(mu_);
    ready = Enqueue(std::move(batch), /*may_spill=*/true);
  }
  WakeWorkers(ready);
  return Status::Ok();
}

std::shared_ptr<const bot::GatewayConfig> Dispatcher::Reloaded() {
  std::lock_guard lock(reloaded_mu_);
  return reloaded_;
}

void Dispatcher::MarkUrgent(std::vector<AcceptedMessage>& batch) {
  std::shared_ptr<const bot::GatewayConfig> reloaded = Reloaded();  // keeps accounts alive
  const bot::GatewayConfig& accounts = reloaded ? *reloaded : accounts_;
  for (auto& m : batch) {
    const bot::Account* account = accounts.FindAccount(m.message.account);
    if (!account) continue;
    // This picks the lane. The engine matches again only if something matched (it needs the
    // flow) or the playbook changed in between.
    const bot::InterruptCheck check = engine_.CheckInterrupt(m.message.text, *account);
    m.no_interrupt_in_playbook = check.none_in_playbook;
    if (check.matches) {
      m.urgent = true;
      metrics_.Add("wache_messages_urgent_lane_total", {{"platform", m.message.platform}});
    }
  }
}

void Dispatcher::SetMaxQueued(size_t n) {
  std::lock_guard lock(mu_);
  max_queued_ = std::max<size_t>(n, 1);
}

Status Dispatcher::Resume() {
  size_t limit;
  {
    std::lock_guard lock(mu_);
    limit = max_queued_;
  }
  auto pending = store_.PendingInbound(limit);
  if (!pending.ok()) return pending.status();
  std::vector<AcceptedMessage> batch;
  for (auto& r : pending.value()) batch.push_back(std::move(r.message));
  MarkUrgent(batch);
  if (!batch.empty()) {
    spdlog::warn("{}{} accepted messages were not handled before the last stop; handling them now",
                 batch.size() == limit ? "at least " : "", batch.size());
  }
  size_t ready;
  {
    std::lock_guard lock(mu_);
    if (batch.size() == limit) spilled_ = true;  // there may be more: read back as it drains
    ready = Enqueue(std::move(batch), /*may_spill=*/false);
  }
  WakeWorkers(ready);
  return Status::Ok();
}

size_t Dispatcher::Enqueue(std::vector<AcceptedMessage> batch, bool may_spill) {
  const size_t ready_before = ready_.size();
  for (auto& m : batch) {
    if (may_spill && pending_ >= max_queued_ && !m.urgent) {
      // Committed and acknowledged; Refill reads it back in inbox order.
      spilled_ = true;
      ++spills_;
      metrics_.Add("wache_messages_spilled_total", {{"platform", m.message.platform}});
      continue;
    }
    if (m.inbox_id != 0) in_memory_.insert(m.inbox_id);
    std::string key = ConversationOf(m);
    auto& q = queues_[key];
    // A conversation already queued or in a worker's hands gets its turn when that is done.
    if (m.urgent) {
      // To the front of the line: now if the conversation is waiting, or as soon as the
      // worker that has it is done.
      if (busy_.count(key)) {
        urgent_.insert(key);
      } else {
        if (auto it = std::find(ready_.begin(), ready_.end(), key); it != ready_.end()) {
          ready_.erase(it);
        }
        ready_.push_front(key);
      }
    } else if (q.empty() && !busy_.count(key)) {
      ready_.push_back(key);
    }
    q.push_back(std::move(m));
    ++pending_;
  }
  return ready_.size() - ready_before;
}

void Dispatcher::WakeWorkers(size_t ready) {
  // One worker per conversation that became ready, and after mu_ is released: with
  // notify_all under the lock, every worker woke for one webhook's message and then waited
  // for the lock the waker still held (a context switch each; see bench/README.md).
  for (size_t i = 0; i < std::min(ready, workers_); ++i) work_cv_.notify_one();
}

void Dispatcher::Work() {
  std::unique_lock lock(mu_);
  while (true) {
    work_cv_.wait(lock, [&] { return stopping_ || !ready_.empty(); });
    if (ready_.empty()) return;  // stopping and nothing left
    std::string key = std::move(ready_.front());
    ready_.pop_front();
    busy_.insert(key);
    AcceptedMessage m = std::move(queues_[key].front());
    queues_[key].pop_front();
    lock.unlock();
    Handle(m);
    lock.lock();
    busy_.erase(key);
    --pending_;
    if (m.inbox_id != 0) {
      in_memory_.erase(m.inbox_id);
      done_since_refill_.insert(m.inbox_id);
    }
    if (queues_[key].empty()) {
      queues_.erase(key);
    } else {
      if (urgent_.erase(key)) {
        ready_.push_front(key);  // an emergency came in while it was being handled
      } else {
        ready_.push_back(key);  // behind other conversations: fair under a storm from one sender
      }
      work_cv_.notify_one();
    }
    if (spilled_ && !refilling_ && !stopping_ && pending_ <= max_queued_ / 2) Refill(lock);
    if (pending_ == 0 && !spilled_) idle_cv_.notify_all();
  }
}

void Dispatcher::Refill(std::unique_lock<std::mutex>& lock) {
  refilling_ = true;
  const uint64_t spills_before = spills_;
  // Handled before this read starts means handled in the store: the read cannot return it.
  done_since_refill_.clear();
  // The oldest unhandled messages include those still in memory; read enough to get past
  // them to `room` new ones.
  const size_t room = max_queued_ - pending_;
  const size_t limit = room + in_memory_.size();
  lock.unlock();
  Result<std::vector<InboxRecord>> pending = [&] {
    std::unique_lock gate(gate_mu_);
    refill_waiting_ = true;
    gate_cv_.wait(gate, [&] { return accepting_ == 0; });
    auto read = store_.PendingInbound(limit);
    refill_waiting_ = false;
    gate.unlock();
    gate_cv_.notify_all();
    return read;
  }();
  lock.lock();
  refilling_ = false;
  if (!pending.ok()) {
    // Left in the inbox: the next drained message tries again, a restart at the latest.
    spdlog::error("reading back messages left in the inbox failed: {}", pending.status().message());
    return;
  }
  std::vector<AcceptedMessage> batch;
  size_t left_in_inbox = 0;
  for (auto& r : pending.value()) {
    const int64_t id = r.message.inbox_id;
    if (in_memory_.count(id) || done_since_refill_.count(id)) continue;
    if (batch.size() < room) {
      batch.push_back(std::move(r.message));
    } else {
      ++left_in_inbox;
    }
  }
  // Everything read back, and nothing spilled meanwhile: the inbox and memory agree again.
  if (pending.value().size() < limit && left_in_inbox == 0 && spills_ == spills_before) {
    spilled_ = false;
  }
  metrics_.Add("wache_messages_read_back_total", {}, static_cast<long>(batch.size()));
  // Under mu_ here (a rare path): this worker takes one of them itself when it loops.
  WakeWorkers(Enqueue(std::move(batch), /*may_spill=*/false));
}

void Dispatcher::SetAccounts(std::shared_ptr<const bot::GatewayConfig> config) {
  std::lock_guard lock(reloaded_mu_);
  reloaded_ = std::move(config);
}

void Dispatcher::Handle(const AcceptedMessage& m) {
  std::shared_ptr<const bot::GatewayConfig> reloaded = Reloaded();  // kept alive while handling
  const bot::Account* account = (reloaded ? *reloaded : accounts_).FindAccount(m.message.account);
  if (!account) return;  // the server only accepts messages for configured accounts
  // With staff, only emergencies get the bot's answer. Not marked read then: the person
  // would take the blue ticks for a person having read it.
  const std::optional<staff::Handover> handover = desk_.Current(m);
  auto decided = engine_.Handle(m.message, *account,
                                {.interrupts_only = handover.has_value(),
                                 .no_interrupt_in_playbook = m.no_interrupt_in_playbook,
                                 .defer_save = true});
  if (!decided.ok()) {
    // The state store failed. The message stays unhandled in the inbox (nothing lost) and is
    // handled again when the gateway next starts.
    spdlog::error("correlation={} platform={} account={} engine failed: {}", m.correlation_id,
                  m.message.platform, account->id, decided.status().message());
    metrics_.Add("wache_engine_failures_total", {{"platform", m.message.platform}});
    return;
  }
  const bot::Decision& d = decided.value();
  const bool emergency = std::find(d.flags.begin(), d.flags.end(), "emergency") != d.flags.end();
  spdlog::info(
      "correlation={} platform={} account={} sender={} flow={} step={} language={} "
      "replies={} emergency={} handover={} message handled",
      m.correlation_id, m.message.platform, account->id, pseudonym_(m.message.sender),
      d.flow.empty() ? "-" : d.flow, d.step.empty() ? "-" : d.step, d.language, d.replies.size(),
      emergency ? "yes" : "no", handover ? std::to_string(handover->id) : "-");
  if (emergency) metrics_.Add("wache_emergency_replies_total", {{"platform", m.message.platform}});
  std::vector<OutboundMessage> out;
  for (const auto& r : d.replies) {
    OutboundMessage o;
    o.platform = m.message.platform;
    o.account_id = account->id;
    o.account_ref = m.account_ref;
    o.recipient = m.message.sender;
    o.reply_to = m.message.message_id;
    o.reply = r;
    o.emergency = emergency;
    if (!r.buttons.empty() && menu_label_) o.menu_label = menu_label_(r.language, *account);
    out.push_back(std::move(o));
  }
  // Also with no replies (a silenced flow): the durable outbox marks the message handled,
  // and stores the conversation's new state in the same transaction.
  outbox_.Deliver(m, std::move(out), d.state_to_save);
  // After the replies are stored and the senders woken: the mark-read call is a round trip
  // to the platform, and an emergency answer must not wait for it.
  if (!handover) outbox_.MarkRead(m);
  if (handover) {
    desk_.DuringHandover(m, *handover, d);
  } else {
    desk_.AfterBot(m, *account, d);
  }
}

size_t Dispatcher::Stop(std::chrono::milliseconds grace) {
  size_t left = 0;
  {
    std::unique_lock lock(mu_);
    if (threads_.empty()) return pending_;
    idle_cv_.wait_for(lock, grace, [&] { return pending_ == 0; });
    stopping_ = true;
    // What is still queued stays unhandled; the durable inbox will resume it after restart.
    for (auto& [k, q] : queues_) left += q.size();
    ready_.clear();
    queues_.clear();
    urgent_.clear();
    pending_ -= std::min(pending_, left);
    work_cv_.notify_all();
    if (left) spdlog::warn("{} accepted messages were not handled before shutdown", left);
  }
  for (auto& t : threads_) t.join();
  threads_.clear();
  return left;
}

size_t Dispatcher::QueueDepth() {
  std::lock_guard lock(mu_);
  return pending_;
}

void Dispatcher::AcceptStatuses(const std::vector<InboundEvent>& statuses) {
  for (const auto& s : statuses) {
    if (s.detail == "failed") {
      metrics_.Add("wache_replies_failed_after_send_total", {{"platform", s.platform}});
      spdlog::warn("platform={} a reply failed after the platform accepted it (code {})",
                   s.platform, s.error_code);
    }
    if (Status st = store_.RecordPlatformStatus(s.platform, s.message_id, s.detail, s.error_code);
        !st.ok()) {
      spdlog::warn("could not record a {} status: {}", s.platform, st.message());
    }
  }
}

bool Dispatcher::WaitIdle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return idle_cv_.wait_for(lock, timeout, [&] { return pending_ == 0 && !spilled_; });
}

}  // namespace wache::webhook
