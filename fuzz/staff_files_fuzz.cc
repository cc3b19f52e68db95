// libFuzzer target: the files staff and operators edit (flows, templates, wache.yaml), read
// from any bytes. Whatever is in them, loading and checking must end in diagnostics, never
// in a crash, a hang or undefined behaviour. The first byte picks the kind of file; the
// rest is its text. A flow file is checked with the shipped templates and config, a
// template file with the shipped flows and config, as `wache check` would
// (Playbook::FromParts and the validator). The other shipped flows are left out of a flow
// file's check: with them, a run tried 20 inputs a second instead of hundreds.
#include <cstddef>
#include <cstdint>
#include <string>

#include "bot/accounts.h"
#include "bot/diagnostics.h"
#include "bot/flow_loader.h"
#include "bot/playbook.h"
#include "bot/templates.h"
#include "bot/validator.h"

namespace {

using namespace wache::bot;

const std::string kFlows = WACHE_SOURCE_DIR "/flows";
const std::string kTemplates = WACHE_SOURCE_DIR "/templates";
const std::string kConfig = WACHE_SOURCE_DIR "/config/wache.yaml";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const int kind = data[0] % 3;
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  Diagnostics diags;
  if (kind == 2) {
    // Relative paths in it point nowhere: only the text itself is under test.
    (void)LoadConfigString(text, "wache.yaml", "/nonexistent-wache-fuzz", diags);
    (void)diags.Format();
    return 0;
  }
  // Shipped parts are loaded once; each input is checked with copies of those it needs.
  static Diagnostics shipped_diags;
  static const FlowSet shipped_flows = LoadFlowDir(kFlows, shipped_diags);
  static const TemplateSet shipped_templates = TemplateSet::LoadDir(kTemplates, shipped_diags);
  FlowSet flows;
  TemplateSet templates = shipped_templates;
  if (kind == 0) {
    LoadFlowString(text, "flows/fuzz.yaml", flows, diags);
  } else {
    flows = shipped_flows;
    templates.LoadString(text, "templates/de/fuzz.yaml", "de", diags);
  }
  auto playbook = Playbook::FromParts(std::move(flows), std::move(templates), diags);
  static const GatewayConfig shipped_config = LoadConfig(kConfig, shipped_diags);
  Validate(*playbook, shipped_config, diags);
  (void)diags.Format();
  return 0;
}
