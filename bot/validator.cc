#include "bot/validator.h"

#include <functional>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "bot/normalizer.h"
#include "bot/parallel.h"

namespace wache::bot {
namespace {

// The step a say step continues with inside its flow; -1 if it asks, ends, goes to another
// flow or runs off the end of the flow.
int SaySuccessor(const Flow& f, int i) {
  const Step& s = f.steps[static_cast<size_t>(i)];
  if (s.is_ask() || s.next.end || !s.next.flow.empty()) return -1;
  int next = s.next.step.empty() ? i + 1 : f.StepIndex(s.next.step);
  return next < static_cast<int>(f.steps.size()) ? next : -1;
}

bool IsIdentifier(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
              c == '.' || (c >= 'A' && c <= 'Z');
    if (!ok) return false;
  }
  return true;
}

struct TemplateUse {
  std::string key;
  SourceLocation where;
  bool is_label = false;
  const Flow* flow = nullptr;
};

std::string JoinQuoted(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "'" : ", '") + i + "'";
  return out;
}

// "every station" or "station(s) 'koeln', 'bonn'".
// "'a', 'b', 'c', 'd', 'e' and 117 more": a message stays readable with 120 accounts.
std::string ShortList(const std::vector<std::string>& items, size_t shown = 5) {
  if (items.size() <= shown + 1) return JoinQuoted(items);
  return JoinQuoted({items.begin(), items.begin() + static_cast<std::ptrdiff_t>(shown)}) + " and " +
         std::to_string(items.size() - shown) + " more";
}

// Whether some account has both flows.
bool ShareAnAccount(const Flow& a, const Flow& b) {
  if (a.stations.empty() || b.stations.empty()) return true;
  for (const auto& s : a.stations) {
    if (b.Serves(s)) return true;
  }
  return false;
}

std::string WhoHas(const Flow& f) {
  return f.stations.empty() ? std::string("every station") : "station(s) " + JoinQuoted(f.stations);
}

class Checker {
 public:
  Checker(const Playbook& pb, const GatewayConfig& cfg, Diagnostics& diags)
      : pb_(pb), cfg_(cfg), diags_(diags) {
    for (const auto& a : cfg_.accounts) default_languages_.insert(a.language);
    variable_names_ = cfg_.VariableNames();
    if (default_languages_.empty()) default_languages_.insert("de");
  }

  void Run() {
    CheckFlowNames();
    for (const auto& f : pb_.flows.flows) CheckFlow(f);
    CheckSpecialFlows();
    CheckFlowStations();
    CheckTemplateUses();
    CheckTemplateTexts();
    CheckStationTexts();
    CheckTriggerOverlaps();
    CheckAccounts();
  }

 private:
  void CheckFlowNames() {
    std::map<std::string, const Flow*> seen;
    for (const auto& f : pb_.flows.flows) {
      if (!IsIdentifier(f.name)) {
        diags_.Error(f.where,
                     "flow name '" + f.name + "' may use only letters, digits, '_', '-' and '.'");
      }
      auto [it, inserted] = seen.emplace(f.name, &f);
      if (!inserted) {
        diags_.Error(f.where, "flow '" + f.name + "' is defined twice (also at " +
                                  it->second->where.file + ":" +
                                  std::to_string(it->second->where.line) + ")");
      }
    }
  }

  void CheckTarget(const Flow& f, const Target& t, const SourceLocation& where,
                   const std::vector<std::string>& step_ids) {
    if (!t.step.empty() && f.StepIndex(t.step) < 0) {
      diags_.Error(where, "unknown step '" + t.step + "' in flow '" + f.name + "'" +
                              DidYouMean(t.step, step_ids));
    }
    if (t.flow.empty()) return;
    const Flow* target = pb_.flows.Find(t.flow);
    if (!target) {
      diags_.Error(where, "unknown flow '" + t.flow + "'" + DidYouMean(t.flow, pb_.flows.Names()));
      return;
    }
    // A flow may lead only where all of its accounts can follow.
    std::vector<std::string> left_out;
    for (const auto& st : f.stations.empty() ? cfg_.stations : f.stations) {
      if (!target->Serves(st)) left_out.push_back(st);
    }
    if (!target->stations.empty() && (f.stations.empty() || !left_out.empty())) {
      diags_.Error(where, "flow '" + f.name + "' (" + WhoHas(f) + ") leads to flow '" + t.flow +
                              "', which only " + WhoHas(*target) +
                              " have; the conversation would end there for the others. Give '" +
                              f.name + "' the same 'stations:', or add the missing ones to '" +
                              t.flow + "'");
    }
  }

  void CheckFlow(const Flow& f) {
    std::vector<std::string> step_ids;
    std::set<std::string> seen_ids;
    for (const auto& s : f.steps) {
      if (s.id.empty()) continue;
      step_ids.push_back(s.id);
      if (!IsIdentifier(s.id)) {
        diags_.Error(s.where, "step id '" + s.id + "' may use only letters, digits, '_', '-', '.'");
      }
      if (!seen_ids.insert(s.id).second) {
        diags_.Error(s.where, "step id '" + s.id + "' is used twice in flow '" + f.name + "'");
      }
    }
    for (const auto& t : f.triggers) {
      if (!t.start_at.empty() && f.StepIndex(t.start_at) < 0) {
        diags_.Error(t.where, "start_at: unknown step '" + t.start_at + "'" +
                                  DidYouMean(t.start_at, step_ids));
      }
    }
    for (size_t i = 0; i < f.steps.size(); ++i) {
      const Step& s = f.steps[i];
      if (!s.say.empty()) uses_.push_back({s.say, s.where, false, &f});
      if (s.is_ask()) {
        uses_.push_back({s.ask, s.where, false, &f});
        if (s.id.empty()) {
          diags_.Error(s.where,
                       "give this question an 'id:' so that its buttons keep working "
                       "when steps are reordered");
        }
        if (s.choices.size() > 10) {
          diags_.Error(s.where,
                       "a question can offer at most 10 choices (WhatsApp list limit); "
                       "split it into a menu with sub-menus");
        }
        std::set<std::string> choice_ids;
        for (const auto& c : s.choices) {
          if (!c.label.empty()) uses_.push_back({c.label, c.where, true, &f});
          if (!choice_ids.insert(c.id).second) {
            diags_.Error(c.where, "two choices with the id '" + c.id +
                                      "' in one question; give one an 'id:'");
          }
          if (c.id.find('|') != std::string::npos) {
            diags_.Error(c.where, "choice id must not contain '|'");
          }
          CheckTarget(f, c.next, c.where, step_ids);
        }
        if (s.has_if_not_understood) {
          if (!s.if_not_understood.say.empty()) {
            uses_.push_back({s.if_not_understood.say, s.if_not_understood.where, false, &f});
          }
          CheckTarget(f, s.if_not_understood.then, s.if_not_understood.where, step_ids);
        }
      }
      CheckTarget(f, s.next, s.where, step_ids);
      if (!s.if_off_duty.empty()) {
        Target off;
        off.step = s.if_off_duty;
        CheckTarget(f, off, s.where, step_ids);
        if (s.if_off_duty == s.id) {
          diags_.Error(s.where, "if_off_duty names the step itself; name another step of '" +
                                    f.name + "' that says what happens off duty");
        }
        // On duty the step must not run on into its off-duty version ("back tomorrow"
        // said while the team is there).
        const int self = f.StepIndex(s.id);
        if (!s.is_ask() && s.next.empty() && self >= 0 && f.StepIndex(s.if_off_duty) == self + 1) {
          diags_.Error(s.where, "on duty this step runs on into its if_off_duty step '" +
                                    s.if_off_duty + "'; add 'end: true' (or 'next:') to it");
        }
        for (const auto& a : cfg_.accounts) {
          if (!a.calendar && !a.calendar_broken) {
            diags_.Warning(s.where, "step uses if_off_duty, but account '" + a.id +
                                        "' has no calendar: it always takes the on-duty path "
                                        "(add calendar: under defaults:, its station or it)");
            break;
          }
        }
      }
    }
    CheckReachable(f);
    for (const auto& t : f.triggers) {
      for (const auto& k : t.keywords) {
        if (!k.language.empty() && !pb_.templates.by_language().count(k.language)) {
          diags_.Warning(k.where, "keywords for language '" + k.language + "' but templates/" +
                                      k.language +
                                      "/ does not exist; replies will use the account's language");
          break;
        }
      }
    }
  }

  void CheckReachable(const Flow& f) {
    const int n = static_cast<int>(f.steps.size());
    std::vector<bool> reached(static_cast<size_t>(n), false);
    std::vector<int> todo = {0};
    for (const auto& t : f.triggers) {
      if (!t.start_at.empty()) todo.push_back(f.StepIndex(t.start_at));
    }
    // Other flows may jump into this one only at its start, so steps are reached from the
    // start, from start_at triggers and from targets inside the flow.
    while (!todo.empty()) {
      int i = todo.back();
      todo.pop_back();
      if (i < 0 || i >= n || reached[static_cast<size_t>(i)]) continue;
      reached[static_cast<size_t>(i)] = true;
      const Step& s = f.steps[static_cast<size_t>(i)];
      auto go = [&](const Target& t) {
        if (!t.step.empty()) todo.push_back(f.StepIndex(t.step));
      };
      if (!s.if_off_duty.empty()) todo.push_back(f.StepIndex(s.if_off_duty));
      if (s.is_ask()) {
        for (const auto& c : s.choices) go(c.next);
        go(s.if_not_understood.then);
      } else if (s.next.empty()) {
        todo.push_back(i + 1);
      } else {
        go(s.next);
      }
    }
    // Say steps that lead back to themselves without a question in between would send
    // message after message without waiting for the person. Each cycle is reported once,
    // at its first step in the file.
    for (int start = 0; start < n; ++start) {
      int first = start;
      bool back = false;
      for (int i = SaySuccessor(f, start), hops = 0; i >= 0 && hops < n;
           i = SaySuccessor(f, i), ++hops) {
        if (i == start) {
          back = true;
          break;
        }
        first = std::min(first, i);
      }
      if (back && first == start) {
        diags_.Error(f.steps[static_cast<size_t>(start)].where,
                     "steps of flow '" + f.name +
                         "' jump in a circle without asking anything; the bot would send message "
                         "after message. Add an 'ask:' step or 'end: true'");
      }
    }
    for (int i = 0; i < n; ++i) {
      if (!reached[static_cast<size_t>(i)]) {
        const Step& s = f.steps[static_cast<size_t>(i)];
        diags_.Warning(s.where,
                       "step " + (s.id.empty() ? "#" + std::to_string(i + 1) : "'" + s.id + "'") +
                           " in flow '" + f.name +
                           "' is unreachable: no choice, 'next:' or 'start_at:' leads "
                           "to it and the step before it does not continue");
      }
    }
  }

  void CheckSpecialFlows() {
    const Flow* emergency = pb_.flows.Find("emergency");
    if (!emergency) {
      diags_.Error({cfg_.flows_dir, 0, 0},
                   "no 'emergency' flow: every installation needs 'flow: emergency' with "
                   "'priority: interrupt', so that people in danger are told to call the "
                   "emergency number");
    } else if (emergency->priority != Priority::kInterrupt) {
      diags_.Error(emergency->where,
                   "the emergency flow must have 'priority: interrupt' (checked on every message)");
    } else if (emergency->triggers.empty()) {
      diags_.Error(emergency->where, "the emergency flow has no 'when:' triggers");
    }
    int fallbacks = 0;
    for (const auto& f : pb_.flows.flows) {
      if (f.priority != Priority::kFallback) continue;
      if (++fallbacks > 1) {
        diags_.Warning(f.where, "more than one fallback flow; only the first is used");
      }
      if (!f.triggers.empty()) {
        diags_.Warning(f.triggers.front().where,
                       "the fallback flow's 'when:' triggers are never used: it answers only "
                       "what no other flow understood. Move them to a flow with 'priority: "
                       "normal', or remove them");
      }
    }
    if (fallbacks == 0) {
      diags_.Error({cfg_.flows_dir, 0, 0},
                   "no fallback flow: add a flow with 'priority: fallback' that answers what "
                   "nothing else understood");
    }
    // Flows nobody can reach: no trigger and no jump to them.
    std::set<std::string> targets;
    for (const auto& f : pb_.flows.flows) {
      for (const auto& s : f.steps) {
        targets.insert(s.next.flow);
        targets.insert(s.if_not_understood.then.flow);
        for (const auto& c : s.choices) targets.insert(c.next.flow);
      }
    }
    for (const auto& f : pb_.flows.flows) {
      if (f.priority == Priority::kFallback || !f.triggers.empty() || targets.count(f.name))
        continue;
      diags_.Warning(f.where, "flow '" + f.name +
                                  "' has no 'when:' triggers and no other flow "
                                  "leads to it, so it never runs");
    }
  }

  void CheckTemplateUses() {
    for (const auto& key : EngineTemplateKeys()) used_.insert(key);
    std::vector<std::string> all_keys = pb_.templates.Keys();
    for (const auto& use : uses_) {
      used_.insert(use.key);
      if (use.is_label) labels_.insert(use.key);
      if (pb_.templates.Has(use.key)) continue;
      // A station's own flow may use a text only its stations have.
      std::vector<std::string> without;
      for (const auto& st : use.flow ? use.flow->stations : std::vector<std::string>{}) {
        if (!pb_.templates.HasForStation(st, use.key)) without.push_back(st);
      }
      if (use.flow && !use.flow->stations.empty() && without.empty()) continue;
      if (use.flow && !use.flow->stations.empty() && without.size() < use.flow->stations.size()) {
        diags_.Error(use.where, "template '" + use.key + "' is missing for station(s) " +
                                    JoinQuoted(without) + "; add it to templates/stations/" +
                                    without.front() +
                                    "/<language>/, or for everyone to templates/<language>/");
        continue;
      }
      diags_.Error(use.where, "unknown template '" + use.key + "'" + DidYouMean(use.key, all_keys) +
                                  "; add it to templates/<language>/*.yaml");
    }
    for (const auto& key : EngineTemplateKeys()) {
      if (!pb_.templates.Has(key)) {
        diags_.Error({cfg_.templates_dir, 0, 0},
                     "missing template '" + key + "', which the engine itself uses");
      }
    }
  }

  void CheckTemplateTexts() {
    const auto& langs = pb_.templates.by_language();
    // Unused keys are reported once, in an account's own language where they exist there.
    std::vector<std::string> order(default_languages_.begin(), default_languages_.end());
    for (const auto& [lang, texts] : langs) {
      if (!default_languages_.count(lang)) order.push_back(lang);
    }
    std::vector<std::string> undefined;  // keys flows use but no template defines
    for (const auto& u : used_) {
      if (!pb_.templates.Has(u)) undefined.push_back(u);
    }
    std::set<std::string> reported_unused;
    for (const auto& lang : order) {
      auto texts = langs.find(lang);
      if (texts == langs.end()) continue;
      for (const auto& [key, t] : texts->second) {
        if (used_.count(key) || !reported_unused.insert(key).second) continue;
        // Hint only at a close, undefined key: the likely typo pair.
        std::string hint;
        for (const auto& u : undefined) {
          if (EditDistance(key, u, 2) <= 2)
            hint = " (did flows mean this where they say '" + u + "'?)";
        }
        diags_.Warning(t.where, "template '" + key + "' is not used by any flow" + hint);
      }
    }
    std::vector<const Account*> everyone;
    for (const auto& a : cfg_.accounts) everyone.push_back(&a);
    for (const auto& [lang, texts] : langs) {
      for (const auto& [key, t] : texts) CheckText(key, lang, t, everyone);
    }
    // Missing translations: a key that exists in one language should exist in all.
    for (const auto& key : pb_.templates.Keys()) {
      const TemplateText* any = nullptr;
      for (const auto& [lang, texts] : langs) {
        if (auto it = texts.find(key); it != texts.end()) any = &it->second;
      }
      for (const auto& [lang, texts] : langs) {
        if (texts.count(key)) continue;
        if (default_languages_.count(lang)) {
          // An account's own language is the fallback itself: nothing to fall back to.
          std::vector<std::string> ids;
          for (const auto& a : cfg_.accounts) {
            if (a.language == lang) ids.push_back(a.id);
          }
          const std::string accounts = ShortList(ids);
          diags_.Error(any->where, "template '" + key + "' has no '" + lang + "' text, the " +
                                       "default language of account(s) " + accounts +
                                       "; add it to templates/" + lang + "/");
          continue;
        }
        std::set<std::string> fallbacks;
        for (const auto& a : cfg_.accounts) {
          if (Find(a.language, key)) fallbacks.insert(a.language);
        }
        std::string used;
        for (const auto& f : fallbacks) used += (used.empty() ? "'" : ", '") + f + "'";
        diags_.Warning(any->where,
                       "missing translation: template '" + key + "' has no '" + lang +
                           "' text (templates/" + lang + "/); " +
                           (used.empty() ? "nothing" : "the account's language (" + used + ")") +
                           " is used instead");
      }
    }
  }

  // Every text and variant of one template: its variables (known, and defined for the
  // `accounts` that may send it) and, for button labels, the length.
  void CheckText(const std::string& key, const std::string& lang, const TemplateText& t,
                 const std::vector<const Account*>& accounts) {
    const std::vector<std::string>& variables = variable_names_;
    std::vector<std::pair<std::string, std::string>> all;  // (variant, text)
    for (const auto& v : t.variations) all.emplace_back("", v);
    for (const auto& [platform, vs] : t.platform) {
      for (const auto& v : vs) all.emplace_back(platform, v);
    }
    for (const auto& [platform, text] : all) {
      for (const auto& var : VariablesIn(text)) {
        if (var.name == "next_staffed_time") {
          // Filled in by the engine from the account's calendar. Harmless when only
          // if_off_duty steps say it (they need a calendar to run), so a warning.
          for (const Account* a : accounts) {
            if (!a->calendar && !a->calendar_broken) {
              diags_.Warning(t.where, "template '" + key + "' (" + lang +
                                          ") uses {next_staffed_time}, but account '" + a->id +
                                          "' has no calendar; add calendar: (time_zone, "
                                          "staffed) under defaults:, its station or the "
                                          "account");
              break;
            }
          }
          continue;
        }
        if (std::find(variables.begin(), variables.end(), var.name) == variables.end()) {
          diags_.Error(t.where, "template '" + key + "' (" + lang + ") uses unknown variable {" +
                                    var.name + "}" + DidYouMean(var.name, variables) +
                                    "; define it under 'variables:' in the config");
          continue;
        }
        for (const Account* a : accounts) {
          if (!a->variables.count(var.name)) {
            diags_.Warning(t.where, "template '" + key + "' uses {" + var.name +
                                        "}, which account '" + a->id + "' does not define");
          }
        }
      }
      if (labels_.count(key)) {
        std::string shown = FillVariables(text, {});
        if (CodePointCount(shown) > kMaxLabelLength) {
          diags_.Error(t.where, "button label '" + key + "' (" + lang +
                                    (platform.empty() ? "" : ", " + platform) + ") has " +
                                    std::to_string(CodePointCount(shown)) +
                                    " characters; WhatsApp allows " +
                                    std::to_string(kMaxLabelLength) + ": \"" + text + "\"");
        }
      }
    }
  }

  // Flows of one station: known stations, and never the emergency or fallback flow (those
  // must answer on every account).
  void CheckFlowStations() {
    for (const auto& f : pb_.flows.flows) {
      if (!f.stations_where.file.empty() && f.stations.empty()) {
        diags_.Error(f.stations_where,
                     "'stations:' names no station; list the station ids "
                     "(from the config's stations:) or remove the line");
      }
      if (f.stations.empty()) continue;
      if (f.name == "emergency" || f.priority == Priority::kFallback) {
        diags_.Error(f.stations_where,
                     "flow '" + f.name + "' must answer on every account; remove 'stations:'");
      }
      for (const auto& st : f.stations) {
        if (std::find(cfg_.stations.begin(), cfg_.stations.end(), st) != cfg_.stations.end()) {
          continue;
        }
        UnknownStation(f.stations_where, st, "unknown station '" + st + "'",
                       "; stations are the ids under 'stations:' in " +
                           (cfg_.file.empty() ? std::string("the config") : cfg_.file),
                       "flow '" + f.name + "' is for station '" + st +
                           "', which the config does not have under 'stations:'; no account "
                           "gets it from that station");
      }
    }
  }

  // A station id the config lacks. A name close to a configured station is a typo (an
  // error: `typo` + the hint + `fix`); any other is a station this config does not have
  // (a warning, `absent`: the shipped Köln example with a config of another force).
  void UnknownStation(const SourceLocation& where, const std::string& station,
                      const std::string& typo, const std::string& fix, const std::string& absent) {
    const std::string hint = DidYouMean(station, cfg_.stations);
    if (!hint.empty()) {
      diags_.Error(where, typo + hint + fix);
    } else {
      diags_.Warning(where, absent);
    }
  }

  // templates/stations/<station>/<lang>/: what one station says differently.
  void CheckStationTexts() {
    const auto base_keys = pb_.templates.Keys();
    const auto langs = pb_.templates.Languages();
    for (const auto& [station, by_lang] : pb_.templates.by_station()) {
      const std::string folder =
          cfg_.templates_dir + "/" + TemplateSet::kStationFolder + "/" + station;
      std::vector<const Account*> accounts;
      for (const auto& a : cfg_.accounts) {
        if (a.station == station) accounts.push_back(&a);
      }
      if (std::find(cfg_.stations.begin(), cfg_.stations.end(), station) == cfg_.stations.end()) {
        UnknownStation({folder, 0, 0}, station, "templates for unknown station '" + station + "'",
                       "; the folder name must be a station id from the config's stations:",
                       "templates for station '" + station +
                           "', which the config does not have under 'stations:'; no account "
                           "uses them");
        continue;
      }
      std::map<std::string, SourceLocation> own_keys;  // keys only this station has
      for (const auto& [lang, texts] : by_lang) {
        if (std::find(langs.begin(), langs.end(), lang) == langs.end()) {
          diags_.Warning({folder + "/" + lang, 0, 0}, "no templates/" + lang +
                                                          "/ folder for everyone, so the bot never "
                                                          "answers in '" +
                                                          lang + "' and these texts are not used");
        }
        for (const auto& [key, t] : texts) {
          CheckText(key, lang, t, accounts);
          if (pb_.templates.Has(key)) continue;
          own_keys.emplace(key, t.where);
          if (!used_.count(key)) {
            diags_.Warning(t.where, "template '" + key + "' of station '" + station +
                                        "' replaces no text for everyone and no flow uses it" +
                                        DidYouMean(key, base_keys));
          }
        }
      }
      // A text only the station has must exist in the language of each of its accounts:
      // that language is the last fallback.
      for (const auto& [key, where] : own_keys) {
        for (const Account* a : accounts) {
          if (pb_.templates.FindForStation(station, a->language, key)) continue;
          diags_.Error(where, "template '" + key + "' of station '" + station + "' has no '" +
                                  a->language + "' text, the language of account '" + a->id +
                                  "'; add it to " + folder + "/" + a->language + "/");
        }
      }
    }
  }

  // Same keyword in two places, or a normal keyword that an interrupt flow always catches.
  void CheckTriggerOverlaps() {
    // Normalising every keyword and matching the ordinary ones against the interrupt flows
    // is most of `wache check` over many files. Each distinct keyword text is examined once
    // (station flows repeat each other's words), on the available cores, and reported in
    // file order below.
    auto ordinary = [](const Flow& f, const Keyword& k) {
      return (f.priority == Priority::kNormal || f.priority == Priority::kLow) &&
             k.text.find('*') == std::string::npos;
    };
    struct Examined {
      const std::string* text = nullptr;
      bool ordinary = false;  // some use can be shadowed: match it against the interrupts
      std::string normalized;
      std::vector<TriggerMatch> interrupts;  // interrupt flows that answer it alone
    };
    // Every keyword of every flow, in file order.
    struct Use {
      const Flow* flow;
      const Keyword* keyword;
      size_t examined;  // its entry in `texts`
    };
    std::vector<Use> uses;
    std::vector<Examined> texts;
    std::unordered_map<std::string_view, size_t> text_index;
    for (const auto& f : pb_.flows.flows) {
      for (const auto& t : f.triggers) {
        for (const auto& k : t.keywords) {
          auto [it, added] = text_index.try_emplace(k.text, texts.size());
          if (added) texts.push_back({&k.text});
          texts[it->second].ordinary |= ordinary(f, k);
          uses.push_back({&f, &k, it->second});
        }
      }
    }
    ParallelFor(texts.size(), [&](size_t i) {
      Examined& e = texts[i];
      NormalizedText n = Normalize(*e.text);
      if (e.ordinary) e.interrupts = pb_.matcher->Match(Priority::kInterrupt, n, *e.text);
      e.normalized = std::move(n.text);
    });

    // Two uses are the same keyword when priority, language, normalised text and the place
    // of the wildcards ("*tattoo" and "tattoo*" differ) are. The uses of one keyword form a
    // chain through `next_use`, in file order, so that each is compared with those before it
    // without a list per keyword (thousands of small allocations over 200 files).
    struct Same {
      Priority priority;
      std::string_view language, normalized;
      bool lead, trail;
      bool operator==(const Same&) const = default;
    };
    struct SameHash {
      size_t operator()(const Same& s) const {
        size_t h = std::hash<std::string_view>()(s.normalized);
        h = h * 31 + std::hash<std::string_view>()(s.language);
        return h * 8 + static_cast<size_t>(s.priority) * 4 + s.lead * 2 + s.trail;
      }
    };
    std::unordered_map<Same, std::pair<size_t, size_t>, SameHash> first_last;  // of a chain
    first_last.reserve(uses.size());
    constexpr size_t kNone = static_cast<size_t>(-1);
    std::vector<size_t> next_use(uses.size(), kNone);
    for (size_t u = 0; u < uses.size(); ++u) {
      const Flow& f = *uses[u].flow;
      const Keyword& k = *uses[u].keyword;
      const Examined& examined = texts[uses[u].examined];
      const Same same{f.priority, k.language, examined.normalized,
                      !k.text.empty() && k.text.front() == '*',
                      !k.text.empty() && k.text.back() == '*'};
      auto [chain, first] = first_last.try_emplace(same, u, u);
      if (!first) {
        for (size_t e = chain->second.first; e != kNone; e = next_use[e]) {
          const Flow& earlier = *uses[e].flow;
          const SourceLocation& at = uses[e].keyword->where;
          const std::string other =
              at.file + ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
          // A station's own flow may take a word of a flow for everyone: for that
          // station's accounts it answers instead (the engine prefers it).
          const bool station_answers_instead = earlier.stations.empty() != f.stations.empty();
          if (&earlier == &f) {
            diags_.Warning(k.where, "duplicate keyword '" + k.text + "' in flow '" + f.name +
                                        "' (also at " + other + ")");
            break;
          }
          if (!station_answers_instead && ShareAnAccount(earlier, f)) {
            diags_.Warning(k.where, "keyword '" + k.text + "' also triggers flow '" + earlier.name +
                                        "' (" + other + "); only one of them can answer it");
            break;
          }
        }
        next_use[chain->second.second] = u;
        chain->second.second = u;
      }
      if (!ordinary(f, k)) continue;
      for (const TriggerMatch& hit : examined.interrupts) {
        if (!ShareAnAccount(*hit.flow, f)) continue;
        diags_.Warning(k.where, "keyword '" + k.text + "' is shadowed: the interrupt flow '" +
                                    hit.flow->name + "' answers it first (matched '" + hit.matched +
                                    "'); remove it here or add an "
                                    "'except:' phrase there");
        break;
      }
    }
  }

  void CheckAccounts() {
    const auto langs = pb_.templates.Languages();
    for (const auto& a : cfg_.accounts) CheckNeverStaffed(a);
    // One message per language and the layer that set it (a typo under defaults: would
    // otherwise be one error per account: 120 of them).
    std::map<std::pair<std::string, std::string>, std::vector<const Account*>> missing;
    for (const auto& a : cfg_.accounts) {
      if (std::find(langs.begin(), langs.end(), a.language) != langs.end()) continue;
      auto from = a.origin.find("language");
      missing[{a.language, from == a.origin.end() ? "" : from->second}].push_back(&a);
    }
    for (const auto& [lang_from, accounts] : missing) {
      const auto& [lang, from] = lang_from;
      std::vector<std::string> ids;
      for (const Account* a : accounts) ids.push_back(a->id);
      diags_.Error(accounts.front()->where,
                   (accounts.size() == 1 ? "account " : "accounts ") + ShortList(ids) + " use" +
                       (accounts.size() == 1 ? "s" : "") + " language '" + lang + "'" +
                       (from.empty() ? "" : " (set in " + from + ")") +
                       ", but there is no templates/" + lang +
                       "/ folder; the languages with texts are " + JoinQuoted(langs));
    }
  }

  const TemplateText* Find(const std::string& lang, const std::string& key) const {
    return pb_.templates.Find(lang, key);
  }

  // `staffed: none` is a calendar that is never on duty: "back {next_staffed_time}" would
  // read "back " with nothing after it. The station can say it its own way instead.
  void CheckNeverStaffed(const Account& a) {
    if (!a.calendar || !a.calendar_spec.weekly.empty() || !a.calendar_spec.openings.empty()) {
      return;
    }
    for (const auto& key : pb_.templates.Keys()) {
      const TemplateText* t =
          a.station.empty() ? nullptr : pb_.templates.FindForStation(a.station, a.language, key);
      if (!t) t = Find(a.language, key);
      if (!t) continue;
      bool uses = false;
      for (const auto& v : t->variations) {
        for (const auto& var : VariablesIn(v)) uses |= var.name == "next_staffed_time";
      }
      if (!uses) continue;
      const std::string station = a.station.empty() ? "<station>" : a.station;
      diags_.Warning(t->where, "account '" + a.id +
                                   "' is never on duty (staffed: none), so {next_staffed_time} "
                                   "in '" +
                                   key + "' (" + a.language +
                                   ") would be empty; give it a text without it in "
                                   "templates/stations/" +
                                   station + "/" + a.language + "/, or staffed hours");
    }
  }

  const Playbook& pb_;
  const GatewayConfig& cfg_;
  Diagnostics& diags_;
  std::set<std::string> default_languages_;
  std::vector<std::string> variable_names_;
  std::vector<TemplateUse> uses_;
  std::set<std::string> used_;
  std::set<std::string> labels_;
};

}  // namespace

const std::vector<std::string>& EngineTemplateKeys() {
  // common.unsupported answers pictures and voice messages; common.menu_button labels the
  // button that opens a WhatsApp list (the webhook adapter asks for it).
  static const std::vector<std::string> kKeys = {"common.stale_button", "common.unsupported",
                                                 "common.menu_button"};
  return kKeys;
}

void Validate(const Playbook& playbook, const GatewayConfig& config, Diagnostics& diags) {
  Checker(playbook, config, diags).Run();
}

}  // namespace wache::bot
