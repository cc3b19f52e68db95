#include "app/loading.h"

#include <filesystem>
#include <set>

#include "bot/flow_loader.h"
#include "bot/validator.h"

namespace wache::app {

namespace fs = std::filesystem;

std::unique_ptr<Loaded> LoadAll(const CommonOptions& opts,
                                const std::vector<std::string>& flow_paths) {
  auto out = std::make_unique<Loaded>();
  out->config = bot::LoadConfig(opts.config, out->diags);
  if (!out->config.file.empty()) {
    out->webhook = webhook::LoadWebhookConfig(opts.config, out->config, out->diags);
    out->staff = webhook::staff::LoadStaffConfig(opts.config, out->config, out->diags);
  }
  if (!opts.flows.empty()) out->config.flows_dir = opts.flows;
  if (!opts.templates.empty()) out->config.templates_dir = opts.templates;

  bot::FlowSet flows;
  if (flow_paths.empty()) {
    flows = bot::LoadFlowDir(out->config.flows_dir, out->diags);
  } else {
    // Files given on the command line replace the shipped files of the same name, so a
    // flow being edited is checked together with the flows it refers to.
    std::set<std::string> replaced;
    std::vector<std::string> files;
    for (const auto& p : flow_paths) {
      for (const auto& f : bot::YamlFilesIn(p)) {
        files.push_back(f);
        replaced.insert(fs::path(f).filename().string());
      }
    }
    bool whole_folder = flow_paths.size() == 1 && fs::is_directory(flow_paths[0]);
    if (!whole_folder) {
      for (const auto& f : bot::YamlFilesIn(out->config.flows_dir)) {
        if (!replaced.count(fs::path(f).filename().string())) files.push_back(f);
      }
    }
    flows = bot::LoadFlowFiles(files, out->diags);
  }
  bot::TemplateSet templates = bot::TemplateSet::LoadDir(out->config.templates_dir, out->diags);
  out->playbook = bot::Playbook::FromParts(std::move(flows), std::move(templates), out->diags);
  bot::Validate(*out->playbook, out->config, out->diags);
  return out;
}

const bot::Account* ChooseAccount(const bot::GatewayConfig& config, const std::string& platform,
                                  const std::string& account_id) {
  if (!account_id.empty()) return config.FindAccount(account_id);
  for (const auto& a : config.accounts) {
    if (platform.empty() || a.platform == platform) return &a;
  }
  return nullptr;
}

bool ReportLoad(const Loaded& loaded, std::ostream& err) {
  if (!loaded.diags.has_errors()) return true;
  err << loaded.diags.Format();
  err << "wache: " << loaded.diags.error_count()
      << " error(s) in flows, templates or config; run 'wache check' for details\n";
  return false;
}

}  // namespace wache::app
