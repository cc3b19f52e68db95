// The background job of `wache serve` that returns idle hand-overs to the bot
// (server.handover_idle_minutes) and, with retention on, deletes hand-overs closed longer
// ago than server.retention_days (they name the person).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "webhook/staff/handover_desk.h"

namespace wache::webhook::staff {

class ReleaseJob {
 public:
  // `retention_days` 0: closed hand-overs are kept. Everything passed by reference must
  // outlive the job.
  ReleaseJob(HandoverDesk& desk, HandoverStore& store, const bot::Clock& clock, int retention_days,
             std::chrono::milliseconds period);
  ~ReleaseJob();
  // Runs at once, then every `period`, until Stop().
  void Start();
  void Stop();

 private:
  void Loop();

  HandoverDesk& desk_;
  HandoverStore& store_;
  const bot::Clock& clock_;
  int retention_days_;
  std::chrono::milliseconds period_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace wache::webhook::staff
