#include "webhook/playbook_reloader.h"

#include <spdlog/spdlog.h>

#include "bot/flow_loader.h"
#include "bot/templates.h"
#include "bot/validator.h"
#include "bot/yaml_source.h"

namespace wache::webhook {

namespace fs = std::filesystem;

namespace {

// What only a restart can change: which accounts exist and where they are.
std::string AccountsKey(const bot::GatewayConfig& c) {
  std::string key;
  for (const auto& a : c.accounts)
    key += a.id + '\x1f' + a.platform + '\x1f' + a.platform_id + '\n';
  return key + c.flows_dir + '\n' + c.templates_dir + '\n' + c.database;
}

// The config file's server: and platforms: sections in canonical form ("" if unreadable:
// then LoadConfig reports the file). Comments and layout do not count as a change.
std::string RestartOnlySections(const std::string& file) {
  if (file.empty()) return "";
  bot::Diagnostics ignored;
  auto root = bot::LoadYamlFile(file, ignored);
  if (!root) return "";
  return (*root)["server"].Canonical() + "\n" + (*root)["platforms"].Canonical();
}

}  // namespace

PlaybookReloader::PlaybookReloader(const bot::GatewayConfig& config, Apply apply,
                                   SectionsHook sections)
    : config_(std::make_shared<const bot::GatewayConfig>(config)),
      apply_(std::move(apply)),
      sections_(std::move(sections)),
      restart_only_(RestartOnlySections(config.file)) {}

PlaybookReloader::~PlaybookReloader() { Stop(); }

PlaybookReloader::Outcome PlaybookReloader::Reload() {
  std::lock_guard guard(reload_mu_);
  bot::Diagnostics diags;
  auto config = config_;
  if (!config_->file.empty()) {
    config = std::make_shared<const bot::GatewayConfig>(bot::LoadConfig(config_->file, diags));
    if (!diags.has_errors() && AccountsKey(*config) != AccountsKey(*config_)) {
      diags.Error({config_->file, 1, 1},
                  "accounts were added, removed or given other platform ids, or the flows, "
                  "templates or database moved: restart wache serve for that (nothing was "
                  "reloaded)");
    }
    if (!diags.has_errors() && RestartOnlySections(config_->file) != restart_only_) {
      diags.Error({config_->file, 1, 1},
                  "server: or platforms: changed (port, workers, secrets, send APIs, limits): "
                  "restart wache serve for that (nothing was reloaded)");
    }
  }
  bot::FlowSet flows = bot::LoadFlowDir(config->flows_dir, diags);
  bot::TemplateSet templates = bot::TemplateSet::LoadDir(config->templates_dir, diags);
  auto playbook = bot::Playbook::FromParts(std::move(flows), std::move(templates), diags);
  bot::Validate(*playbook, *config, diags);
  std::function<void()> apply_sections;
  if (sections_ && !config_->file.empty()) apply_sections = sections_(*config, diags);
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
        "reload refused: {} error(s) in the config, flow or template files; the running "
        "version keeps serving. Fix them and save again (check with: wache check)",
        out.errors);
    return out;
  }
  const size_t flow_count = playbook->flows.flows.size();
  config_ = config;
  apply_(std::move(playbook), std::move(config));
  if (apply_sections) apply_sections();
  out.applied = true;
  ++reloads_;
  spdlog::info("reload applied: {} flows, {} warning(s)", flow_count, out.warnings);
  return out;
}

std::map<std::string, fs::file_time_type> PlaybookReloader::Snapshot() const {
  std::map<std::string, fs::file_time_type> out;
  std::error_code ec;
  if (!config_->file.empty()) {
    std::error_code ec;
    out[config_->file] = fs::last_write_time(config_->file, ec);
  }
  for (const auto& root : {config_->flows_dir, config_->templates_dir}) {
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
        spdlog::info("config, flow or template files changed: reloading");
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
