// Matches replies to the webhooks that caused them. Every generated message has its own
// sender id, `prefix + index`; the gateway answers that sender, so the sink reads the
// recipient of each send call, recovers the index and stamps the reply's arrival. The table
// is indexed by message number and allocated with calloc, so only the pages of messages
// really sent become resident.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace wache::bench {

class Correlator {
 public:
  Correlator(std::string sender_prefix, uint64_t capacity);
  ~Correlator();
  Correlator(const Correlator&) = delete;
  Correlator& operator=(const Correlator&) = delete;

  uint64_t capacity() const { return capacity_; }
  std::string SenderOf(uint64_t index) const { return prefix_ + std::to_string(index); }

  // The generator: the time the message was meant to be sent (set before sending), and
  // that the gateway answered 200.
  void MarkSent(uint64_t index, int64_t intended_ns);
  void MarkAccepted(uint64_t index);
  void MarkFailed();  // no 200: no reply will come

  // Messages sent and neither answered by a reply nor failed, over the whole run.
  uint64_t Outstanding() const;
  // Waits until Outstanding() < limit, at most `max`; false on timeout. Keeps the backlog
  // inside the server bounded in the closed-loop phases.
  bool WaitForRoom(uint64_t limit, std::chrono::milliseconds max);

  // The sink: a send call to `recipient` arrived at `now_ns`. Returns false for a recipient
  // that is not one of ours (counted in unknown()).
  bool OnReply(std::string_view recipient, int64_t now_ns);
  uint64_t unknown() const { return unknown_.load(); }

  struct RangeStats {
    uint64_t sent = 0;
    uint64_t accepted = 0;
    uint64_t answered = 0;            // accepted messages with at least one reply
    int64_t last_reply_ns = 0;        // latest first reply among them
    std::vector<int64_t> latency_ns;  // intended send time -> first reply, per answered message
    std::vector<int64_t> marked_latency_ns;  // the same for the messages `mark` picks
  };
  // Messages [begin, end). `mark` (optional) picks messages whose latencies are also
  // collected apart (the emergencies).
  RangeStats Collect(uint64_t begin, uint64_t end, bool with_latencies,
                     const std::function<bool(uint64_t)>& mark = {}) const;

 private:
  std::string prefix_;
  uint64_t capacity_;
  int64_t* intended_ns_;     // 0: not sent
  int64_t* first_reply_ns_;  // 0: no reply yet
  uint8_t* accepted_;
  std::atomic<uint64_t> unknown_{0};
  std::atomic<uint64_t> sent_total_{0}, answered_total_{0}, failed_total_{0};
  std::atomic<int> waiters_{0};
  std::mutex mu_;
  std::condition_variable room_cv_;
};

}  // namespace wache::bench
