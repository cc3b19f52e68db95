// Flow diagrams (`wache graph`). Without a Mermaid or Graphviz renderer at hand, every
// test reads the diagrams back with a strict line parser of the subset the writer uses:
// a line it does not recognise fails the test, so the structure is checked, not only
// substrings.
#include "bot/flow_graph.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "bot/flow_loader.h"

namespace wache::bot {

void PrintTo(GraphFormat format, std::ostream* os) {
  *os << (format == GraphFormat::kDot ? "dot" : "mermaid");
}

namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

struct ParsedNode {
  std::string shape;  // Mermaid: the opening bracket, e.g. "[[" ; DOT: the attribute list
  std::vector<std::string> lines;  // the label, unescaped
  std::string raw_label;           // the label as written
};

struct ParsedEdge {
  std::string from;
  std::string to;
  std::string label;  // unescaped
  bool dashed = false;
  bool operator==(const ParsedEdge& o) const {
    return from == o.from && to == o.to && label == o.label && dashed == o.dashed;
  }
};

void PrintTo(const ParsedEdge& e, std::ostream* os) {
  *os << e.from << (e.dashed ? " -.-> " : " --> ") << e.to << " [" << e.label << "]";
}

struct ParsedGraph {
  std::string title;
  std::vector<std::string> node_order;
  std::map<std::string, ParsedNode> nodes;
  std::vector<ParsedEdge> edges;
  std::map<std::string, std::set<std::string>> classes;  // class -> node ids (Mermaid)
  std::vector<std::string> errors;                       // lines that did not parse
};

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

void ReplaceAll(std::string& s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) {
    s.replace(pos, from.size(), to);
  }
}

std::string MermaidUnescape(std::string s) {
  // Only the entity codes the writer emits; '#' last so "#35;quot;" stays "#quot;".
  for (auto [code, c] : std::vector<std::pair<std::string, std::string>>{{"#quot;", "\""},
                                                                         {"#lt;", "<"},
                                                                         {"#gt;", ">"},
                                                                         {"#amp;", "&"},
                                                                         {"#124;", "|"},
                                                                         {"#96;", "`"},
                                                                         {"#35;", "#"}}) {
    ReplaceAll(s, code, c);
  }
  return s;
}

std::vector<std::string> Split(const std::string& s, const std::string& sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t pos; (pos = s.find(sep, start)) != std::string::npos; start = pos + sep.size()) {
    out.push_back(s.substr(start, pos - start));
  }
  out.push_back(s.substr(start));
  return out;
}

// A label string must not hold the characters that would end it or start markup.
bool CleanMermaidLabel(const std::string& raw) {
  std::string without_breaks = raw;
  ReplaceAll(without_breaks, "<br/>", "");
  return without_breaks.find_first_of("\"<>|`") == std::string::npos;
}

ParsedGraph ParseMermaid(const std::string& text) {
  static const std::regex node(
      R"re(^  ([A-Za-z][A-Za-z0-9_]*)(\(\[|\{\{|\[\[|\(\(|\[)"([^"]*)"(\]\)|\}\}|\]\]|\)\)|\])$)re");
  static const std::regex edge(R"re(^  ([A-Za-z][A-Za-z0-9_]*) (-->|-\.->)(\|"([^"]*)"\|)? )re"
                               R"re(([A-Za-z][A-Za-z0-9_]*)$)re");
  static const std::regex class_def(R"re(^  classDef ([a-z]+) [a-z:#0-9,-]+$)re");
  static const std::regex class_use(R"re(^  class ([A-Za-z0-9_,]+) ([a-z]+)$)re");
  static const std::regex title(R"re(^title: "([^"\\]*)"$)re");
  const std::map<std::string, std::string> closing = {
      {"([", "])"}, {"{{", "}}"}, {"[[", "]]"}, {"((", "))"}, {"[", "]"}};
  ParsedGraph g;
  auto lines = Lines(text);
  std::smatch m;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (i == 0 && line == "---") continue;
    if (i == 1 && std::regex_match(line, m, title)) {
      g.title = m[1];
      continue;
    }
    if (i == 2 && line == "---") continue;
    if (i == 3 && line == "flowchart TD") continue;
    if (line.rfind("  %% ", 0) == 0) continue;
    if (std::regex_match(line, m, node)) {
      if (closing.at(m[2]) != m[4] || !CleanMermaidLabel(m[3]) || g.nodes.count(m[1])) {
        g.errors.push_back(line);
        continue;
      }
      ParsedNode n{m[2], {}, m[3]};
      for (const auto& part : Split(m[3], "<br/>")) n.lines.push_back(MermaidUnescape(part));
      g.node_order.push_back(m[1]);
      g.nodes[m[1]] = n;
    } else if (std::regex_match(line, m, edge)) {
      if (!CleanMermaidLabel(m[4])) g.errors.push_back(line);
      g.edges.push_back({m[1], m[5], MermaidUnescape(m[4]), m[2] == "-.->"});
    } else if (std::regex_match(line, m, class_def)) {
    } else if (std::regex_match(line, m, class_use)) {
      for (const auto& id : Split(m[1], ",")) g.classes[m[2]].insert(id);
    } else {
      g.errors.push_back(line);
    }
  }
  if (lines.size() < 4 || lines[3] != "flowchart TD") g.errors.push_back("no 'flowchart TD'");
  return g;
}

// A DOT string's text; "\n" (the writer's line break) splits it into lines.
std::vector<std::string> DotLines(const std::string& s) {
  std::vector<std::string> out(1);
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      ++i;
      if (s[i] == 'n') {
        out.emplace_back();
      } else {
        out.back() += s[i];
      }
    } else {
      out.back() += s[i];
    }
  }
  return out;
}

std::string DotUnescape(const std::string& s) {
  std::string out;
  const auto lines = DotLines(s);
  for (size_t i = 0; i < lines.size(); ++i) out += (i ? "\n" : "") + lines[i];
  return out;
}

ParsedGraph ParseDot(const std::string& text) {
  static const std::string kString = R"re("((?:[^"\\]|\\.)*)")re";
  static const std::regex open("^digraph " + kString + " \\{$");
  static const std::regex defaults(R"(^  (node|edge) \[[^\]]*\];$)");
  static const std::regex graph("^  graph \\[label=" + kString + ", [^\\]]*\\];$");
  static const std::regex node("^  ([A-Za-z][A-Za-z0-9_]*) \\[label=" + kString +
                               ", (shape=[a-z]+[^\\]]*)\\];$");
  static const std::regex edge("^  ([A-Za-z][A-Za-z0-9_]*) -> ([A-Za-z][A-Za-z0-9_]*)( \\[(label=" +
                               kString + ")?(, )?(style=dashed)?\\])?;$");
  ParsedGraph g;
  bool opened = false, closed = false;
  std::smatch m;
  for (const auto& line : Lines(text)) {
    if (line.rfind("// ", 0) == 0 && !opened) continue;
    if (!opened && std::regex_match(line, m, open)) {
      opened = true;
    } else if (opened && !closed && line == "}") {
      closed = true;
    } else if (opened && !closed && std::regex_match(line, m, graph)) {
      g.title = DotUnescape(m[1]);
    } else if (opened && !closed && std::regex_match(line, m, defaults)) {
    } else if (opened && !closed && std::regex_match(line, m, node)) {
      if (g.nodes.count(m[1])) g.errors.push_back(line);
      ParsedNode n{m[3], {}, m[2]};
      n.lines = DotLines(m[2]);
      g.node_order.push_back(m[1]);
      g.nodes[m[1]] = n;
    } else if (opened && !closed && std::regex_match(line, m, edge)) {
      g.edges.push_back({m[1], m[2], DotUnescape(m[5]), m[7].matched});
    } else {
      g.errors.push_back(line);
    }
  }
  if (!opened || !closed) g.errors.push_back("no complete 'digraph { ... }'");
  return g;
}

ParsedGraph Parse(const std::string& text, GraphFormat format) {
  return format == GraphFormat::kDot ? ParseDot(text) : ParseMermaid(text);
}

// Every edge joins two nodes the diagram defines.
void ExpectEdgesJoinNodes(const ParsedGraph& g) {
  for (const auto& e : g.edges) {
    EXPECT_TRUE(g.nodes.count(e.from)) << "edge from undefined node " << e.from;
    EXPECT_TRUE(g.nodes.count(e.to)) << "edge to undefined node " << e.to;
  }
}

FlowSet Load(const std::vector<std::string>& yamls) {
  FlowSet set;
  Diagnostics diags;
  for (size_t i = 0; i < yamls.size(); ++i) {
    LoadFlowString(yamls[i], "flow" + std::to_string(i) + ".yaml", set, diags);
  }
  EXPECT_EQ(diags.Format(), "") << "the test flows themselves do not load cleanly";
  return set;
}

const char kEmergency[] =
    "flow: emergency\npriority: interrupt\nflags: [emergency]\n"
    "when:\n  keywords: { de: [hilfe, notruf, messer, waffe, überfall], en: [help] }\n"
    "steps:\n  - say: emergency.call\n  - say: emergency.if_over\n    handover: true\n";
const char kFallback[] = "flow: fallback\npriority: fallback\nsteps:\n  - say: fallback.text\n";
const char kReport[] = R"(flow: report
description: Someone wants to report a crime.
when:
  - keywords: { de: [anzeige, diebstahl], en: [report] }
  - start_at: online
    keywords: [onlinewache]
    patterns: ['\banzeige\b', 'x+']
    all_of:
      - de: [gerade, jetzt]
      - de: [geklaut]
steps:
  - id: now
    ask: report.now
    choices:
      - { label: btn.yes, id: yes, flow: emergency }
      - { label: btn.no, next: online }
      - { label: btn.cancel, end: true }
    if_not_understood: { say: common.please_pick, ask_again: 2, then: online }
  - id: online
    say: report.online
  - say: report.no_data
)";
const char kMenu[] = R"(flow: menu
when: { keywords: [menu] }
steps:
  - id: start
    ask: menu.start
    choices:
      - { label: menu.btn_report, flow: report }
      - { label: menu.btn_more, next: more }
  - id: more
    ask: menu.more
    choices: [ { label: menu.btn_back, next: start } ]
    if_not_understood: { ask_again: 0 }
  - id: bye
    say: menu.bye
    flow: fallback
)";

class FlowGraphTest : public ::testing::TestWithParam<GraphFormat> {
 protected:
  FlowSet set_ = Load({kEmergency, kFallback, kMenu, kReport});
  ParsedGraph Draw(const std::string& flow) {
    GraphOptions o;
    o.format = GetParam();
    std::string text = FlowGraph(set_, *set_.Find(flow), o);
    ParsedGraph g = Parse(text, GetParam());
    EXPECT_THAT(g.errors, IsEmpty()) << text;
    ExpectEdgesJoinNodes(g);
    return g;
  }
};

TEST_P(FlowGraphTest, ChoicesAreEdgesLabelledWithTheirLabelKeyAndId) {
  ParsedGraph g = Draw("report");
  EXPECT_THAT(g.edges, Contains(ParsedEdge{"s_now", "f_emergency", "btn.yes (id yes)", false}));
  EXPECT_THAT(g.edges, Contains(ParsedEdge{"s_now", "s_online", "btn.no", false}));
  EXPECT_THAT(g.edges, Contains(ParsedEdge{"s_now", "done", "btn.cancel", false}));
  EXPECT_EQ(g.nodes["s_now"].lines, (std::vector<std::string>{"now", "ask report.now"}));
  EXPECT_EQ(g.nodes["s_online"].lines, (std::vector<std::string>{"online", "say report.online"}));
}

TEST_P(FlowGraphTest, JumpsToOtherFlowsAreNodesOfTheirOwnShapeNamingTheFlow) {
  ParsedGraph g = Draw("menu");
  ASSERT_TRUE(g.nodes.count("f_report"));
  ASSERT_TRUE(g.nodes.count("f_fallback"));
  EXPECT_EQ(g.nodes["f_report"].lines, std::vector<std::string>{"→ flow report"});
  EXPECT_EQ(g.nodes["f_fallback"].lines, std::vector<std::string>{"→ flow fallback"});
  if (GetParam() == GraphFormat::kMermaid) {
    EXPECT_EQ(g.nodes["f_report"].shape, "[[");
    EXPECT_EQ(g.nodes["s_start"].shape, "{{");
    EXPECT_EQ(g.nodes["s_bye"].shape, "[");
  } else {
    EXPECT_THAT(g.nodes["f_report"].shape, HasSubstr("peripheries=2"));
    EXPECT_THAT(g.nodes["s_start"].shape, HasSubstr("shape=hexagon"));
  }
  EXPECT_THAT(g.edges, Contains(ParsedEdge{"s_start", "f_report", "menu.btn_report", false}));
  EXPECT_THAT(g.edges,
              Contains(ParsedEdge{"s_bye", "f_fallback", "", false}));  // a say step's `flow:`
  // One node per target flow, however many edges lead there: the fallback is also where
  // `more` goes when not understood.
  EXPECT_THAT(g.edges, Contains(ParsedEdge{"s_more", "f_fallback", "not understood", true}));
}

TEST_P(FlowGraphTest, EndIsOneNodeReachedByTheLastStepAndByEndTrue) {
  ParsedGraph g = Draw("report");
  ASSERT_TRUE(g.nodes.count("done"));
  EXPECT_EQ(g.nodes["done"].lines, std::vector<std::string>{"end"});
  if (GetParam() == GraphFormat::kMermaid) {
    EXPECT_EQ(g.nodes["done"].shape, "((");
  } else {
    EXPECT_THAT(g.nodes["done"].shape, HasSubstr("shape=doublecircle"));
  }
  // Steps without `next:` go on with the one below; the last one ends the conversation.
  EXPECT_THAT(g.edges, Contains(ParsedEdge{"s_online", "step3", "", false}));
  EXPECT_THAT(g.edges, Contains(ParsedEdge{"step3", "done", "", false}));
  EXPECT_EQ(g.node_order.back(), "done");
  // A flow that never ends has no end node.
  EXPECT_FALSE(Draw("menu").nodes.count("done"));
}

TEST_P(FlowGraphTest, NotUnderstoodEdgesAreDashed) {
  ParsedGraph g = Draw("report");
  EXPECT_THAT(g.edges, Contains(ParsedEdge{
                           "s_now", "s_now",
                           "not understood: say common.please_pick, ask again (max 2)", true}));
  EXPECT_THAT(g.edges, Contains(ParsedEdge{"s_now", "s_online", "still not understood", true}));
  // ask_again: 0 and no `then:`: straight to the fallback flow, no loop.
  ParsedGraph menu = Draw("menu");
  EXPECT_THAT(
      menu.edges,
      Not(Contains(ParsedEdge{"s_more", "s_more", "not understood: ask again (max 0)", true})));
  // No rule at all: the engine asks once more, then starts the fallback flow.
  EXPECT_THAT(menu.edges, Contains(ParsedEdge{"s_start", "s_start",
                                              "not understood: ask again (max 1)", true}));
  EXPECT_THAT(menu.edges,
              Contains(ParsedEdge{"s_start", "f_fallback", "still not understood", true}));
  for (const auto& e : g.edges) {
    EXPECT_EQ(e.dashed, e.label.find("understood") != std::string::npos) << e.label;
  }
}

TEST_P(FlowGraphTest, TriggersAreSummarisedAndLeadToTheirStartStep) {
  GraphOptions o;
  o.format = GetParam();
  o.keywords_per_language = 3;
  ParsedGraph e = Parse(FlowGraph(set_, *set_.Find("emergency"), o), GetParam());
  ASSERT_TRUE(e.nodes.count("t1"));
  EXPECT_EQ(e.nodes["t1"].lines,
            (std::vector<std::string>{"trigger", "de: hilfe, notruf, messer +2 more", "en: help"}));
  ParsedGraph g = Draw("report");
  EXPECT_EQ(g.nodes["t1"].lines,
            (std::vector<std::string>{"trigger 1", "de: anzeige, diebstahl", "en: report"}));
  EXPECT_EQ(g.nodes["t2"].lines,
            (std::vector<std::string>{"trigger 2", "any: onlinewache", "all of: gerade, jetzt",
                                      "and: geklaut", "2 patterns"}));
  EXPECT_THAT(g.edges, Contains(ParsedEdge{"t1", "s_now", "", false}));
  EXPECT_THAT(g.edges, Contains(ParsedEdge{"t2", "s_online", "start_at", false}));
  // A flow without triggers says how it is reached.
  ParsedGraph fallback = Draw("fallback");
  EXPECT_EQ(fallback.nodes["start"].lines,
            std::vector<std::string>{"anything no other flow understood"});
  EXPECT_THAT(fallback.edges, Contains(ParsedEdge{"start", "step1", "", false}));
}

TEST_P(FlowGraphTest, InterruptFlowsAreStyledAndNamedInTheHeader) {
  GraphOptions o;
  o.format = GetParam();
  const std::string emergency = FlowGraph(set_, *set_.Find("emergency"), o);
  const std::string report = FlowGraph(set_, *set_.Find("report"), o);
  ParsedGraph e = Parse(emergency, GetParam());
  ParsedGraph r = Parse(report, GetParam());
  EXPECT_THAT(e.title, HasSubstr("flow emergency (priority: interrupt)"));
  EXPECT_THAT(r.title, HasSubstr("flow report (priority: normal)"));
  if (GetParam() == GraphFormat::kMermaid) {
    EXPECT_THAT(emergency, HasSubstr("  classDef interrupt "));
    // Every node of the flow but the end is marked.
    std::set<std::string> marked(e.node_order.begin(), e.node_order.end());
    marked.erase("done");
    EXPECT_EQ(e.classes["interrupt"], marked);
    EXPECT_THAT(e.classes["handover"], ElementsAre("step2"));
    // In another flow, only the jump to the emergency flow is marked.
    EXPECT_EQ(r.classes["interrupt"], std::set<std::string>{"f_emergency"});
  } else {
    EXPECT_THAT(e.nodes["t1"].shape, HasSubstr("color=\"#c00000\", penwidth=3"));
    EXPECT_THAT(e.nodes["step1"].shape, HasSubstr("penwidth=3"));
    EXPECT_THAT(r.nodes["f_emergency"].shape, HasSubstr("penwidth=3"));
    EXPECT_THAT(r.nodes["s_now"].shape, Not(HasSubstr("penwidth")));
  }
  EXPECT_THAT(emergency, HasSubstr("priority interrupt: checked first on every message"));
  EXPECT_THAT(Parse(emergency, GetParam()).nodes["step2"].lines, Contains("handover to staff"));
}

TEST_P(FlowGraphTest, LabelsAreEscapedAndReadBackUnchanged) {
  // Built by hand: the loader would not accept every character here, but a diagram must
  // never break, whatever a flow file holds.
  const std::string nasty = R"(btn."quoted" [x] {y} (z) #1 <b>&amp; a|b `c` \n ü)";
  Flow f;
  f.name = "odd";
  Trigger t;
  t.keywords.push_back({R"(sag "hallo" [jetzt] #tag)", "de", {}});
  t.keywords.push_back({"größe", "de", {}});
  f.triggers.push_back(t);
  Step ask;
  ask.id = "frage-1";
  ask.ask = "odd.\"ask\"";
  ask.choices.push_back({"c1", nasty, Target{"", "", true}, {}, {}});
  f.steps.push_back(ask);
  FlowSet set;
  set.flows.push_back(f);
  GraphOptions o;
  o.format = GetParam();
  const std::string text = FlowGraph(set, set.flows[0], o);
  ParsedGraph g = Parse(text, GetParam());
  EXPECT_THAT(g.errors, IsEmpty()) << text;
  ExpectEdgesJoinNodes(g);
  EXPECT_THAT(g.edges, Contains(ParsedEdge{"s_frage_1", "done", nasty + " (id c1)", false}))
      << text;
  EXPECT_EQ(g.nodes["t1"].lines,
            (std::vector<std::string>{"trigger", R"(de: sag "hallo" [jetzt] #tag, größe)"}));
  EXPECT_EQ(g.nodes["s_frage_1"].lines, (std::vector<std::string>{"frage-1", "ask odd.\"ask\""}));
  if (GetParam() == GraphFormat::kMermaid) {
    EXPECT_THAT(text, HasSubstr("#quot;quoted#quot; [x] {y} (z) #35;1 #lt;b#gt;#amp;amp; "
                                "a#124;b #96;c#96; \\n ü (id c1)"));
    EXPECT_THAT(text, HasSubstr("sag #quot;hallo#quot; [jetzt] #35;tag, größe"));
  } else {
    EXPECT_THAT(text, HasSubstr(R"(label="btn.\"quoted\" [x] {y} (z) #1 <b>&amp; a|b `c` \\n ü)"));
    EXPECT_THAT(text, HasSubstr(R"(sag \"hallo\" [jetzt] #tag, größe")"));
  }
}

TEST_P(FlowGraphTest, NodeIdsAreSafeIdentifiersFromStepIdsNumberedOnAClash) {
  FlowSet set =
      Load({"flow: ids\nwhen: { keywords: [x] }\nsteps:\n"
            "  - { id: a-b, say: k.one }\n  - { id: a_b, say: k.two }\n"
            "  - say: k.three\n  - { id: a.b, say: k.four, flow: other-flow }\n",
            "flow: other-flow\nsteps: [ say: k.five ]\n"});
  const Flow& f = set.flows[0];
  EXPECT_EQ(StepNodeId(f, 0), "s_a_b");
  EXPECT_EQ(StepNodeId(f, 1), "s_a_b_2");
  EXPECT_EQ(StepNodeId(f, 2), "step3");
  EXPECT_EQ(StepNodeId(f, 3), "s_a_b_3");
  GraphOptions o;
  o.format = GetParam();
  ParsedGraph g = Parse(FlowGraph(set, f, o), GetParam());
  EXPECT_THAT(g.errors, IsEmpty());
  EXPECT_EQ(g.node_order, (std::vector<std::string>{"t1", "s_a_b", "s_a_b_2", "step3", "s_a_b_3",
                                                    "f_other_flow"}));
  EXPECT_EQ(g.nodes["step3"].lines.front(), "#3");  // the engine's name for a step without id
  EXPECT_EQ(g.nodes["s_a_b_3"].lines.front(), "a.b");
}

TEST_P(FlowGraphTest, OutputIsDeterministicAndInFileOrder) {
  GraphOptions o;
  o.format = GetParam();
  const std::string all = AllFlowGraphs(set_, o);
  EXPECT_EQ(all, AllFlowGraphs(Load({kEmergency, kFallback, kMenu, kReport}), o));
  std::string joined;
  for (const auto& f : set_.flows) joined += (joined.empty() ? "" : "\n") + FlowGraph(set_, f, o);
  EXPECT_EQ(all, joined);
  ParsedGraph g = Draw("report");
  EXPECT_EQ(g.node_order, (std::vector<std::string>{"t1", "t2", "s_now", "s_online", "step3",
                                                    "f_emergency", "done"}));
}

// The shipped flows: every step of every flow is a node, named by its id, and the whole
// diagram reads back.
TEST_P(FlowGraphTest, ShippedFlowsDrawEveryStep) {
  Diagnostics diags;
  FlowSet set = LoadFlowDir(WACHE_SOURCE_DIR "/flows", diags);
  ASSERT_FALSE(diags.has_errors()) << diags.Format();
  ASSERT_GE(set.flows.size(), 10u);
  GraphOptions o;
  o.format = GetParam();
  for (const auto& f : set.flows) {
    SCOPED_TRACE(f.name);
    const std::string text = FlowGraph(set, f, o);
    ParsedGraph g = Parse(text, GetParam());
    EXPECT_THAT(g.errors, IsEmpty());
    ExpectEdgesJoinNodes(g);
    EXPECT_THAT(g.title, HasSubstr("flow " + f.name + " (priority: "));
    for (size_t i = 0; i < f.steps.size(); ++i) {
      const std::string id = StepNodeId(f, i);
      ASSERT_TRUE(g.nodes.count(id)) << "no node for step " << i + 1;
      const std::string name = f.steps[i].id.empty() ? "#" + std::to_string(i + 1) : f.steps[i].id;
      EXPECT_EQ(g.nodes[id].lines.front(), name);
    }
    size_t triggers = 0;
    for (const auto& id : g.node_order) triggers += id[0] == 't' && isdigit(id[1]) ? 1 : 0;
    EXPECT_EQ(triggers, f.triggers.size());
    // Every node is reached from a trigger (or the start), so nothing floats unconnected.
    std::set<std::string> reached;
    std::vector<std::string> todo;
    for (const auto& id : g.node_order) {
      if (id == "start" || (id[0] == 't' && isdigit(id[1]))) todo.push_back(id);
    }
    while (!todo.empty()) {
      std::string id = todo.back();
      todo.pop_back();
      if (!reached.insert(id).second) continue;
      for (const auto& e : g.edges) {
        if (e.from == id) todo.push_back(e.to);
      }
    }
    EXPECT_EQ(reached.size(), g.nodes.size());
  }
}

INSTANTIATE_TEST_SUITE_P(Formats, FlowGraphTest,
                         ::testing::Values(GraphFormat::kMermaid, GraphFormat::kDot),
                         [](const auto& info) {
                           return info.param == GraphFormat::kDot ? "Dot" : "Mermaid";
                         });

TEST(FlowGraphStationTest, AStationsOwnFlowSaysWhoseItIs) {
  FlowSet set =
      Load({"flow: karneval\nstations: [koeln, bonn]\nwhen: { keywords: [karneval] }\n"
            "steps: [ say: karneval.text ]\n"});
  GraphOptions o;
  o.format = GraphFormat::kMermaid;
  EXPECT_THAT(FlowGraph(set, *set.Find("karneval"), o),
              HasSubstr("only for the accounts of station(s) koeln, bonn"));
}

TEST(FlowGraphMarkdownTest, EmbedsEveryFlowInAMermaidBlock) {
  FlowSet set = Load({kEmergency, kFallback, kMenu, kReport});
  const std::string md = FlowGraphsMarkdown(set);
  size_t blocks = 0;
  for (size_t pos = 0; (pos = md.find("```mermaid\n", pos)) != std::string::npos; ++pos) ++blocks;
  EXPECT_EQ(blocks, set.flows.size());
  for (const auto& f : set.flows) {
    EXPECT_THAT(md, HasSubstr("\n## " + f.name + "\n"));
    EXPECT_THAT(md, HasSubstr("```mermaid\n" + FlowGraph(set, f) + "```\n"));
    EXPECT_THAT(md, HasSubstr("[" + f.name + ".mmd](" + f.name + ".mmd)"));
  }
  EXPECT_THAT(md, HasSubstr("| [report](#report) | normal | Someone wants to report a crime. |"));
  // Asked for DOT, the page still embeds Mermaid, the format GitHub renders.
  GraphOptions dot;
  dot.format = GraphFormat::kDot;
  EXPECT_EQ(FlowGraphsMarkdown(set, dot), md);
}

TEST(FlowGraphFormatTest, ParsesNamesAndGivesExtensions) {
  EXPECT_EQ(ParseGraphFormat("mermaid"), GraphFormat::kMermaid);
  EXPECT_EQ(ParseGraphFormat("dot"), GraphFormat::kDot);
  EXPECT_EQ(ParseGraphFormat("graphviz"), GraphFormat::kDot);
  EXPECT_EQ(ParseGraphFormat("svg"), std::nullopt);
  EXPECT_EQ(GraphFileExtension(GraphFormat::kMermaid), "mmd");
  EXPECT_EQ(GraphFileExtension(GraphFormat::kDot), "dot");
}

}  // namespace
}  // namespace wache::bot
