// Retention: message texts and user ids are kept only as long as the force's rule says
// (default 30 days). `wache serve` applies it every hour in the background; `wache erase
// --older-than-days N` applies it once.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "bot/clock.h"
#include "bot/conversation_state.h"
#include "webhook/delivery_store.h"

namespace wache::webhook {

struct RetentionResult {
  int anonymised = 0;  // stored messages and replies blanked
  int erased = 0;      // conversations erased
};

// Anonymises finished messages and replies and erases conversations idle since `cutoff`.
Result<RetentionResult> ApplyRetention(DeliveryStore& delivery, bot::StateStore& state,
                                       bot::TimePoint cutoff);

class RetentionJob {
 public:
  // Everything passed by reference must outlive the job. `days` > 0.
  RetentionJob(DeliveryStore& delivery, bot::StateStore& state, const bot::Clock& clock, int days,
               std::chrono::milliseconds period = std::chrono::hours(1));
  ~RetentionJob();
  // Runs once at once, then every `period`, until Stop().
  void Start();
  void Stop();

 private:
  void Loop();

  DeliveryStore& delivery_;
  bot::StateStore& state_;
  const bot::Clock& clock_;
  int days_;
  std::chrono::milliseconds period_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace wache::webhook
