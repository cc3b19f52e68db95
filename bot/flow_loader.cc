#include "bot/flow_loader.h"

#include <algorithm>
#include <filesystem>

#include "bot/normalizer.h"
#include "bot/parallel.h"
#include "bot/yaml_source.h"

namespace wache::bot {
namespace {

namespace fs = std::filesystem;

bool IsLanguageCode(const std::string& s) {
  return s.size() == 2 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// keywords: [a, b]  or  keywords: { any: [...], de: [...], en: [...] }
std::vector<Keyword> ReadKeywords(YamlReader& r, const YamlNode& node, const std::string& what) {
  std::vector<Keyword> out;
  if (node.IsMap()) {
    for (const auto& kv : node) {
      std::string lang = r.Key(kv.first);
      if (lang == "any" || lang == "all") {
        lang.clear();
      } else if (!IsLanguageCode(lang)) {
        r.diags().Error(r.At(kv.first), "'" + lang +
                                            "' is not a language code; use two letters like de, "
                                            "en, tr, or 'any' for words of every language");
        continue;
      }
      for (auto& [text, where] : r.StringList(kv.second, what)) {
        out.push_back({text, lang, where});
      }
    }
  } else {
    for (auto& [text, where] : r.StringList(node, what)) out.push_back({text, "", where});
  }
  for (const auto& k : out) {
    if (k.text.find_first_not_of(" \t*") == std::string::npos) {
      r.diags().Error(k.where, "empty " + what + "; remove it or write a word");
    } else if (!HasWords(k.text)) {
      // Matching ignores punctuation and emoji, so this could never match anything.
      r.diags().Error(k.where, what + " '" + k.text +
                                   "' has no letters or digits, so it can never "
                                   "match (punctuation and emoji are ignored); use a word, or a "
                                   "raw_patterns: entry");
    }
  }
  return out;
}

std::vector<Pattern> ReadPatterns(YamlReader& r, const YamlNode& node) {
  std::vector<Pattern> out;
  for (auto& [text, where] : r.StringList(node, "RE2 pattern")) out.push_back({text, where});
  return out;
}

Trigger ReadTrigger(YamlReader& r, const YamlNode& node) {
  Trigger t;
  t.where = r.At(node);
  if (!node.IsMap()) {
    r.diags().Error(t.where, "a trigger needs keywords: or patterns:, e.g. 'keywords: [hallo]'");
    return t;
  }
  r.CheckKeys(node, {"keywords", "all_of", "patterns", "raw_patterns", "except", "start_at"},
              "'when'");
  if (node["keywords"]) t.keywords = ReadKeywords(r, node["keywords"], "keyword");
  if (const YamlNode& groups = node["all_of"]) {
    if (!groups.IsSequence() || groups.size() < 2) {
      r.diags().Error(r.At(groups),
                      "all_of: is a list of at least two keyword groups, e.g. "
                      "all_of: [ [gerade, jetzt], [schlägt, tritt] ]");
    } else {
      for (const auto& g : groups) t.all_of.push_back(ReadKeywords(r, g, "keyword"));
    }
  }
  if (node["patterns"]) t.patterns = ReadPatterns(r, node["patterns"]);
  if (node["raw_patterns"]) t.raw_patterns = ReadPatterns(r, node["raw_patterns"]);
  if (node["except"]) t.except = ReadKeywords(r, node["except"], "except phrase");
  if (node["start_at"]) t.start_at = r.String(node["start_at"], "a step id").value_or("");
  // A malformed all_of: was reported above; "has no all_of:" would contradict it.
  if (t.keywords.empty() && t.all_of.empty() && t.patterns.empty() && t.raw_patterns.empty() &&
      !node["all_of"]) {
    r.diags().Error(t.where, "this trigger has no keywords:, all_of:, patterns: or raw_patterns:");
  }
  return t;
}

// Reads next:/flow:/end: from a step, choice or rule. `step_key` is "next" or "then".
Target ReadTarget(YamlReader& r, const YamlNode& node, const std::string& step_key) {
  Target t;
  if (node[step_key]) t.step = r.String(node[step_key], "a step id").value_or("");
  if (node["flow"]) t.flow = r.String(node["flow"], "a flow name").value_or("");
  if (node["end"]) t.end = r.Bool(node["end"], "end").value_or(false);
  int set = !t.step.empty() + !t.flow.empty() + t.end;
  if (set > 1) {
    r.diags().Error(r.At(node), "use only one of '" + step_key + ":', 'flow:' and 'end:'");
  }
  return t;
}

Choice ReadChoice(YamlReader& r, const YamlNode& node) {
  Choice c;
  c.where = r.At(node);
  if (!node.IsMap()) {
    r.diags().Error(c.where,
                    "a choice is a map like '{ label: applicant.btn_process, next: process }'");
    return c;
  }
  r.CheckKeys(node, {"label", "id", "next", "flow", "end", "keywords"}, "a choice");
  if (node["label"]) {
    c.label = r.String(node["label"], "a template key").value_or("");
  } else {
    r.diags().Error(c.where, "choice without 'label:' (the template key of the button text)");
  }
  c.id = node["id"] ? r.String(node["id"], "a choice id").value_or("") : c.label;
  c.next = ReadTarget(r, node, "next");
  if (c.next.empty()) {
    r.diags().Error(c.where, "choice '" + c.label +
                                 "' leads nowhere; add 'next: <step id>', 'flow: <flow name>' "
                                 "or 'end: true'");
  }
  if (node["keywords"]) c.keywords = ReadKeywords(r, node["keywords"], "keyword");
  return c;
}

Step ReadStep(YamlReader& r, const YamlNode& node) {
  Step s;
  s.where = r.At(node);
  if (!node.IsMap()) {
    r.diags().Error(s.where, "a step is a map like '- say: common.hello' or '- ask: ...'");
    return s;
  }
  r.CheckKeys(node,
              {"id", "say", "ask", "choices", "if_not_understood", "next", "flow", "end",
               "handover", "if_off_duty"},
              "a step");
  if (node["id"]) s.id = r.String(node["id"], "a step id").value_or("");
  if (node["say"]) s.say = r.String(node["say"], "a template key").value_or("");
  if (node["ask"]) s.ask = r.String(node["ask"], "a template key").value_or("");
  if (node["handover"]) s.handover = r.Bool(node["handover"], "handover").value_or(false);
  if (node["if_off_duty"]) {
    s.if_off_duty = r.String(node["if_off_duty"], "the id of a step in this flow").value_or("");
  }
  if (!s.say.empty() && !s.ask.empty()) {
    r.diags().Error(s.where, "a step either says or asks; split it into two steps");
  }
  if (s.say.empty() && s.ask.empty() && !node["next"] && !node["flow"] && !node["end"] &&
      !s.handover) {
    r.diags().Error(s.where, "step does nothing; give it 'say:' or 'ask:'");
  }
  if (node["choices"]) {
    if (!node["choices"].IsSequence()) {
      r.diags().Error(r.At(node["choices"]), "choices: must be a list, each starting with '- '");
    } else {
      for (const auto& c : node["choices"]) s.choices.push_back(ReadChoice(r, c));
    }
  }
  if (s.is_ask() && s.choices.empty()) {
    r.diags().Error(s.where, "'ask:' needs 'choices:' (a question without answers)");
  }
  if (!s.is_ask() && !s.choices.empty()) {
    r.diags().Error(s.where,
                    "'choices:' only work with 'ask:'; did you mean 'ask: " + s.say + "'?");
  }
  if (node["if_not_understood"]) {
    const YamlNode& rule = node["if_not_understood"];
    s.has_if_not_understood = true;
    s.if_not_understood.where = r.At(rule);
    if (!s.is_ask()) {
      r.diags().Error(r.At(rule), "'if_not_understood:' only makes sense on an 'ask:' step");
    }
    if (rule.IsMap()) {
      r.CheckKeys(rule, {"say", "ask_again", "then", "flow", "end"}, "'if_not_understood'");
      if (rule["say"])
        s.if_not_understood.say = r.String(rule["say"], "a template key").value_or("");
      if (rule["ask_again"]) {
        int n = r.Int(rule["ask_again"], "ask_again").value_or(2);
        if (n < 0 || n > 5) {
          r.diags().Error(r.At(rule["ask_again"]), "ask_again must be between 0 and 5");
        }
        s.if_not_understood.ask_again = std::clamp(n, 0, 5);
      }
      s.if_not_understood.then = ReadTarget(r, rule, "then");
    } else {
      r.diags().Error(
          r.At(rule),
          "if_not_understood is a map like '{ say: common.please_pick, ask_again: 2 }'");
    }
  }
  s.next = ReadTarget(r, node, "next");
  if (s.is_ask() && !s.next.empty()) {
    r.diags().Error(s.where, "an 'ask:' step continues through its choices; remove 'next:'");
  }
  return s;
}

void ReadFlow(YamlReader& r, const YamlNode& root, FlowSet& out) {
  if (root.IsNull()) {
    r.diags().Error({r.file(), 1, 1}, "empty flow file; start with 'flow: <name>' and 'steps:'");
    return;
  }
  if (!root.IsMap()) {
    r.diags().Error(r.At(root), "a flow file is a map starting with 'flow: <name>'");
    return;
  }
  r.CheckKeys(
      root,
      {"flow", "description", "priority", "when", "steps", "flags", "max_replies", "stations"},
      "a flow");
  Flow f;
  f.where = r.At(root);
  if (root["flow"]) {
    f.where = r.At(root["flow"]);
    f.name = r.String(root["flow"], "the flow name").value_or("");
  } else {
    r.diags().Error(f.where, "missing 'flow: <name>' at the top of the file");
    f.name = fs::path(r.file()).stem().string();
  }
  if (root["description"]) f.description = r.String(root["description"], "text").value_or("");
  if (root["priority"]) {
    std::string p = r.String(root["priority"], "a priority").value_or("normal");
    static const std::vector<std::string> kPriorities = {"interrupt", "notice", "normal", "low",
                                                         "fallback"};
    if (p == "interrupt")
      f.priority = Priority::kInterrupt;
    else if (p == "notice")
      f.priority = Priority::kNotice;
    else if (p == "normal")
      f.priority = Priority::kNormal;
    else if (p == "low")
      f.priority = Priority::kLow;
    else if (p == "fallback")
      f.priority = Priority::kFallback;
    else {
      r.diags().Error(r.At(root["priority"]),
                      "unknown priority '" + p + "'" + DidYouMean(p, kPriorities) +
                          "; use interrupt, notice, normal, low or fallback");
    }
  }
  for (auto& [flag, where] : r.StringList(root["flags"], "flag")) f.flags.push_back(flag);
  if (root["max_replies"]) f.max_replies = r.Int(root["max_replies"], "max_replies").value_or(0);
  if (root["stations"]) {
    f.stations_where = r.At(root["stations"]);
    for (auto& [station, where] : r.StringList(root["stations"], "station id")) {
      f.stations.push_back(station);
    }
  }
  if (const YamlNode& when = root["when"]) {
    if (when.IsSequence()) {
      for (const auto& t : when) f.triggers.push_back(ReadTrigger(r, t));
    } else {
      f.triggers.push_back(ReadTrigger(r, when));
    }
  }
  if (const YamlNode& steps = root["steps"]) {
    if (!steps.IsSequence()) {
      r.diags().Error(r.At(steps), "steps: must be a list, each step starting with '- '");
    } else {
      for (const auto& s : steps) f.steps.push_back(ReadStep(r, s));
    }
  }
  if (f.steps.empty()) {
    r.diags().Error(f.where, "flow '" + f.name +
                                 "' has no steps; add 'steps:' with at least "
                                 "one '- say: <template key>'");
  }
  out.flows.push_back(std::move(f));
}

}  // namespace

void LoadFlowString(const std::string& yaml, const std::string& name, FlowSet& out,
                    Diagnostics& diags) {
  auto root = LoadYamlString(yaml, name, diags);
  if (!root) return;
  YamlReader r(name, diags);
  GuardYaml(name, diags, [&] { ReadFlow(r, *root, out); });
}

void LoadFlowFile(const std::string& path, FlowSet& out, Diagnostics& diags) {
  auto root = LoadYamlFile(path, diags);
  if (!root) return;
  YamlReader r(path, diags);
  GuardYaml(path, diags, [&] { ReadFlow(r, *root, out); });
}

std::vector<std::string> YamlFilesIn(const std::string& path) {
  std::vector<std::string> out;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    for (const auto& e : fs::directory_iterator(path, ec)) {
      auto ext = e.path().extension().string();
      if (e.is_regular_file() && (ext == ".yaml" || ext == ".yml"))
        out.push_back(e.path().string());
    }
    std::sort(out.begin(), out.end());
  } else {
    out.push_back(path);
  }
  return out;
}

FlowSet LoadFlowDir(const std::string& dir, Diagnostics& diags) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    diags.Error({dir, 0, 0}, "flow folder not found");
    return {};
  }
  return LoadFlowFiles(YamlFilesIn(dir), diags);
}

FlowSet LoadFlowFiles(const std::vector<std::string>& files, Diagnostics& diags) {
  // Files are independent: read them on the available cores, then put flows and
  // diagnostics together in the given order, as a sequential read would.
  std::vector<FlowSet> parts(files.size());
  std::vector<Diagnostics> part_diags(files.size());
  ParallelFor(files.size(), [&](size_t i) { LoadFlowFile(files[i], parts[i], part_diags[i]); });
  FlowSet set;
  for (size_t i = 0; i < files.size(); ++i) {
    for (auto& f : parts[i].flows) set.flows.push_back(std::move(f));
    diags.Merge(part_diags[i]);
  }
  return set;
}

}  // namespace wache::bot
