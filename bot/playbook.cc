#include "bot/playbook.h"

#include <atomic>

#include "bot/flow_loader.h"

namespace wache::bot {

std::shared_ptr<const Playbook> Playbook::FromParts(FlowSet flows, TemplateSet templates,
                                                    Diagnostics& diags) {
  auto p = std::make_shared<Playbook>();
  p->flows = std::move(flows);
  p->templates = std::move(templates);
  // Build after the parts are in place: the matcher keeps pointers into them.
  p->matcher = Matcher::Build(p->flows, p->templates, diags);
  static std::atomic<uint64_t> serials{0};
  p->serial = ++serials;
  return p;
}

std::shared_ptr<const Playbook> Playbook::Load(const std::string& flows_dir,
                                               const std::string& templates_dir,
                                               Diagnostics& diags) {
  FlowSet flows = LoadFlowDir(flows_dir, diags);
  TemplateSet templates = TemplateSet::LoadDir(templates_dir, diags);
  return FromParts(std::move(flows), std::move(templates), diags);
}

}  // namespace wache::bot
