// Flow diagrams (`wache graph`): each loaded flow drawn as a Mermaid flowchart or a Graphviz
// digraph, for staff reviews and the docs. Pure functions of the flow model: the same flows
// give the same text, byte for byte, so generated diagrams can be committed and diffed.
//
// What a diagram shows, in both formats:
//   - the flow's triggers as rounded nodes, each summarised (the first few keywords per
//     language, "+N more"; all_of groups, pattern counts, except phrases), with an edge to
//     the step they start at; a flow without triggers gets one node saying how it is reached;
//   - every step in file order: its id (or "#N" for a step without id), its kind and
//     template key ("say report.online_station", "ask applicant.menu"), and "handover to
//     staff" where it hands over;
//   - a question's choices as edges labelled with the button's label key (and its id where
//     that differs); the not-understood rule as dashed edges (ask again, then give up);
//   - jumps to other flows as double-bordered nodes naming the target flow, and `end`;
//   - interrupt flows (and jumps to them) styled red, the priority in the diagram's title.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bot/flow_model.h"

namespace wache::bot {

enum class GraphFormat {
  kMermaid,  // `flowchart TD`, rendered by GitHub in ```mermaid blocks
  kDot,      // Graphviz `digraph`, for `dot -Tsvg`
};

// "mermaid" or "dot" (also "graphviz", "gv"); nullopt for anything else.
std::optional<GraphFormat> ParseGraphFormat(std::string_view name);
// The file name extension without the dot: "mmd" or "dot".
std::string GraphFileExtension(GraphFormat format);

struct GraphOptions {
  GraphFormat format = GraphFormat::kMermaid;
  int keywords_per_language = 3;  // shown per language in a trigger node, then "+N more"
};

// One flow as one diagram. `flows` is the whole set: it tells which flow a not-understood
// rule without `then:` falls back to, and which jump targets are interrupt flows.
std::string FlowGraph(const FlowSet& flows, const Flow& flow, const GraphOptions& options = {});

// Every flow in load order, one diagram each, separated by a blank line. (A Mermaid file
// holds one diagram; write one file per flow to render them.)
std::string AllFlowGraphs(const FlowSet& flows, const GraphOptions& options = {});

// A Markdown page embedding every flow's Mermaid diagram in a ```mermaid block (GitHub
// renders them), a legend and a link to each flow's own `<flow>.mmd` file next to it.
std::string FlowGraphsMarkdown(const FlowSet& flows, const GraphOptions& options = {});

// The node id of step `index` of `flow`: "s_" + the step id with anything but ASCII letters,
// digits and '_' replaced by '_' (numbered on a clash), or "step<N>" for a step without id.
// Safe in both formats and never a Mermaid or DOT keyword.
std::string StepNodeId(const Flow& flow, size_t index);

}  // namespace wache::bot
