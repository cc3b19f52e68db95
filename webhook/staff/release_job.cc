#include "webhook/staff/release_job.h"

#include <spdlog/spdlog.h>

namespace wache::webhook::staff {

ReleaseJob::ReleaseJob(HandoverDesk& desk, HandoverStore& store, const bot::Clock& clock,
                       int retention_days, std::chrono::milliseconds period)
    : desk_(desk), store_(store), clock_(clock), retention_days_(retention_days), period_(period) {}

ReleaseJob::~ReleaseJob() { Stop(); }

void ReleaseJob::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void ReleaseJob::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ReleaseJob::Loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    desk_.ReleaseIdle();
    if (retention_days_ > 0) {
      auto erased =
          store_.EraseClosedBefore(clock_.Now() - std::chrono::hours(24 * retention_days_));
      if (!erased.ok()) {
        spdlog::error("hand-over retention failed: {}", erased.status().message());
      } else if (erased.value() > 0) {
        spdlog::info("retention ({} days): deleted {} closed hand-overs", retention_days_,
                     erased.value());
      }
    }
    lock.lock();
    cv_.wait_for(lock, period_, [this] { return stopping_; });
  }
}

}  // namespace wache::webhook::staff
