// PlaybookReloader: staff edit flows and templates while the gateway runs. A reload loads
// the files again and runs the full check (`wache check`) against the running config; only
// a version without errors replaces the running one, in one atomic swap (Engine::SetPlaybook).
// On any error the running version keeps serving and every problem is logged as a
// diagnostic with file, line and fix. Conversations continue: a conversation whose pending
// question vanished or changed is answered as a new message (engine), and an old button
// says "no longer current".
//
// Triggers: Reload() (SIGHUP in `wache serve`, tests), and a watcher that polls the files'
// modification times (portable, no inotify; a few stat calls per period).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "bot/accounts.h"
#include "bot/diagnostics.h"
#include "bot/playbook.h"

namespace wache::webhook {

class PlaybookReloader {
 public:
  using Apply = std::function<void(std::shared_ptr<const bot::Playbook>)>;

  // `config` is the running config (accounts, variables) the new files are checked
  // against; it must outlive the reloader. `apply` installs a checked playbook.
  PlaybookReloader(const bot::GatewayConfig& config, Apply apply);
  ~PlaybookReloader();

  struct Outcome {
    bool applied = false;
    int errors = 0, warnings = 0;
    std::string report;  // the diagnostics, one per line (file:line: level: message)
  };
  // Loads, checks and (if clean of errors) applies. Thread-safe; one reload at a time.
  Outcome Reload();

  // Polls the flow and template files every `period` and reloads when one changed, was
  // added or removed. Stop() or the destructor ends it.
  void Watch(std::chrono::milliseconds period);
  void Stop();

  uint64_t reloads() const { return reloads_; }  // applied reloads
  uint64_t refused() const { return refused_; }  // reloads refused for errors

 private:
  std::map<std::string, std::filesystem::file_time_type> Snapshot() const;

  const bot::GatewayConfig& config_;
  Apply apply_;
  std::mutex reload_mu_;
  std::atomic<uint64_t> reloads_{0}, refused_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread watcher_;
};

}  // namespace wache::webhook
