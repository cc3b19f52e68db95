// Conversation state and the StateStore interface the engine keeps it in.
// One state per (platform, account, sender). Implementations: MemoryStateStore (here) and
// store::SqliteStateStore (store/). Both are safe to call from several threads.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "bot/clock.h"
#include "bot/status.h"

namespace wache::bot {

struct ConversationKey {
  std::string platform;
  std::string account;  // configured account id
  std::string sender;   // the platform's user id
  std::string ToString() const { return platform + '\x1f' + account + '\x1f' + sender; }
};

struct ConversationState {
  std::string flow;      // flow waiting for an answer; "" = none
  std::string step;      // step id (or "#<index>") of the pending question
  std::string language;  // "" = not chosen yet
  int retries = 0;       // not-understood answers to the pending question so far
  int turns = 0;         // messages handled in this conversation (picks text variations)
  TimePoint last_activity{};
  std::map<std::string, int> replies_by_flow;  // for flows with max_replies

  bool operator==(const ConversationState&) const = default;
};

class StateStore {
 public:
  virtual ~StateStore() = default;
  // nullopt if there is no state (never seen, erased or expired and cleaned up).
  virtual Result<std::optional<ConversationState>> Load(const ConversationKey& key) = 0;
  virtual Status Save(const ConversationKey& key, const ConversationState& state) = 0;
  virtual Status Erase(const ConversationKey& key) = 0;
  // Deletes conversations idle since before `cutoff`; returns how many.
  virtual Result<int> EraseIdleBefore(TimePoint cutoff) = 0;
};

class MemoryStateStore final : public StateStore {
 public:
  Result<std::optional<ConversationState>> Load(const ConversationKey& key) override;
  Status Save(const ConversationKey& key, const ConversationState& state) override;
  Status Erase(const ConversationKey& key) override;
  Result<int> EraseIdleBefore(TimePoint cutoff) override;
  size_t size() const;

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, ConversationState> states_;
};

// The flow/turn counters and maps of a state as a compact string, and back. Stores use it
// for the fields that are not worth their own column.
std::string EncodeRepliesByFlow(const std::map<std::string, int>& m);
std::map<std::string, int> DecodeRepliesByFlow(const std::string& s);

}  // namespace wache::bot
