// The storage interfaces of durable delivery: the inbox (every accepted message, deduped on
// platform + account + message id) and the outbox (every reply, stored before it is sent).
// store::SqliteDeliveryStore implements both on the embedded SQLite file. Nothing here
// assumes one process: claims are atomic updates, so a shared database (PostgreSQL, planned)
// can serve several gateways.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bot/clock.h"
#include "bot/status.h"
#include "webhook/delivery.h"

namespace wache::webhook {

struct InboxRecord {
  int64_t id = 0;
  AcceptedMessage message;
};

struct OutboxRecord {
  int64_t id = 0;
  int64_t inbox_id = 0;
  OutboundMessage message;
  std::string correlation_id;
  int attempts = 0;
  bot::TimePoint inbound_at{};  // when the person wrote: the platforms' 24-hour window
  int64_t received_ms = 0;      // when the gateway took the message (Unix ms), for latency
};

struct OutboxCounts {
  long pending = 0, inflight = 0, sent = 0, dead = 0;
  std::optional<bot::TimePoint> oldest_pending;  // created_at of the oldest pending reply
};

// A reply that will not be sent, as operators see it: no text, no recipient.
struct DeadLetter {
  int64_t id = 0;
  std::string platform, account, correlation_id, template_key, reason;
  int attempts = 0;
  bot::TimePoint created_at{};
};

// The person's last stored message in a conversation: what a staff reply answers.
struct LastInbound {
  int64_t inbox_id = 0;
  bot::TimePoint at{};  // when the person sent it (the platforms' windows count from here)
};

// One stored message or reply of a conversation, for the staff transcript.
struct ConversationEntry {
  bool from_person = false;
  int64_t id = 0;            // inbox id (person) or outbox id (reply)
  bot::TimePoint at{};       // when the gateway took the message, or stored the reply
  std::string text;          // what the person wrote, or the reply's text
  std::string unsupported;   // the person sent this instead of text (image, location...)
  bool button = false;       // the person tapped a button (text: its label, if sent)
  std::string author;        // replies: "bot" or "staff:<name>"
  std::string template_key;  // bot replies
  std::string flow;          // bot replies: the flow that said it ("" if none or not stored)
  std::string status;        // replies: pending | inflight | sent | dead
  std::string error;         // replies: why the last attempt failed (outbox last_error; never
                             // a message text: fixed phrases and the platform's error codes)
};

// How DeliveryStore::CompleteInbound completes a message.
struct Completion {
  // Claim the replies in the same transaction (in flight, one attempt) when no earlier
  // reply of the conversation is still unsent, and return them in order, so that a sender
  // takes them from memory instead of claiming them from the store. Otherwise they are
  // stored pending and wait for their turn (ClaimDue).
  bool claim = false;
  // The conversation's new state (the message's platform, account and sender), saved in
  // the same transaction; nullptr: none.
  const bot::ConversationState* state = nullptr;
};

class DeliveryStore {
 public:
  virtual ~DeliveryStore() = default;

  // Records a webhook's messages in one transaction, committed before it returns. A message
  // whose (platform, account, message id) is already recorded is a duplicate: `is_new` is
  // false for it and nothing changes. Sets each new message's inbox id.
  virtual Result<std::vector<bool>> InsertInbound(std::vector<AcceptedMessage>& batch,
                                                  bot::TimePoint now) = 0;
  // Accepted messages not yet handled, oldest first, at most `limit` (resume after a
  // restart; read back what a flood left in the inbox only).
  virtual Result<std::vector<InboxRecord>> PendingInbound(size_t limit) = 0;
  Result<std::vector<InboxRecord>> PendingInbound() { return PendingInbound(SIZE_MAX); }
  // Marks the message handled and stores its replies (and `how.state`), atomically: after a
  // crash all of it happened or none. Returns the replies it claimed: none without
  // `how.claim`, when they wait for their turn, or when the message was already handled (a
  // replay stores nothing).
  virtual Result<std::vector<OutboxRecord>> CompleteInbound(
      const AcceptedMessage& message, const std::vector<OutboundMessage>& replies,
      bot::TimePoint now, const Completion& how = {}) = 0;

  // Claims up to `limit` replies that are due: pending, next attempt reached, and the
  // oldest unsent reply of their conversation (order within a conversation). Emergency
  // replies first. Claimed replies are in flight until marked.
  virtual Result<std::vector<OutboxRecord>> ClaimDue(bot::TimePoint now, int limit) = 0;
  virtual Status MarkSent(int64_t id, const std::string& platform_message_id,
                          bot::TimePoint now) = 0;
  virtual Status MarkRetry(int64_t id, bot::TimePoint next_attempt, const std::string& error) = 0;
  virtual Status MarkDead(int64_t id, const std::string& reason) = 0;
  // A claimed reply the send policy holds back (budget, pacing): pending again from
  // `until`, and the claim does not count as an attempt.
  virtual Status Defer(int64_t id, bot::TimePoint until, const std::string& reason) = 0;
  // Claimed replies that were not tried (an earlier reply of the same message was not
  // sent): pending again, as they were before the claim, attempts included.
  virtual Status Unclaim(const std::vector<int64_t>& ids) = 0;
  // Replies sent since `since` on `platform`, by `account` ("" = every account), to
  // `recipient` ("" = anyone). Counted in the store, so the budget holds across restarts
  // and across gateways sharing one database.
  virtual Result<long> CountSent(const std::string& platform, const std::string& account,
                                 const std::string& recipient, bot::TimePoint since) = 0;
  // After a restart: replies that were in flight go back to pending (they may have reached
  // the platform; the gateway cannot know, and a lost reply is worse than a repeated one).
  virtual Result<int> RequeueInflight() = 0;
  // A platform status for one of our replies (WhatsApp sent/delivered/read/failed).
  virtual Status RecordPlatformStatus(const std::string& platform,
                                      const std::string& platform_message_id,
                                      const std::string& status, const std::string& error_code) = 0;
  // The earliest next attempt among pending replies, if any.
  virtual Result<std::optional<bot::TimePoint>> NextDue() = 0;
  virtual Result<OutboxCounts> Counts() = 0;
  // Deletes everything stored about one person: messages, replies (conversation state is
  // erased through the StateStore). Returns how many rows went.
  virtual Result<int> ErasePerson(const std::string& platform, const std::string& account,
                                  const std::string& sender) = 0;
  // Retention: blanks message texts and replaces user ids of messages and replies older than
  // `cutoff` (the dedupe key stays, so a very late platform retry is still recognised).
  virtual Result<int> AnonymiseBefore(bot::TimePoint cutoff) = 0;
  // The newest dead-lettered replies first, at most `limit`.
  virtual Result<std::vector<DeadLetter>> ListDead(int limit) = 0;
  // Sends a dead-lettered reply again (`id`, or every one with id 0): pending from `now`
  // with fresh attempts. Returns how many. The window and policies apply as usual.
  virtual Result<int> RequeueDead(int64_t id, bot::TimePoint now) = 0;
  // The person's last message in a conversation, if any is stored.
  virtual Result<std::optional<LastInbound>> LastInboundOf(const std::string& platform,
                                                           const std::string& account,
                                                           const std::string& sender) = 0;
  // Stores a reply that no message handling produced (a staff reply): pending at once, sent
  // in the conversation's order after the replies stored before it. It answers `cause` (its
  // time decides the platform window). Returns the outbox id.
  virtual Result<int64_t> InsertReply(const OutboundMessage& reply, const LastInbound& cause,
                                      const std::string& correlation_id, bot::TimePoint now) = 0;
  // One conversation as stored: the person's messages and all replies (bot and staff), in
  // order (each message followed by what answered it), the newest `limit` entries stored up
  // to `until`. Anonymised rows (retention) are left out.
  virtual Result<std::vector<ConversationEntry>> Conversation(const std::string& platform,
                                                              const std::string& account,
                                                              const std::string& sender,
                                                              bot::TimePoint until, int limit) = 0;
  // Store writable (for /readyz).
  virtual Status Ping() = 0;
};

}  // namespace wache::webhook
