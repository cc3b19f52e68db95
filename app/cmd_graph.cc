#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/commands.h"
#include "app/loading.h"
#include "bot/flow_graph.h"

namespace wache::app {

namespace fs = std::filesystem;

namespace {

bool WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    std::cerr << "wache graph: cannot write " << path.string() << "\n";
    return false;
  }
  return true;
}

}  // namespace

int RunGraph(const CommonOptions& opts, const std::string& format, const std::string& flow_name,
             const std::string& out_dir) {
  auto parsed = bot::ParseGraphFormat(format);
  if (!parsed) {
    std::cerr << "wache graph: unknown format '" << format << "'; use mermaid or dot\n";
    return 2;
  }
  bot::GraphOptions options;
  options.format = *parsed;

  // The same loading as `wache check`: a diagram of flows with errors would mislead.
  auto loaded = LoadAll(opts);
  if (!ReportLoad(*loaded, std::cerr)) return 1;
  const bot::FlowSet& flows = loaded->playbook->flows;

  std::vector<const bot::Flow*> selected;
  if (flow_name.empty()) {
    for (const auto& f : flows.flows) selected.push_back(&f);
  } else if (const bot::Flow* f = flows.Find(flow_name)) {
    selected.push_back(f);
  } else {
    std::string names;
    for (const auto& n : flows.Names()) names += (names.empty() ? "" : ", ") + n;
    std::cerr << "wache graph: no flow named '" << flow_name << "'; the flows are: " << names
              << "\n";
    return 2;
  }

  if (out_dir.empty()) {
    std::cout << (flow_name.empty() ? bot::AllFlowGraphs(flows, options)
                                    : bot::FlowGraph(flows, *selected.front(), options));
    return 0;
  }

  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) {
    std::cerr << "wache graph: cannot create " << out_dir << ": " << ec.message() << "\n";
    return 1;
  }
  const std::string ext = bot::GraphFileExtension(options.format);
  for (const bot::Flow* f : selected) {
    if (!WriteFile(fs::path(out_dir) / (f->name + "." + ext), bot::FlowGraph(flows, *f, options))) {
      return 1;
    }
  }
  std::cout << "wache graph: wrote " << selected.size() << " diagram(s) (." << ext << ")";
  // The page always shows every flow, so drawing one flow keeps it complete and current.
  if (options.format == bot::GraphFormat::kMermaid) {
    if (!WriteFile(fs::path(out_dir) / "README.md", bot::FlowGraphsMarkdown(flows, options))) {
      return 1;
    }
    std::cout << " and README.md with all " << flows.flows.size() << " flows";
  }
  std::cout << " to " << out_dir << "\n";
  return 0;
}

}  // namespace wache::app
