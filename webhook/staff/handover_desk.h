// HandoverDesk: the dispatcher's side of hand-overs to staff.
//
// Before the engine runs on a message: is the conversation with staff? (A hand-over idle
// longer than the limit is closed first, so the bot answers at once whatever the release
// job's timing.) While it is, the engine runs for interrupt flows only: an emergency is
// answered and marks the hand-over urgent; anything else is stored (the transcript shows
// it) and gets no reply.
//
// After the bot answered a conversation that is not with staff, a hand-over opens (waiting)
// when a flow step asked for one (the decision's "handover" flag) or when the fallback flow
// answered twice in a row (the bot did not understand twice).
//
// Every opening, urgent mark and automatic release is counted, logged without texts and
// written to the audit log as done by "wache".
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "bot/accounts.h"
#include "bot/clock.h"
#include "bot/engine.h"
#include "webhook/delivery.h"
#include "webhook/metrics.h"
#include "webhook/pseudonym.h"
#include "webhook/staff/handover_store.h"

namespace wache::webhook::staff {

struct HandoverSettings {
  // A hand-over without staff activity for this long returns to the bot.
  std::chrono::minutes idle{120};
  // The name of the flow that answers what nothing understood ("" = none), asked at each
  // message (flows are reloaded live): answering twice in a row opens a hand-over.
  std::function<std::string()> fallback_flow;
};

class HandoverDesk {
 public:
  // Everything passed by reference must outlive the desk.
  HandoverDesk(HandoverStore& store, const bot::Clock& clock, Metrics& metrics,
               const Pseudonymizer& pseudonym, HandoverSettings settings);

  // The open hand-over of the message's conversation, if any. A store failure answers
  // nullopt: the bot answers rather than nobody.
  std::optional<Handover> Current(const AcceptedMessage& m);
  // After the engine answered a message of a conversation that is not with staff.
  void AfterBot(const AcceptedMessage& m, const bot::Account& account, const bot::Decision& d);
  // After the engine ran (interrupts only) on a message during hand-over `h`.
  void DuringHandover(const AcceptedMessage& m, const Handover& h, const bot::Decision& d);
  // Returns hand-overs idle longer than the limit to the bot (the release job). How many.
  int ReleaseIdle();

  const HandoverSettings& settings() const { return settings_; }

 private:
  void Released(const Handover& h);

  HandoverStore& store_;
  const bot::Clock& clock_;
  Metrics& metrics_;
  const Pseudonymizer& pseudonym_;
  HandoverSettings settings_;
  // Conversations whose last answer came from the fallback flow. In memory: after a
  // restart a conversation needs two misses again, which is harmless. Bounded.
  std::mutex mu_;
  std::map<std::string, int> misses_;
};

}  // namespace wache::webhook::staff
