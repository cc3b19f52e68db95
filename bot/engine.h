// The conversation engine: one neutral inbound message plus that conversation's state in,
// the replies out. Knows nothing of HTTP, JSON or platform wire formats.
//
// The order of decisions is fixed (flows/README.md explains it to staff):
//   1. interrupt flows (emergencies), on every message, in every state;
//   2. a button tap, or the answer to the pending question (label text in any language,
//      its number, or a choice keyword);
//   3. the triggers of normal flows, then of low-priority (small-talk) flows;
//   4. the pending question's "not understood" rule, then the fallback flow.
// Notice flows (the personal-data warning) add their replies in front, except when an
// emergency answered.
//
// Thread-safety: Handle may be called concurrently for different conversations; calls for
// the same conversation must be serialised by the caller (the delivery layer does so).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "bot/accounts.h"
#include "bot/clock.h"
#include "bot/conversation_state.h"
#include "bot/playbook.h"
#include "bot/status.h"

namespace wache::bot {

struct InboundMessage {
  std::string platform;
  std::string account;            // configured account id
  std::string sender;             // the platform's user id
  std::string message_id;         // the platform's message id ("" in simulate without one)
  std::string text;               // what the person wrote ("" for a pure button tap)
  std::string button_payload;     // payload of a tapped button, as the engine built it
  std::optional<TimePoint> time;  // when it was sent; the Clock's now if absent
  std::string unsupported;        // what was sent instead of text (image, location,
                                  // sticker...); "" for text and button taps
};

struct Button {
  std::string payload;    // engine-built: "w1|flow|step|choice"
  std::string label;      // rendered label text
  std::string label_key;  // template key of the label
};

struct Reply {
  std::string template_key;
  std::string text;
  std::string language;  // language the text was taken from
  std::vector<Button> buttons;
  // The flow whose step said it ("" for the engine's own answers outside a flow, e.g. to a
  // picture); stored with the reply so staff see which flow and template the bot used.
  std::string flow;
};

struct Decision {
  std::string flow;                // flow that answered; "" if nothing did
  std::string step;                // last step run (or the question now pending)
  std::string language;            // the conversation's language after this message
  std::vector<std::string> flags;  // e.g. emergency, personal_data, handover, stale_button
  std::vector<Reply> replies;
  bool waiting_for_answer = false;
  std::string matched;  // the keyword or pattern that decided, for staff debugging
  // With HandleOptions::defer_save: the conversation state the caller must store (nothing
  // to store if empty).
  std::optional<ConversationState> state_to_save;
};

// Builds the payload of a button. Stable across reordering of choices.
std::string ButtonPayload(const std::string& flow, const std::string& step,
                          const std::string& choice_id);

// How Engine::Handle may answer one message.
struct HandleOptions {
  // Only interrupt flows (emergencies) may answer; any other message gets no reply and the
  // conversation state stays as it was. For conversations handed over to staff.
  bool interrupts_only = false;
  // InterruptCheck::none_in_playbook of this very text: while that playbook is current, no
  // interrupt flow can match, so Handle does not match them again.
  uint64_t no_interrupt_in_playbook = 0;
  // Handle does not save the conversation state but returns it (Decision::state_to_save):
  // the gateway stores it in the transaction that stores the replies, so that a crash
  // leaves both or neither, and a message costs one write transaction less.
  bool defer_save = false;
};

// What the urgent lane learns at intake (Engine::CheckInterrupt).
struct InterruptCheck {
  bool matches = false;           // an interrupt flow of the account's station matches
  uint64_t none_in_playbook = 0;  // no interrupt flow of any station matches: Playbook::serial
};

class Engine {
 public:
  // `playbook` must be fully loaded; `store` and `clock` must outlive the Engine.
  Engine(std::shared_ptr<const Playbook> playbook, StateStore& store, const Clock& clock);

  // Decides the replies to `msg` for `account` and saves the conversation state (or, with
  // `defer_save`, returns it in the Decision). Fails only if the state store fails.
  Result<Decision> Handle(const InboundMessage& msg, const Account& account,
                          HandleOptions options = {});

  // Whether an interrupt flow of `account` (the emergency flows) matches `text`: what step 1
  // of Handle checks, without state. The delivery layer uses it to put emergencies first,
  // and passes `none_in_playbook` on to Handle, which then need not ask again: matching the
  // interrupt flows was the largest part of matching (bench/README.md).
  InterruptCheck CheckInterrupt(const std::string& text, const Account& account) const;

  // Replaces the playbook for the next messages (live editing); the caller checks it first.
  void SetPlaybook(std::shared_ptr<const Playbook> playbook);
  // The playbook the next message will use.
  std::shared_ptr<const Playbook> CurrentPlaybook() const;

 private:
  mutable std::mutex playbook_mu_;
  std::shared_ptr<const Playbook> playbook_;
  StateStore& store_;
  const Clock& clock_;
};

}  // namespace wache::bot
