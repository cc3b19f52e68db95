#include "bot/conversation_state.h"

namespace wache::bot {

Result<std::optional<ConversationState>> MemoryStateStore::Load(const ConversationKey& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = states_.find(key.ToString());
  if (it == states_.end()) return std::optional<ConversationState>();
  return std::optional<ConversationState>(it->second);
}

Status MemoryStateStore::Save(const ConversationKey& key, const ConversationState& state) {
  std::lock_guard<std::mutex> lock(mu_);
  states_[key.ToString()] = state;
  return Status::Ok();
}

Status MemoryStateStore::Erase(const ConversationKey& key) {
  std::lock_guard<std::mutex> lock(mu_);
  states_.erase(key.ToString());
  return Status::Ok();
}

Result<int> MemoryStateStore::EraseIdleBefore(TimePoint cutoff) {
  std::lock_guard<std::mutex> lock(mu_);
  int n = 0;
  for (auto it = states_.begin(); it != states_.end();) {
    if (it->second.last_activity < cutoff) {
      it = states_.erase(it);
      ++n;
    } else {
      ++it;
    }
  }
  return n;
}

size_t MemoryStateStore::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return states_.size();
}

std::string EncodeRepliesByFlow(const std::map<std::string, int>& m) {
  std::string out;
  for (const auto& [flow, n] : m) {
    if (!out.empty()) out.push_back(',');
    out += flow + "=" + std::to_string(n);
  }
  return out;
}

std::map<std::string, int> DecodeRepliesByFlow(const std::string& s) {
  std::map<std::string, int> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t comma = s.find(',', i);
    if (comma == std::string::npos) comma = s.size();
    std::string item = s.substr(i, comma - i);
    size_t eq = item.find('=');
    if (eq != std::string::npos) {
      int n = 0;
      for (char c : item.substr(eq + 1)) {
        if (c >= '0' && c <= '9') n = n * 10 + (c - '0');
      }
      out[item.substr(0, eq)] = n;
    }
    i = comma + 1;
  }
  return out;
}

}  // namespace wache::bot
