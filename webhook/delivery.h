// The two hand-offs of the delivery path, as interfaces, so that the server does not know
// the dispatcher and the dispatcher does not know how replies are sent:
//
//   server ──Accept(batch)──▶ Inbox ──(workers: engine)──▶ Outbox ──▶ platform send API
//
// Inbox::Accept returns only when the messages are safe to acknowledge; the server sends
// its 200 after that and not before. Implementations: Dispatcher (webhook/dispatcher.h,
// which commits to the DeliveryStore) and StoredOutbox (webhook/stored_outbox.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bot/engine.h"
#include "bot/status.h"
#include "webhook/events.h"

namespace wache::webhook {

// A person's message the gateway has accepted and must answer exactly once.
struct AcceptedMessage {
  bot::InboundMessage message;  // message.account is the configured account id
  std::string account_ref;      // the account's platform id (phone_number_id, Page id...)
  std::string correlation_id;   // follows the message through the logs
  std::chrono::steady_clock::time_point received_at{};
  int64_t received_ms = 0;  // the same moment on the wall clock, Unix ms (survives restarts)
  int64_t inbox_id = 0;     // set by the durable inbox
  // An interrupt flow (emergency) matches its text: it goes ahead of ordinary messages of
  // other conversations and is never left in the inbox by a flood (Dispatcher).
  bool urgent = false;
  // No interrupt flow matched its text with this playbook (bot::InterruptCheck): the engine
  // skips that match while the playbook is unchanged. In memory only; 0 = not known.
  uint64_t no_interrupt_in_playbook = 0;
};

class Inbox {
 public:
  virtual ~Inbox() = default;
  // Takes responsibility for every message of one webhook delivery. OK means they will be
  // answered; an error means none was taken and the platform should deliver again (503).
  // Thread-safe.
  virtual Status Accept(std::vector<AcceptedMessage> batch) = 0;
  // Reports about our own replies (WhatsApp statuses). Never answered.
  virtual void AcceptStatuses(const std::vector<InboundEvent>& statuses) {}
};

class Outbox {
 public:
  virtual ~Outbox() = default;
  // The replies to one message, in order, and the conversation's new state if it changed
  // (stored with them, atomically). Called from dispatcher workers; the replies of one
  // conversation never arrive concurrently. Thread-safe across conversations.
  virtual void Deliver(const AcceptedMessage& cause, std::vector<OutboundMessage> replies,
                       std::optional<bot::ConversationState> state) = 0;
  // Marks the person's message read where the platform supports it (WhatsApp).
  virtual void MarkRead(const AcceptedMessage& message) {}
};

}  // namespace wache::webhook
