#include "webhook/connection_threads.h"

#include <algorithm>

namespace wache::webhook {

ConnectionThreads::ConnectionThreads(size_t max_threads, std::function<void()> on_start)
    : max_threads_(std::max<size_t>(1, max_threads)), on_start_(std::move(on_start)) {}

ConnectionThreads::~ConnectionThreads() { shutdown(); }

void ConnectionThreads::enqueue(std::function<void()> job) {
  std::lock_guard lock(mu_);
  if (!idle_.empty()) {
    Worker* w = idle_.back();
    idle_.pop_back();
    w->job = std::move(job);
    w->wake.notify_one();
    return;
  }
  if (workers_.size() < max_threads_ && !stopping_) {
    auto w = std::make_unique<Worker>();
    w->job = std::move(job);
    Worker& ref = *w;
    workers_.push_back(std::move(w));
    ref.thread = std::thread([this, &ref] { Run(ref); });
    return;
  }
  waiting_.push_back(std::move(job));
}

void ConnectionThreads::Run(Worker& self) {
  if (on_start_) on_start_();
  std::unique_lock lock(mu_);
  while (true) {
    if (!self.job && !waiting_.empty()) {
      self.job = std::move(waiting_.front());
      waiting_.pop_front();
    }
    if (self.job) {
      std::function<void()> job = std::move(self.job);
      self.job = nullptr;
      lock.unlock();
      job();
      lock.lock();
      continue;
    }
    if (stopping_) return;
    idle_.push_back(&self);
    self.wake.wait(lock, [&] { return self.job || stopping_; });
    if (!self.job) {  // stopping: leave the idle list; `waiting_` is served by the loop
      idle_.erase(std::find(idle_.begin(), idle_.end(), &self));
    }
  }
}

void ConnectionThreads::shutdown() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    for (Worker* w : idle_) w->wake.notify_one();
  }
  // No new workers are started from now on, so the list is stable.
  for (auto& w : workers_) {
    if (w->thread.joinable()) w->thread.join();
  }
}

size_t ConnectionThreads::threads_started() const {
  std::lock_guard lock(mu_);
  return workers_.size();
}

}  // namespace wache::webhook
