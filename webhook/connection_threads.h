// ConnectionThreads: the threads that serve the HTTP server's connections (an
// httplib::TaskQueue). cpp-httplib keeps one thread per open connection for as long as the
// connection stays alive, so the thread count is the number of platform connections served at
// once; with httplib's default of 8, the ninth kept-alive connection waited (16 connections
// at half load: reply p50 16 ms, p99 65 ms, instead of 0.6 / 1.7 ms with enough threads).
//
// Up to `max_threads`, started when needed, never more than the connections open at once.
// The thread that became idle last takes the next connection (a stack, not a queue): every
// thread that serves a request keeps some memory of its own (glibc's per-thread caches), so
// with a queue all 64 threads of a pool took turns and the server's RSS went from 27 to
// 62 MB under 4 connections; this way only as many threads get warm as the load needs.
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace wache::webhook {

class ConnectionThreads final : public httplib::TaskQueue {
 public:
  // `on_start` runs first on every thread it starts.
  explicit ConnectionThreads(size_t max_threads, std::function<void()> on_start = nullptr);
  ~ConnectionThreads() override;

  // A connection to serve: an idle thread takes it, else a new thread while fewer than
  // `max_threads` exist, else it waits for the next thread to become idle.
  void enqueue(std::function<void()> job) override;
  // Lets waiting connections be served, then ends and joins every thread.
  void shutdown() override;

  size_t threads_started() const;  // for tests

 private:
  struct Worker {
    std::condition_variable wake;
    std::function<void()> job;  // set while the worker is handed a connection
    std::thread thread;
  };
  void Run(Worker& self);

  const size_t max_threads_;
  const std::function<void()> on_start_;
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<Worker*> idle_;  // the most recently idle last
  std::deque<std::function<void()>> waiting_;
  bool stopping_ = false;
};

}  // namespace wache::webhook
