#include "webhook/retention.h"

#include <spdlog/spdlog.h>

namespace wache::webhook {

Result<RetentionResult> ApplyRetention(DeliveryStore& delivery, bot::StateStore& state,
                                       bot::TimePoint cutoff) {
  auto n = delivery.AnonymiseBefore(cutoff);
  if (!n.ok()) return n.status();
  auto m = state.EraseIdleBefore(cutoff);
  if (!m.ok()) return m.status();
  return RetentionResult{n.value(), m.value()};
}

RetentionJob::RetentionJob(DeliveryStore& delivery, bot::StateStore& state, const bot::Clock& clock,
                           int days, std::chrono::milliseconds period)
    : delivery_(delivery), state_(state), clock_(clock), days_(days), period_(period) {}

RetentionJob::~RetentionJob() { Stop(); }

void RetentionJob::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void RetentionJob::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RetentionJob::Loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    auto r = ApplyRetention(delivery_, state_, clock_.Now() - std::chrono::hours(24 * days_));
    if (!r.ok()) {
      // Retried at the next run; nothing is lost, the data is only kept a little longer.
      spdlog::error("retention run failed: {}", r.status().message());
    } else if (r.value().anonymised + r.value().erased > 0) {
      spdlog::info(
          "retention ({} days): anonymised {} stored messages and replies, erased {} "
          "conversations",
          days_, r.value().anonymised, r.value().erased);
    }
    lock.lock();
    cv_.wait_for(lock, period_, [this] { return stopping_; });
  }
}

}  // namespace wache::webhook
