// Loads flow files (flows/*.yaml) into a FlowSet. Every structural problem (bad YAML,
// unknown keys, wrong types, missing fields) becomes a Diagnostic; loading never stops
// at the first problem. Cross-references (unknown steps, flows, templates) are checked
// by the validator, which sees flows, templates and config together.
#pragma once

#include <string>
#include <vector>

#include "bot/diagnostics.h"
#include "bot/flow_model.h"

namespace wache::bot {

// Loads one file and appends its flow to `out`. A file with errors is still appended as
// far as it could be read, so that later checks can report more.
void LoadFlowFile(const std::string& path, FlowSet& out, Diagnostics& diags);
// Parses flow YAML held in memory; `name` is used in diagnostics.
void LoadFlowString(const std::string& yaml, const std::string& name, FlowSet& out,
                    Diagnostics& diags);
// Loads every *.yaml / *.yml file in `dir`, in name order.
FlowSet LoadFlowDir(const std::string& dir, Diagnostics& diags);
// Loads these files, in this order (read in parallel; bot/parallel.h).
FlowSet LoadFlowFiles(const std::vector<std::string>& files, Diagnostics& diags);

// Lists *.yaml / *.yml files in a directory, sorted; a file path is returned as is.
std::vector<std::string> YamlFilesIn(const std::string& path);

}  // namespace wache::bot
