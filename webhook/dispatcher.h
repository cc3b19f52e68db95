// Dispatcher: the Inbox. Accepted messages wait in one queue per conversation; worker
// threads take a conversation, run the engine on its oldest message, hand the replies to
// the Outbox, and only then take that conversation's next message. So one conversation is
// handled strictly in order and different conversations in parallel.
//
// Accept commits the messages to the DeliveryStore (deduped on platform + account + message
// id) before it returns, so the server's 200 means "recorded"; a duplicate is acknowledged
// and not queued again; Resume() queues what a previous run left unhandled.
//
// A conversation handed over to staff (webhook/staff/handover_desk.h) gets answers from
// interrupt flows only; the desk opens hand-overs after the bot's answers.
//
// Memory is bounded: at most max_queued messages wait in memory. Beyond that (a flood after
// an appeal goes viral) a message is still committed and acknowledged, but waits in the
// durable inbox only, and is read back, oldest first, as the queue drains.
//
// Emergencies go first: a message an interrupt flow matches is never left in the inbox,
// and its conversation moves to the front of the line, so that "call 110" does not wait
// behind a flood of ordinary questions. Within a conversation the order stays.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "bot/accounts.h"
#include "bot/engine.h"
#include "webhook/delivery.h"
#include "webhook/delivery_store.h"
#include "webhook/metrics.h"
#include "webhook/pseudonym.h"
#include "webhook/staff/handover_desk.h"

namespace wache::webhook {

class Dispatcher final : public Inbox {
 public:
  // The menu label (template common.menu_button) for a language, for WhatsApp lists.
  using MenuLabel =
      std::function<std::string(const std::string& language, const bot::Account& account)>;

  // Everything passed by reference must outlive the Dispatcher.
  Dispatcher(bot::Engine& engine, const bot::GatewayConfig& accounts, Outbox& outbox,
             Metrics& metrics, const Pseudonymizer& pseudonym, MenuLabel menu_label, int workers,
             DeliveryStore& store, const bot::Clock& clock, staff::HandoverDesk& desk);

  // Queues the messages a previous run accepted but did not handle. Call once at start.
  Status Resume();
  ~Dispatcher() override;  // Stop()

  Status Accept(std::vector<AcceptedMessage> batch) override;

  // How many accepted messages may wait in memory (GatewayOptions::max_queued_messages).
  // Call before Resume().
  void SetMaxQueued(size_t n);

  // Stops taking new messages, lets the workers finish what is queued (up to `grace`), and
  // joins them. Returns how many messages were left unhandled.
  size_t Stop(std::chrono::milliseconds grace = std::chrono::seconds(10));

  // Uses `config` (same accounts, new variables, language or calendar) for the next
  // messages. The caller checked that the accounts themselves did not change.
  void SetAccounts(std::shared_ptr<const bot::GatewayConfig> config);

  // Messages accepted and not yet handled.
  size_t QueueDepth();
  void AcceptStatuses(const std::vector<InboundEvent>& statuses) override;

  // Waits until nothing is queued or being handled (tests, send-test). False on timeout.
  bool WaitIdle(std::chrono::milliseconds timeout);

 private:
  void Work();
  void Handle(const AcceptedMessage& m);
  // Marks the messages an interrupt flow matches as urgent (without mu_: it runs the
  // matcher, through Engine::CheckInterrupt).
  void MarkUrgent(std::vector<AcceptedMessage>& batch);
  // The reloaded config, or null before the first reload (then `accounts_` is current).
  std::shared_ptr<const bot::GatewayConfig> Reloaded();

  // Queues `batch` in memory (mu_ held). With `may_spill`, messages beyond max_queued_
  // stay in the durable inbox only. Returns how many conversations became ready: the
  // caller passes that to WakeWorkers.
  size_t Enqueue(std::vector<AcceptedMessage> batch, bool may_spill);
  void WakeWorkers(size_t ready);
  // Reads back messages left in the inbox by a flood, when the queue has room (mu_ held by
  // `lock`; released while reading the store).
  void Refill(std::unique_lock<std::mutex>& lock);

  bot::Engine& engine_;
  DeliveryStore& store_;
  const bot::Clock& clock_;
  staff::HandoverDesk& desk_;
  const bot::GatewayConfig& accounts_;
  // A reloaded config (PlaybookReloader): the same accounts with new variables, language,
  // calendar. Null until the first reload; then it is used instead of `accounts_`.
  std::mutex reloaded_mu_;
  std::shared_ptr<const bot::GatewayConfig> reloaded_;
  Outbox& outbox_;
  Metrics& metrics_;
  const Pseudonymizer& pseudonym_;
  MenuLabel menu_label_;
  const size_t workers_;  // threads_.size() while running; read without mu_ by WakeWorkers

  std::mutex mu_;
  std::condition_variable work_cv_, idle_cv_;
  std::map<std::string, std::deque<AcceptedMessage>> queues_;  // by conversation
  std::deque<std::string> ready_;                              // conversations with work
  std::set<std::string> busy_;                                 // taken by a worker
  // Busy conversations with an urgent message queued: back to the front when done.
  std::set<std::string> urgent_;
  size_t pending_ = 0;
  bool stopping_ = false;
  // Flood bound (see the header comment). `spilled_`: the inbox holds unhandled messages
  // that are not in memory. `in_memory_`: inbox ids queued or being handled;
  // `done_since_refill_`: ids handled since the last refill started, which a refill that
  // read the store concurrently may still see as unhandled (never handle a message twice).
  size_t max_queued_ = 5000;
  bool spilled_ = false;
  bool refilling_ = false;
  uint64_t spills_ = 0;  // counts spilled messages; a refill that saw none may clear spilled_
  std::set<int64_t> in_memory_;
  std::set<int64_t> done_since_refill_;

  // Accept's inbox commit with its Enqueue, and Refill's read of the inbox, exclude each
  // other. Between the commit (and its WAL sync) and the Enqueue, a row is in the inbox,
  // unhandled and not yet in memory: a refill reading then took it too, and the message was
  // queued twice (the engine ran twice; the second reply was dropped as a duplicate).
  // Accepts run side by side; a waiting refill goes first, and new accepts wait for its one
  // short read, so a steady flood of webhooks cannot keep it out.
  void EnterAccept();
  void LeaveAccept();
  std::mutex gate_mu_;
  std::condition_variable gate_cv_;
  int accepting_ = 0;
  bool refill_waiting_ = false;

  std::vector<std::thread> threads_;
};

}  // namespace wache::webhook
