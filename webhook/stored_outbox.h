// StoredOutbox: the durable Outbox. A message's replies are stored in the same transaction
// that marks the message handled (DeliveryStore::CompleteInbound). When nothing of
// the conversation is waiting, that transaction also claims them and a sender thread takes
// them from memory; otherwise, and for retries, held replies and staff replies, the senders
// claim due replies from the store (ClaimDue). They send them through the ReplySender and
// record the outcome:
//   sent       → the platform's message id is kept (matched by later status webhooks);
//   retry      → exponential backoff with jitter (or the platform's reset time), up to
//                `max_attempts`, then dead-lettered;
//   permanent  → dead-lettered at once with the platform's code and reason.
// Replies of one conversation go out in order; emergency replies are claimed first. A
// reply older than the platform's 24-hour window is not sent free-form: WhatsApp sends the
// configured template once in its place, otherwise it is dead-lettered with the reason.
// Before each send the SendPolicy may hold a reply back (pacing, budgets) without using
// up an attempt. Staff replies (author "staff:<name>") follow the staff reply window instead
// (webhook/staff/reply_window.h): tagged HUMAN_AGENT on Messenger and Instagram after 24
// hours, never replaced by the window template.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "bot/clock.h"
#include "webhook/delivery.h"
#include "webhook/delivery_store.h"
#include "webhook/metrics.h"
#include "webhook/reply_sender.h"
#include "webhook/send_policy.h"

namespace wache::webhook {

struct OutboxOptions {
  // Threads sending replies (server.senders). Each waits for one platform round trip per
  // call, and a message takes two (the reply and its mark-read), so the outbox sends at most
  // senders / (2 × round trip) replies per second: with a 100 ms platform, 8 senders made
  // 57.7 replies/s, 32 made 231/s, 128 made 919/s, 256 made 1,852/s (bench/README.md).
  // They mostly wait, not compute. They start when needed, and the one that became idle
  // last is woken first, so with a fast platform only a few of them are ever used (and take
  // memory); those beyond the first 32 run without jemalloc's per-thread cache.
  int senders = 256;
  // Messages whose replies are claimed at completion and wait in memory for a sender; beyond
  // it (a flood and a slow platform) replies stay pending in the store and are claimed as
  // senders get to them. Emergency replies are always claimed. Without the bound, a 5 s
  // flood with a 100 ms platform held 28,000 messages' replies in memory: 85 MB. (Each
  // dispatcher worker looks at the bound before its transaction, so up to one more per
  // worker may get in.)
  size_t max_ready_in_memory = 1000;
  std::chrono::seconds retry_base{2};              // first retry after about this long
  std::chrono::seconds retry_max{300};             // backoff cap
  int max_attempts = 10;                           // then the reply is dead-lettered
  std::chrono::hours window{24};                   // free-form reply window (Meta)
  std::map<std::string, PlatformPolicy> policies;  // by platform; missing = no limits
};

// What the operator who reads a dead letter in the log does next (the reason stored with the
// reply stays short; `wache dead-letters` lists it).
std::string DeadLetterNextStep(const std::string& account, int64_t reply_id,
                               SendResult::Cause cause);

class StoredOutbox final : public Outbox {
 public:
  // Everything passed by reference must outlive the outbox. Call Start() to send.
  StoredOutbox(DeliveryStore& store, ReplySender& sender, const bot::Clock& clock, Metrics& metrics,
               OutboxOptions options);
  ~StoredOutbox() override;

  // Requeues replies left in flight by a crash and starts the sender threads.
  Status Start();
  // Stops the senders after their current reply; unsent replies stay stored.
  void Stop();
  // For a clean shutdown, after the dispatcher stopped: sends what is due now (replies in
  // memory, stored replies whose turn has come, mark-read calls) and returns true once none
  // is left, false when `timeout` ran out first. Replies held or retried later stay stored.
  bool SendWhatIsDue(std::chrono::milliseconds timeout);

  void Deliver(const AcceptedMessage& cause, std::vector<OutboundMessage> replies,
               std::optional<bot::ConversationState> state) override;
  void MarkRead(const AcceptedMessage& message) override;
  // Stores a reply that answers no newly handled message (a staff reply, `reply.author`
  // "staff:<name>") and wakes the senders. Returns its outbox id.
  Result<int64_t> Enqueue(const OutboundMessage& reply, const LastInbound& cause,
                          const std::string& correlation_id);

  // Sender threads started so far (at most OutboxOptions::senders; /metrics).
  size_t SenderThreads();
  // Messages whose replies were claimed when stored and wait in memory for a sender
  // (about OutboxOptions::max_ready_in_memory at most; /metrics).
  size_t WaitingForSender();

  // Waits until no reply and no mark-read is pending or in flight (tests). False on timeout.
  bool WaitDrained(std::chrono::milliseconds timeout);

 private:
  // A sender thread's own wake-up, so that the one that became idle last can be woken.
  struct Sender {
    std::condition_variable wake;
    bool idle = false;  // in idle_
  };
  void SendLoop(Sender& self);
  // Wakes the sender that became idle last; with none idle, starts one more while fewer than
  // `senders` run (a busy sender looks for work before it waits, so with all of them
  // running nothing is left behind). Under mu_.
  void WakeOneLocked();
  // Starts a sender thread; under mu_. Each thread costs memory as soon as it runs (about
  // 0.17 MB of allocator cache with jemalloc: 128 idle senders took 50 MB, 8 took 30), so
  // they start when the load needs them, not all at once, and those beyond the first 32
  // run without that cache (kSendersWithAllocatorCache).
  void StartSenderLocked();
  // Sends claimed replies of one message in order; stops at the first that is not sent and
  // puts the rest back (Unclaim), so that none overtakes it.
  void SendAll(std::vector<OutboxRecord> claimed);
  // Each returns whether the reply was sent (held, retried and dead-lettered: not).
  bool SendOne(const OutboxRecord& r);
  // Outside the 24-hour window: the template in place of the reply, or a dead letter.
  bool SendOutsideWindow(const OutboxRecord& r, bot::TimePoint now);
  bool Record(const OutboxRecord& r, const OutboundMessage& sent, const SendResult& result,
              bot::TimePoint now);
  // A mark-read call is waiting and may start: mark-read calls take at most half of the
  // senders, so that with a slow platform a reply does not wait for a free sender behind
  // blue ticks. Under mu_.
  bool ReadMayStartLocked() const;
  // A reply was stored or put back that only a claim from the store can find; under mu_.
  void RequestClaimLocked();
  // A sender is done with the replies it had in hand.
  void Finished();
  std::chrono::seconds Backoff(int attempts);

  DeliveryStore& store_;
  ReplySender& sender_;
  const bot::Clock& clock_;
  Metrics& metrics_;
  OutboxOptions options_;
  SendPolicy policy_;
  std::mutex mu_;
  // Messages whose window template went out in this run: their further replies are not
  // sent. (After a restart a second template is possible; it is harmless.)
  std::set<int64_t> templated_;
  // Mark-read calls waiting for a sender thread (best effort: a round trip each, and a
  // dispatcher worker must not wait for it). Bounded; the oldest are dropped when full.
  struct PendingRead {
    std::string account, account_ref, message_id;
  };
  std::deque<PendingRead> reads_;
  int reads_sending_ = 0;  // taken from reads_, call not finished (WaitDrained waits for it)
  std::vector<std::unique_ptr<Sender>> senders_;
  // Idle senders, the most recently idle last. Waking from the top of this stack (not
  // whichever thread the kernel picks) keeps the same few threads busy and their caches warm.
  std::vector<Sender*> idle_;
  // When retries and held replies are due (NextDue, at least once a second): the sender on
  // top of idle_ waits until then and claims, and a sender that runs out of work looks at it
  // before it waits. The other idle senders sleep until woken; so if the one on top is woken
  // for work, the time is looked at again when a sender runs out of work, one call later.
  std::chrono::steady_clock::time_point next_check_{};
  bool stopping_ = false;
  // Replies claimed when their message was completed, a message's replies each, waiting for
  // a sender; emergencies apart so that they go first. In flight in the store.
  std::deque<std::vector<OutboxRecord>> ready_urgent_, ready_;
  int in_hand_ = 0;  // senders sending replies they took (from ready_ or a claim)
  // Claims from the store. Most messages never need one (their replies are claimed when
  // stored); claiming after every reply, as the senders once did, was 3.7 write transactions
  // per message under the store's lock (bench/README.md). A claim is due when
  // claim_requests_ is ahead of claimed_through_ (what the last empty claims had seen), and
  // when next_check_ comes (NextDue, at least once a second) for retries and held replies.
  uint64_t claim_requests_ = 0, claimed_through_ = 0;
  // Some stored reply waits for an earlier one of its conversation: each finished send asks
  // for a claim, until a claim made while no sender held replies finds nothing.
  bool waiting_ = false;
  std::mt19937 rng_{std::random_device{}()};
  std::vector<std::thread> threads_;
};

}  // namespace wache::webhook
