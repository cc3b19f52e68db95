// PlaybookReloader: staff edit flows, templates and the config's texts while the gateway
// runs. A reload loads the config file, the flows and the templates again and runs the
// full check (`wache check`); only a version without errors replaces the running one: the
// config first (variables, languages, stations, calendars), then the flows and templates,
// each in one atomic swap. Accounts themselves (added, removed, other platform ids or
// credentials) need a restart: such a reload is refused with that reason.
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
  // Installs a checked config (same accounts) and playbook, in that order.
  using Apply = std::function<void(std::shared_ptr<const bot::Playbook>,
                                   std::shared_ptr<const bot::GatewayConfig>)>;

  // The config file's other sections that can change live (the staff list): reads them
  // from the reloaded config, reports problems in `diags`, and returns what installs them
  // (called only if the whole reload is applied).
  using SectionsHook =
      std::function<std::function<void()>(const bot::GatewayConfig& config, bot::Diagnostics&)>;

  // `config` is the running config; its file is read again at each reload (if it has one).
  PlaybookReloader(const bot::GatewayConfig& config, Apply apply, SectionsHook sections = {});
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

  std::shared_ptr<const bot::GatewayConfig> config_;  // the one running now
  Apply apply_;
  SectionsHook sections_;
  // server: and platforms: as the running gateway read them (YAML text): the port, the
  // workers, secrets and send APIs are bound at start, so a change needs a restart.
  std::string restart_only_;
  std::mutex reload_mu_;
  std::atomic<uint64_t> reloads_{0}, refused_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread watcher_;
};

}  // namespace wache::webhook
