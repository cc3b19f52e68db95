#include "webhook/playbook_reloader.h"

#include <spdlog/spdlog.h>

#include "bot/flow_loader.h"
#include "bot/templates.h"
#include "bot/validator.h"
#include "bot/yaml_source.h"

namespace wache::webhook {

namespace fs = std::filesystem;

PlaybookReloader::PlaybookReloader(const bot::GatewayConfig& config, Apply apply)
    : config_(config), apply_(std::move(apply)) {}

PlaybookReloader::~PlaybookReloader() { Stop(); }

PlaybookReloader::Outcome PlaybookReloader::Reload() {
  std::lock_guard guard(reload_mu_);
  bot::Diagnostics diags;
  bot::FlowSet flows = bot::LoadFlowDir(config_.flows_dir, diags);
  bot::TemplateSet templates = bot::TemplateSet::LoadDir(config_.templates_dir, diags);
  auto playbook = bot::Playbook::FromParts(std::move(flows), std::move(templates), diags);
  bot::Validate(*playbook, config_, diags);
  Outcome out;
  out.errors = diags.error_count();
  out.warnings = diags.warning_count();
  out.report = diags.Format();
  // Each diagnostic on its own log line, so a log search for the file finds it.
  for (const auto& d : diags.all()) {
    const std::string line = d.where.file + ":" + std::to_string(d.where.line) + ":" +
                             std::to_string(d.where.column) + ": " + d.message;
    if (d.severity == bot::Severity::kError) {
      spdlog::error("reload: {}", line);
    } else {
      spdlog::warn("reload: {}", line);
    }
  }
  if (out.errors > 0) {
    ++refused_;
    spdlog::error(
        "reload refused: {} error(s) in the flow or template files; the running version "
        "keeps serving. Fix them and save again (check with: wache check)",
        out.errors);
    return out;
  }
  const size_t flow_count = playbook->flows.flows.size();
  apply_(std::move(playbook));
  out.applied = true;
  ++reloads_;
  spdlog::info("reload applied: {} flows, {} warning(s)", flow_count, out.warnings);
  return out;
}

std::map<std::string, fs::file_time_type> PlaybookReloader::Snapshot() const {
  std::map<std::string, fs::file_time_type> out;
  std::error_code ec;
  for (const auto& root : {config_.flows_dir, config_.templates_dir}) {
    for (auto it = fs::recursive_directory_iterator(root, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const auto ext = it->path().extension();
      if (ext != ".yaml" && ext != ".yml") continue;
      out[it->path().string()] = it->last_write_time(ec);
    }
  }
  return out;
}

void PlaybookReloader::Watch(std::chrono::milliseconds period) {
  watcher_ = std::thread([this, period] {
    auto seen = Snapshot();
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, period, [this] { return stopping_; })) {
      lock.unlock();
      auto now = Snapshot();
      if (now != seen) {
        // An editor may save in several steps; the next change triggers another reload.
        seen = std::move(now);
        spdlog::info("flow or template files changed: reloading");
        Reload();
      }
      lock.lock();
    }
  });
}

void PlaybookReloader::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (watcher_.joinable()) watcher_.join();
}

}  // namespace wache::webhook
