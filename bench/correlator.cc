#include "bench/correlator.h"

#include <atomic>
#include <charconv>
#include <cstdlib>
#include <new>

namespace wache::bench {

Correlator::Correlator(std::string sender_prefix, uint64_t capacity)
    : prefix_(std::move(sender_prefix)), capacity_(capacity) {
  intended_ns_ = static_cast<int64_t*>(std::calloc(capacity, sizeof(int64_t)));
  first_reply_ns_ = static_cast<int64_t*>(std::calloc(capacity, sizeof(int64_t)));
  accepted_ = static_cast<uint8_t*>(std::calloc(capacity, 1));
  if (!intended_ns_ || !first_reply_ns_ || !accepted_) throw std::bad_alloc();
}

Correlator::~Correlator() {
  std::free(intended_ns_);
  std::free(first_reply_ns_);
  std::free(accepted_);
}

void Correlator::MarkSent(uint64_t index, int64_t intended_ns) {
  std::atomic_ref<int64_t>(intended_ns_[index]).store(intended_ns, std::memory_order_release);
  sent_total_.fetch_add(1);
}

void Correlator::MarkFailed() {
  failed_total_.fetch_add(1);
  if (waiters_.load() > 0) {
    std::lock_guard lock(mu_);
    room_cv_.notify_all();
  }
}

uint64_t Correlator::Outstanding() const {
  const uint64_t done = answered_total_.load() + failed_total_.load();
  const uint64_t sent = sent_total_.load();
  return sent > done ? sent - done : 0;
}

bool Correlator::WaitForRoom(uint64_t limit, std::chrono::milliseconds max) {
  if (Outstanding() < limit) return true;
  std::unique_lock lock(mu_);
  // Counted before the predicate is checked again (all seq_cst): a reply landing in between
  // either is seen by the check or sees the waiter and notifies.
  waiters_.fetch_add(1);
  bool ok = room_cv_.wait_for(lock, max, [&] { return Outstanding() < limit; });
  waiters_.fetch_sub(1);
  return ok;
}

void Correlator::MarkAccepted(uint64_t index) {
  std::atomic_ref<uint8_t>(accepted_[index]).store(1, std::memory_order_release);
}

bool Correlator::OnReply(std::string_view recipient, int64_t now_ns) {
  uint64_t index = 0;
  if (recipient.size() <= prefix_.size() || recipient.substr(0, prefix_.size()) != prefix_) {
    unknown_.fetch_add(1);
    return false;
  }
  const char* first = recipient.data() + prefix_.size();
  const char* last = recipient.data() + recipient.size();
  auto [end, ec] = std::from_chars(first, last, index);
  if (ec != std::errc() || end != last || index >= capacity_) {
    unknown_.fetch_add(1);
    return false;
  }
  int64_t expected = 0;
  // Only the first reply counts for latency; later parts of the same answer are just calls.
  if (std::atomic_ref<int64_t>(first_reply_ns_[index]).compare_exchange_strong(expected, now_ns)) {
    answered_total_.fetch_add(1);
    if (waiters_.load() > 0) {
      std::lock_guard lock(mu_);
      room_cv_.notify_all();
    }
  }
  return true;
}

Correlator::RangeStats Correlator::Collect(uint64_t begin, uint64_t end, bool with_latencies,
                                           const std::function<bool(uint64_t)>& mark) const {
  RangeStats r;
  if (end > capacity_) end = capacity_;
  for (uint64_t i = begin; i < end; ++i) {
    int64_t intended = std::atomic_ref<int64_t>(intended_ns_[i]).load(std::memory_order_acquire);
    if (intended == 0) continue;
    ++r.sent;
    if (!std::atomic_ref<uint8_t>(accepted_[i]).load(std::memory_order_acquire)) continue;
    ++r.accepted;
    int64_t reply = std::atomic_ref<int64_t>(first_reply_ns_[i]).load(std::memory_order_acquire);
    if (reply == 0) continue;
    ++r.answered;
    if (reply > r.last_reply_ns) r.last_reply_ns = reply;
    if (with_latencies) {
      r.latency_ns.push_back(reply - intended);
      if (mark && mark(i)) r.marked_latency_ns.push_back(reply - intended);
    }
  }
  return r;
}

}  // namespace wache::bench
