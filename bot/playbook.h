// Playbook: the flows, the templates and the compiled matcher, loaded and checked as one
// unit. Immutable once loaded, so a running gateway can swap in a new one atomically
// (shared_ptr) when staff edit files, and keep the old one if the new one has errors.
#pragma once

#include <memory>
#include <string>

#include "bot/diagnostics.h"
#include "bot/flow_model.h"
#include "bot/matcher.h"
#include "bot/templates.h"

namespace wache::bot {

struct Playbook {
  FlowSet flows;
  TemplateSet templates;
  std::unique_ptr<Matcher> matcher;
  // Unique per built playbook (never reused, unlike an address after a live reload): what
  // was worked out with one playbook is reused only with the same one (Engine::CheckInterrupt).
  uint64_t serial = 0;

  // Loads flows_dir/*.yaml and templates_dir/<lang>/*.yaml. Problems go to `diags`;
  // the result is usable as far as it could be read (check `diags.has_errors()`).
  static std::shared_ptr<const Playbook> Load(const std::string& flows_dir,
                                              const std::string& templates_dir, Diagnostics& diags);
  // From already-loaded parts (tests build playbooks from strings).
  static std::shared_ptr<const Playbook> FromParts(FlowSet flows, TemplateSet templates,
                                                   Diagnostics& diags);
};

}  // namespace wache::bot
