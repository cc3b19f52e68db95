#include "bot/flow_graph.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>
#include <vector>

namespace wache::bot {
namespace {

// The diagram, independent of the output format: built once from the flow, then written
// as Mermaid or DOT. Labels are kept as plain text lines and escaped only when written.
enum class NodeKind { kTrigger, kStart, kSay, kAsk, kPlain, kJump, kEnd };

struct Node {
  std::string id;
  NodeKind kind = NodeKind::kPlain;
  std::vector<std::string> lines;
  bool interrupt = false;  // a node of an interrupt flow, or a jump to one
  bool handover = false;
};

struct Edge {
  std::string from;
  std::string to;
  std::string label;
  bool dashed = false;  // not understood
};

struct Graph {
  std::string name;
  std::string title;               // "flow emergency (priority: interrupt)"
  std::vector<std::string> notes;  // description, what the priority means, flags, limits
  std::string description;
  std::vector<Node> nodes;
  std::vector<Edge> edges;
};

const char kEndId[] = "done";  // "end" is a Mermaid keyword

const char* PriorityName(Priority p) {
  switch (p) {
    case Priority::kInterrupt:
      return "interrupt";
    case Priority::kNotice:
      return "notice";
    case Priority::kNormal:
      return "normal";
    case Priority::kLow:
      return "low";
    case Priority::kFallback:
      return "fallback";
  }
  return "normal";
}

const char* PriorityMeaning(Priority p) {
  switch (p) {
    case Priority::kInterrupt:
      return "checked first on every message, even in the middle of another flow's question";
    case Priority::kNotice:
      return "adds its answer in front of whatever answers the message, never in front of an "
             "emergency answer; does not change where the conversation stands";
    case Priority::kNormal:
      return "started by its triggers when no interrupt flow matched";
    case Priority::kLow:
      return "small talk: answers only when no normal flow matched";
    case Priority::kFallback:
      return "answers what no other flow understood";
  }
  return "";
}

// ASCII letters, digits and '_' stay; anything else becomes '_'.
std::string Sanitize(std::string_view s) {
  std::string out;
  for (char c : s) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    out += ok ? c : '_';
  }
  return out;
}

// Hands out node ids, numbering a clash ("s_a_b", "s_a_b_2").
class IdAllocator {
 public:
  std::string Take(const std::string& base) {
    std::string id = base;
    for (int n = 2; !used_.insert(id).second; ++n) id = base + "_" + std::to_string(n);
    return id;
  }

 private:
  std::set<std::string> used_;
};

std::vector<std::string> StepNodeIds(const Flow& flow) {
  IdAllocator ids;
  std::vector<std::string> out;
  for (size_t i = 0; i < flow.steps.size(); ++i) {
    const Step& s = flow.steps[i];
    out.push_back(ids.Take(s.id.empty() ? "step" + std::to_string(i + 1) : "s_" + Sanitize(s.id)));
  }
  return out;
}

std::string StepName(const Step& s, size_t index) {
  return s.id.empty() ? "#" + std::to_string(index + 1) : s.id;
}

// "a, b, c +4 more"
std::string ShortList(const std::vector<std::string>& words, int shown) {
  std::string out;
  const size_t n = std::min(words.size(), static_cast<size_t>(std::max(shown, 1)));
  for (size_t i = 0; i < n; ++i) out += (i ? ", " : "") + words[i];
  if (words.size() > n) out += " +" + std::to_string(words.size() - n) + " more";
  return out;
}

std::vector<std::string> Texts(const std::vector<Keyword>& keywords) {
  std::vector<std::string> out;
  for (const auto& k : keywords) out.push_back(k.text);
  return out;
}

std::string Counted(size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// One line per language (in the order the file names them), then all_of groups, patterns
// and except phrases.
std::vector<std::string> TriggerSummary(const Trigger& t, int shown) {
  std::vector<std::pair<std::string, std::vector<std::string>>> by_language;
  for (const auto& k : t.keywords) {
    auto it = std::find_if(by_language.begin(), by_language.end(),
                           [&](const auto& entry) { return entry.first == k.language; });
    if (it == by_language.end()) {
      by_language.push_back({k.language, {}});
      it = by_language.end() - 1;
    }
    it->second.push_back(k.text);
  }
  std::vector<std::string> lines;
  for (const auto& [language, words] : by_language) {
    lines.push_back((language.empty() ? "any" : language) + ": " + ShortList(words, shown));
  }
  for (size_t i = 0; i < t.all_of.size(); ++i) {
    lines.push_back((i == 0 ? "all of: " : "and: ") + ShortList(Texts(t.all_of[i]), shown));
  }
  std::string patterns;
  if (!t.patterns.empty()) patterns = Counted(t.patterns.size(), "pattern", "patterns");
  if (!t.raw_patterns.empty()) {
    patterns += (patterns.empty() ? "" : ", ") +
                Counted(t.raw_patterns.size(), "raw pattern", "raw patterns");
  }
  if (!patterns.empty()) lines.push_back(patterns);
  if (!t.except.empty()) lines.push_back("except: " + ShortList(Texts(t.except), shown));
  if (lines.empty()) lines.push_back("(matches nothing)");
  return lines;
}

class GraphBuilder {
 public:
  GraphBuilder(const FlowSet& flows, const Flow& flow, const GraphOptions& options)
      : flows_(flows), flow_(flow), options_(options), step_ids_(StepNodeIds(flow)) {}

  Graph Build() {
    const bool interrupt = flow_.priority == Priority::kInterrupt;
    g_.name = flow_.name;
    g_.description = flow_.description;
    g_.title = "flow " + flow_.name + " (priority: " + PriorityName(flow_.priority) + ")";
    if (!flow_.description.empty()) g_.notes.push_back(flow_.description);
    g_.notes.push_back(std::string("priority ") + PriorityName(flow_.priority) + ": " +
                       PriorityMeaning(flow_.priority));
    if (!flow_.stations.empty()) {
      std::string stations;
      for (const auto& st : flow_.stations) stations += (stations.empty() ? "" : ", ") + st;
      g_.notes.push_back("only for the accounts of station(s) " + stations);
    }
    if (!flow_.flags.empty()) {
      std::string flags;
      for (const auto& f : flow_.flags) flags += (flags.empty() ? "" : ", ") + f;
      g_.notes.push_back("flags: " + flags);
    }
    if (flow_.max_replies > 0) {
      g_.notes.push_back("answers at most " + Counted(flow_.max_replies, "time", "times") +
                         " per conversation, then stays silent");
    }

    const std::string first = flow_.steps.empty() ? EndNode() : step_ids_[0];
    if (flow_.triggers.empty()) {
      Node start{"start", NodeKind::kStart, {StartText()}, interrupt, false};
      g_.nodes.push_back(start);
      g_.edges.push_back({"start", first, "", false});
    }
    for (size_t i = 0; i < flow_.triggers.size(); ++i) {
      const Trigger& t = flow_.triggers[i];
      Node n{"t" + std::to_string(i + 1), NodeKind::kTrigger, {}, interrupt, false};
      n.lines.push_back(flow_.triggers.size() == 1 ? "trigger"
                                                   : "trigger " + std::to_string(i + 1));
      for (auto& line : TriggerSummary(t, options_.keywords_per_language)) n.lines.push_back(line);
      g_.nodes.push_back(n);
      std::string to = first;
      if (!t.start_at.empty()) to = StepTarget(t.start_at);
      g_.edges.push_back({n.id, to, t.start_at.empty() ? "" : "start_at", false});
    }
    for (size_t i = 0; i < flow_.steps.size(); ++i) AddStep(i, interrupt);

    for (auto& n : extra_) g_.nodes.push_back(std::move(n));
    if (end_used_) g_.nodes.push_back({kEndId, NodeKind::kEnd, {"end"}, false, false});
    return std::move(g_);
  }

 private:
  std::string StartText() const {
    switch (flow_.priority) {
      case Priority::kFallback:
        return "anything no other flow understood";
      default:
        return "no triggers: reached only from other flows";
    }
  }

  std::string EndNode() {
    end_used_ = true;
    return kEndId;
  }

  std::string StepTarget(const std::string& step) {
    int index = flow_.StepIndex(step);
    if (index >= 0) return step_ids_[static_cast<size_t>(index)];
    // Only in flows with errors (`wache check` reports them): draw what the file says.
    return ExtraNode("missing_" + Sanitize(step), NodeKind::kPlain, "unknown step " + step, false);
  }

  std::string FlowTarget(const std::string& name) {
    const Flow* target = flows_.Find(name);
    bool interrupt = target && target->priority == Priority::kInterrupt;
    return ExtraNode("f_" + Sanitize(name), NodeKind::kJump, "→ flow " + name, interrupt);
  }

  std::string FallbackTarget() {
    for (const auto& f : flows_.flows) {
      if (f.priority == Priority::kFallback) return FlowTarget(f.name);
    }
    return ExtraNode("f_fallback", NodeKind::kJump, "→ the fallback flow (none loaded)", false);
  }

  // One node per distinct target, in order of first use.
  std::string ExtraNode(const std::string& key, NodeKind kind, const std::string& label,
                        bool interrupt) {
    auto it = extra_ids_.find(label);
    if (it != extra_ids_.end()) return it->second;
    std::string id = extra_alloc_.Take(key);
    extra_ids_.emplace(label, id);
    extra_.push_back({id, kind, {label}, interrupt, false});
    return id;
  }

  // Where a target leads; `if_empty` is the node for an empty target.
  std::string Resolve(const Target& t, const std::string& if_empty) {
    if (t.end) return EndNode();
    if (!t.flow.empty()) return FlowTarget(t.flow);
    if (!t.step.empty()) return StepTarget(t.step);
    return if_empty;
  }

  void AddStep(size_t i, bool interrupt) {
    const Step& s = flow_.steps[i];
    const std::string& id = step_ids_[i];
    Node n{id, NodeKind::kPlain, {StepName(s, i)}, interrupt, s.handover};
    if (s.is_ask()) {
      n.kind = NodeKind::kAsk;
      n.lines.push_back("ask " + s.ask);
    } else if (!s.say.empty()) {
      n.kind = NodeKind::kSay;
      n.lines.push_back("say " + s.say);
    } else {
      n.lines.push_back("(says nothing)");
    }
    if (s.handover) n.lines.push_back("handover to staff");
    g_.nodes.push_back(n);
    if (!s.if_off_duty.empty()) {
      // Taken instead of this step when the team is off duty (the account's calendar).
      Target off;
      off.step = s.if_off_duty;
      g_.edges.push_back({id, Resolve(off, ""), "off duty", true});
    }

    if (!s.is_ask()) {
      // Without `next:`, a say step goes on with the step below it; the last one ends.
      std::string to;
      if (!s.next.empty()) {
        to = Resolve(s.next, "");
      } else {
        to = i + 1 < flow_.steps.size() ? step_ids_[i + 1] : EndNode();
      }
      g_.edges.push_back({id, to, "", false});
      return;
    }
    for (const auto& c : s.choices) {
      std::string label = c.label.empty() ? c.id : c.label;
      if (!c.label.empty() && !c.id.empty() && c.id != c.label) label += " (id " + c.id + ")";
      // A choice that leads nowhere is a load error; the engine then stops there.
      g_.edges.push_back({id, c.next.empty() ? EndNode() : Resolve(c.next, ""), label, false});
    }
    // The engine's not-understood rule: ask again up to `allowed` times (saying `say:`
    // first), then follow `then:`, or start the fallback flow.
    const NotUnderstood& rule = s.if_not_understood;
    const int allowed = s.has_if_not_understood ? rule.ask_again : 1;
    if (allowed > 0) {
      std::string label = "not understood: ";
      if (!rule.say.empty()) label += "say " + rule.say + ", ";
      label += "ask again (max " + std::to_string(allowed) + ")";
      g_.edges.push_back({id, id, label, true});
    }
    std::string give_up = rule.then.empty() ? FallbackTarget() : Resolve(rule.then, "");
    g_.edges.push_back(
        {id, give_up, allowed > 0 ? "still not understood" : "not understood", true});
  }

  const FlowSet& flows_;
  const Flow& flow_;
  const GraphOptions& options_;
  std::vector<std::string> step_ids_;
  Graph g_;
  std::vector<Node> extra_;
  std::map<std::string, std::string> extra_ids_;  // label -> id
  IdAllocator extra_alloc_;
  bool end_used_ = false;
};

std::string OneLine(std::string_view s) {
  std::string out(s);
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
  return out;
}

// ---------------------------------------------------------------------------------------
// Mermaid. Labels are always written as "..." strings; inside them Mermaid decodes entity
// codes (#quot; #35; #lt;), so every character that could end the string, start an entity,
// open HTML or a Markdown string, or end an edge label is written as one.

std::string MermaidEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"':
        out += "#quot;";
        break;
      case '#':
        out += "#35;";
        break;
      case '<':
        out += "#lt;";
        break;
      case '>':
        out += "#gt;";
        break;
      case '&':
        out += "#amp;";
        break;
      case '|':
        out += "#124;";
        break;
      case '`':
        out += "#96;";
        break;
      case '\n':
      case '\r':
      case '\t':
        out += ' ';
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string MermaidLabel(const std::vector<std::string>& lines) {
  std::string out = "\"";
  for (size_t i = 0; i < lines.size(); ++i) out += (i ? "<br/>" : "") + MermaidEscape(lines[i]);
  return out + "\"";
}

std::string MermaidNode(const Node& n) {
  const std::string label = MermaidLabel(n.lines);
  switch (n.kind) {
    case NodeKind::kTrigger:
    case NodeKind::kStart:
      return n.id + "([" + label + "])";
    case NodeKind::kAsk:
      return n.id + "{{" + label + "}}";
    case NodeKind::kJump:
      return n.id + "[[" + label + "]]";
    case NodeKind::kEnd:
      return n.id + "((" + label + "))";
    case NodeKind::kSay:
    case NodeKind::kPlain:
      return n.id + "[" + label + "]";
  }
  return n.id + "[" + label + "]";
}

// Styles, applied in this order (a later class wins): interrupt red last.
const std::vector<std::pair<std::string, std::string>>& MermaidClasses() {
  static const std::vector<std::pair<std::string, std::string>> classes = {
      {"trigger", "fill:#e8f0fe,stroke:#3b6fc4,color:#000000"},
      {"jump", "fill:#f2f2f2,stroke:#555555,color:#000000"},
      {"finish", "fill:#444444,stroke:#444444,color:#ffffff"},
      {"handover", "fill:#fff3c4,stroke:#b38600,color:#000000"},
      {"interrupt", "fill:#ffe3e3,stroke:#c00000,stroke-width:3px,color:#000000"},
  };
  return classes;
}

std::vector<std::string> NodeClasses(const Node& n) {
  std::vector<std::string> out;
  if (n.kind == NodeKind::kTrigger || n.kind == NodeKind::kStart) out.push_back("trigger");
  if (n.kind == NodeKind::kJump) out.push_back("jump");
  if (n.kind == NodeKind::kEnd) out.push_back("finish");
  if (n.handover) out.push_back("handover");
  if (n.interrupt) out.push_back("interrupt");
  return out;
}

std::string YamlQuoted(std::string_view s) {
  std::string out = "\"";
  for (char c : OneLine(s)) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string WriteMermaid(const Graph& g) {
  std::string out = "---\ntitle: " + YamlQuoted(g.title) + "\n---\nflowchart TD\n";
  for (const auto& note : g.notes) out += "  %% " + OneLine(note) + "\n";
  for (const auto& n : g.nodes) out += "  " + MermaidNode(n) + "\n";
  for (const auto& e : g.edges) {
    out += "  " + e.from + (e.dashed ? " -.->" : " -->");
    if (!e.label.empty()) out += "|" + MermaidLabel({e.label}) + "|";
    out += " " + e.to + "\n";
  }
  std::map<std::string, std::vector<std::string>> members;
  for (const auto& n : g.nodes) {
    for (const auto& c : NodeClasses(n)) members[c].push_back(n.id);
  }
  for (const auto& [name, style] : MermaidClasses()) {
    if (members.count(name)) out += "  classDef " + name + " " + style + "\n";
  }
  for (const auto& [name, style] : MermaidClasses()) {
    auto it = members.find(name);
    if (it == members.end()) continue;
    std::string ids;
    for (const auto& id : it->second) ids += (ids.empty() ? "" : ",") + id;
    out += "  class " + ids + " " + name + "\n";
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Graphviz DOT. Labels are "..." strings: '"' and '\' are escaped with '\'; "\n" between
// lines is ours. Everything else, brackets, '#', '<', umlauts, is fine as UTF-8.

std::string DotEscape(std::string_view s) {
  std::string out;
  for (char c : OneLine(s)) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string DotLabel(const std::vector<std::string>& lines) {
  std::string out = "\"";
  for (size_t i = 0; i < lines.size(); ++i) out += (i ? "\\n" : "") + DotEscape(lines[i]);
  return out + "\"";
}

std::string DotNodeAttributes(const Node& n) {
  std::string shape = "box";
  std::vector<std::string> style;
  std::string fill;
  std::string color;
  std::string extra;
  switch (n.kind) {
    case NodeKind::kTrigger:
    case NodeKind::kStart:
      style = {"rounded", "filled"};
      fill = "#e8f0fe";
      color = "#3b6fc4";
      break;
    case NodeKind::kAsk:
      shape = "hexagon";
      break;
    case NodeKind::kJump:
      style = {"filled"};
      fill = "#f2f2f2";
      color = "#555555";
      extra = ", peripheries=2";
      break;
    case NodeKind::kEnd:
      shape = "doublecircle";
      style = {"filled"};
      fill = "#444444";
      color = "#444444";
      extra = ", fontcolor=\"#ffffff\"";
      break;
    case NodeKind::kSay:
    case NodeKind::kPlain:
      break;
  }
  if (n.handover) {
    if (std::find(style.begin(), style.end(), "filled") == style.end()) style.push_back("filled");
    fill = "#fff3c4";
    color = "#b38600";
  }
  if (n.interrupt) {
    if (std::find(style.begin(), style.end(), "filled") == style.end()) style.push_back("filled");
    fill = "#ffe3e3";
    color = "#c00000";
    extra += ", penwidth=3";
  }
  std::string out = "shape=" + shape;
  if (!style.empty()) {
    std::string s;
    for (const auto& part : style) s += (s.empty() ? "" : ",") + part;
    out += ", style=\"" + s + "\"";
  }
  if (!fill.empty()) out += ", fillcolor=\"" + fill + "\"";
  if (!color.empty()) out += ", color=\"" + color + "\"";
  return out + extra;
}

std::string WriteDot(const Graph& g) {
  std::string out;
  for (const auto& note : g.notes) out += "// " + OneLine(note) + "\n";
  std::vector<std::string> title = {g.title};
  if (!g.description.empty()) title.push_back(g.description);
  out += "digraph \"" + DotEscape(g.name) + "\" {\n";
  out +=
      "  graph [label=" + DotLabel(title) + ", labelloc=t, fontname=\"Helvetica\", fontsize=14];\n";
  out += "  node [fontname=\"Helvetica\", fontsize=11];\n";
  out += "  edge [fontname=\"Helvetica\", fontsize=10];\n";
  for (const auto& n : g.nodes) {
    out += "  " + n.id + " [label=" + DotLabel(n.lines) + ", " + DotNodeAttributes(n) + "];\n";
  }
  for (const auto& e : g.edges) {
    std::vector<std::string> attrs;
    if (!e.label.empty()) attrs.push_back("label=" + DotLabel({e.label}));
    if (e.dashed) attrs.push_back("style=dashed");
    out += "  " + e.from + " -> " + e.to;
    if (!attrs.empty()) {
      std::string a;
      for (const auto& part : attrs) a += (a.empty() ? "" : ", ") + part;
      out += " [" + a + "]";
    }
    out += ";\n";
  }
  return out + "}\n";
}

// GitHub's heading anchors: lower case, spaces to '-', other punctuation dropped.
std::string Anchor(std::string_view heading) {
  std::string out;
  for (char c : heading) {
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
      out += c;
    } else if (c == ' ') {
      out += '-';
    }
  }
  return out;
}

std::string TableCell(std::string_view s) {
  std::string out;
  for (char c : OneLine(s)) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::optional<GraphFormat> ParseGraphFormat(std::string_view name) {
  if (name == "mermaid" || name == "mmd") return GraphFormat::kMermaid;
  if (name == "dot" || name == "graphviz" || name == "gv") return GraphFormat::kDot;
  return std::nullopt;
}

std::string GraphFileExtension(GraphFormat format) {
  return format == GraphFormat::kDot ? "dot" : "mmd";
}

std::string StepNodeId(const Flow& flow, size_t index) {
  auto ids = StepNodeIds(flow);
  return index < ids.size() ? ids[index] : "";
}

std::string FlowGraph(const FlowSet& flows, const Flow& flow, const GraphOptions& options) {
  Graph g = GraphBuilder(flows, flow, options).Build();
  return options.format == GraphFormat::kDot ? WriteDot(g) : WriteMermaid(g);
}

std::string AllFlowGraphs(const FlowSet& flows, const GraphOptions& options) {
  std::string out;
  for (size_t i = 0; i < flows.flows.size(); ++i) {
    out += (i ? "\n" : "") + FlowGraph(flows, flows.flows[i], options);
  }
  return out;
}

std::string FlowGraphsMarkdown(const FlowSet& flows, const GraphOptions& options) {
  GraphOptions mermaid = options;
  mermaid.format = GraphFormat::kMermaid;
  std::string out =
      "# Flow diagrams\n\n"
      "Generated from the flow files by `wache graph --out <folder>`: do not edit by hand, run\n"
      "it again after changing a flow (for the shipped flows: `build/wache graph --out "
      "docs/flows`).\n"
      "Each diagram is also in its own file, `<flow>.mmd`; `wache graph --format dot` gives\n"
      "Graphviz instead.\n\n"
      "How to read them: rounded blue boxes are the triggers (the first few keywords per\n"
      "language, then how many more), rectangles are steps that say something, hexagons are\n"
      "questions, and the arrows leaving a question are its buttons (the label's template\n"
      "key). Dashed arrows show what happens when an answer is not understood. Boxes with a\n"
      "double border go on in another flow; the dark circle is the end of the conversation.\n"
      "Red marks the interrupt flows (emergencies), which are checked on every message, and\n"
      "jumps to them; yellow marks a handover to staff.\n\n"
      "| flow | priority | what it is for |\n|---|---|---|\n";
  for (const auto& f : flows.flows) {
    out += "| [" + f.name + "](#" + Anchor(f.name) + ") | " + PriorityName(f.priority) + " | " +
           TableCell(f.description) + " |\n";
  }
  for (const auto& f : flows.flows) {
    out += "\n## " + f.name + "\n\n";
    if (!f.description.empty()) out += OneLine(f.description) + " ";
    out += "Priority " + std::string(PriorityName(f.priority)) + ": " +
           PriorityMeaning(f.priority) + ". File: [" + f.name + ".mmd](" + f.name + ".mmd).\n\n";
    out += "```mermaid\n" + FlowGraph(flows, f, mermaid) + "```\n";
  }
  return out;
}

}  // namespace wache::bot
