// The flow model: what the files in flows/ mean once loaded. Plain data, no behaviour.
// The format is documented for staff in flows/README.md; this header is the contract
// between the loader, the validator, the matcher and the engine.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "bot/diagnostics.h"

namespace wache::bot {

// How a flow takes part in matching. The order is fixed; see flows/README.md.
enum class Priority {
  kInterrupt,  // checked first on every message, even inside another flow (emergencies)
  kNotice,     // adds its replies in front of whatever answers the message (data warning)
  kNormal,     // started by its triggers when no question is pending or the answer fits none
  kLow,        // small talk (greetings, thanks): only when no normal flow matched
  kFallback,   // answers what nothing else understood; exactly one flow should have it
};

// A keyword or phrase as written by staff. `*` at the start or end of a word matches a
// part of a word ("messer*" matches "messerangriff"). Matching is whole-word otherwise.
struct Keyword {
  std::string text;
  std::string language;  // "" = any language
  SourceLocation where;
};

struct Pattern {
  std::string regex;  // RE2 syntax
  SourceLocation where;
};

// One way into a flow. A message matches if any keyword or pattern matches, or every
// all_of group has a match, after the `except` phrases have been taken out of the text.
struct Trigger {
  std::vector<Keyword> keywords;
  // Groups of which every one must match somewhere in the message, e.g. "something happens
  // now" and "someone is hurt": {gerade, jetzt} x {schlägt, tritt}. Any order, any distance.
  std::vector<std::vector<Keyword>> all_of;
  std::vector<Pattern> patterns;      // run on the normalised text
  std::vector<Pattern> raw_patterns;  // run on the text as typed (e-mail, IBAN, ...)
  std::vector<Keyword> except;        // phrases that make a keyword harmless ("hilfe bei")
  std::string start_at;               // step id to start at; "" = the first step
  SourceLocation where;
};

// What a choice, a step or a not-understood rule leads to: a step of the same flow, another
// flow, or the end. Empty target = go on with the next step in the file.
struct Target {
  std::string step;
  std::string flow;
  bool end = false;
  bool empty() const { return step.empty() && flow.empty() && !end; }
};

struct Choice {
  std::string id;     // stable name used in button payloads; defaults to the label key
  std::string label;  // template key of the button label
  Target next;
  std::vector<Keyword> keywords;  // extra words that pick this choice ("ja", "yes")
  SourceLocation where;
};

struct NotUnderstood {
  std::string say;    // template key said before asking again
  int ask_again = 2;  // how many times the question is repeated
  Target then;        // after that; empty = the fallback flow
  SourceLocation where;
};

struct Step {
  std::string id;   // optional for say steps; needed to jump to a step
  std::string say;  // template key (a say step), or
  std::string ask;  // template key of a question with choices (an ask step)
  std::vector<Choice> choices;
  NotUnderstood if_not_understood;
  bool has_if_not_understood = false;
  Target next;            // after a say step
  bool handover = false;  // ask staff to take over (sets the "handover" flag)
  // A step of the same flow run instead when the account's team is off duty (its
  // calendar): "staff are back {next_staffed_time}; the control centre ...". "" = none.
  std::string if_off_duty;
  SourceLocation where;

  bool is_ask() const { return !ask.empty(); }
};

struct Flow {
  std::string name;
  std::string description;
  Priority priority = Priority::kNormal;
  std::vector<Trigger> triggers;
  std::vector<Step> steps;
  std::vector<std::string> flags;  // reported with every message this flow answers
  int max_replies = 0;             // per conversation; 0 = no limit. Later matches stay silent.
  // The stations (ids under `stations:` in the config) whose accounts have this flow; empty
  // = every account. A station's own flow: Köln's carnival questions, a match-day flow.
  std::vector<std::string> stations;
  SourceLocation stations_where;  // the `stations:` line
  SourceLocation where;           // the `flow:` line

  // Whether accounts of `station` have this flow.
  bool Serves(const std::string& station) const {
    if (stations.empty()) return true;
    for (const auto& s : stations) {
      if (s == station) return true;
    }
    return false;
  }

  int StepIndex(const std::string& id) const {
    for (size_t i = 0; i < steps.size(); ++i) {
      if (steps[i].id == id) return static_cast<int>(i);
    }
    return -1;
  }
};

struct FlowSet {
  std::vector<Flow> flows;  // in load order (file names sorted)

  const Flow* Find(const std::string& name) const {
    for (const auto& f : flows) {
      if (f.name == name) return &f;
    }
    return nullptr;
  }
  std::vector<std::string> Names() const {
    std::vector<std::string> out;
    for (const auto& f : flows) out.push_back(f.name);
    return out;
  }
};

}  // namespace wache::bot
