// Matcher: finds which flows a message triggers and which choice an answer picks.
//
// Keywords are compared on normalised tokens, whole words, in both umlaut spellings
// ("überfall" matches "ueberfall" and "uberfall"). `*` at a word's start or end matches
// part of a word. Words of seven letters or more also match with one typo (a letter
// missing, extra, wrong or swapped), as long as the first letter is right: "bewebung"
// finds "bewerbung", while short words like "messer"/"besser" stay exact.
// RE2 patterns are compiled once here; RE2 runs in linear time, so staff-written
// patterns are safe on untrusted text.
//
// Thread-safety: immutable after Build; concurrent matching is safe.
#pragma once

#include <re2/re2.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "bot/diagnostics.h"
#include "bot/flow_model.h"
#include "bot/keyword_index.h"
#include "bot/normalizer.h"

namespace wache::bot {

class TemplateSet;

// Compiles one keyword into its spellings (one per umlaut mode, deduplicated).
std::vector<CompiledKeyword> CompileKeyword(const Keyword& k);

struct TriggerMatch {
  const Flow* flow = nullptr;
  const Trigger* trigger = nullptr;  // the most specific trigger that matched (picks start_at)
  int score = 0;         // evidence: letters matched by non-overlapping keywords and patterns
  std::string language;  // language of the matched keyword, "" if any/pattern
  std::string matched;   // what matched (for `simulate` output and debugging)
};

class Matcher {
 public:
  // Compiles every trigger and choice of `flows`. Invalid RE2 patterns are reported and
  // skipped. `flows` and `templates` must outlive the Matcher.
  static std::unique_ptr<Matcher> Build(const FlowSet& flows, const TemplateSet& templates,
                                        Diagnostics& diags);

  // The match of each flow with priority `p`, best first (score, then file order). A flow's
  // score adds up the letters of everything that matched, overlapping matches counted once,
  // so two pieces of evidence beat one.
  std::vector<TriggerMatch> Match(Priority p, const NormalizedText& text,
                                  std::string_view raw) const;

  // Which choice of `step` (an ask step) the text answers: a number ("2"), a
  // label in any language, or one of the choice's keywords inside a longer answer.
  struct ChoiceMatch {
    int index = -1;      // -1 if none fits
    bool exact = false;  // the whole answer is the number or a label
    int weight = 0;      // letters matched, when not exact
  };
  ChoiceMatch MatchChoice(const Step& step, const NormalizedText& text) const;

  // The calling thread searches with the shared patterns from now on, not with copies of
  // its own (see ThreadCopy). For pools of many threads that each match only now and then:
  // the webhook server's connection threads, where the copies took about 0.7 MB per thread
  // (64 connections: peak RSS 94 → 50 MB; bench/README.md).
  static void ShareCompiledPatternsOnThisThread();
  // How many patterns of this Matcher the calling thread holds its own copy of (tests).
  size_t PatternCopiesOnThisThread() const;

 private:
  // A pattern as compiled at Build (and checked there), and its number among the distinct
  // patterns of this Matcher: the same for the same regex and case rule in any flow, for the
  // calling thread's copy (ThreadCopy) and for remembering a search within one Match call.
  // Triggers with the same regex and case rule share one compiled RE2: copied flows repeat
  // their patterns, and compiling every copy was a fifth of `wache check` over 200 copies
  // of the shipped flows (bench/README.md).
  struct CompiledPattern {
    std::shared_ptr<const RE2> re;
    uint32_t id = 0;
  };
  struct CompiledTrigger {
    const Trigger* trigger = nullptr;
    KeywordIndex keywords;
    std::vector<KeywordIndex> all_of;  // per group
    KeywordIndex except;
    std::vector<CompiledPattern> patterns;
    std::vector<CompiledPattern> raw_patterns;
    // Whether a message with these leading bytes can match this trigger at all. Most
    // triggers cannot; skipping them saves the except mask and the keyword loops.
    bool MayMatch(const MessageKeys& message) const;
  };
  struct CompiledFlow {
    const Flow* flow = nullptr;
    std::vector<CompiledTrigger> triggers;
  };
  struct CompiledChoice {
    std::vector<std::string> labels;  // normalised label texts, all languages
    std::vector<CompiledKeyword> keywords;
  };

  // RE2 takes a lock on a pattern's shared cache for every search, and threads searching
  // with one RE2 object bounce that lock (and its neighbours' cache lines) between cores:
  // the intake and the workers match every message, and `wache check` on two threads took
  // 23 to 38 ms for its shadowing check depending on where the patterns happened to lie in
  // memory. Each thread therefore searches with its own copies, compiled on first use
  // (unless it called ShareCompiledPatternsOnThisThread);
  // the thread that built the Matcher searches with the originals (in `wache check` it is
  // one of the two threads of the shadowing check, and compiling a third set of 200 files'
  // patterns cost more than the check's searches).
  const RE2& ThreadCopy(const CompiledPattern& p) const;
  std::thread::id builder_;       // uses the originals
  uint64_t serial_ = 0;           // unique per Matcher, for the threads' copies
  size_t pattern_count_ = 0;      // CompiledPattern::id runs from 0 to this
  FirstTokenTable first_tokens_;  // of every keyword index (KeywordIndex)

  // What the running Match call found already, so that it is not searched again in another
  // flow. Copied flows repeat the same patterns and keyword words:
  // - the weight a pattern's search gave, or -1 for no match. `wache check` over 200 copies
  //   of every flow searched each emergency pattern 40 times per keyword, and RE2's lock
  //   around its cache was a third of the run;
  // - where a keyword's first token matches the message (CompiledKeyword::first_token_id).
  //   The same check compared each word with the first token of every copy's keywords.
  // bench/README.md has the figures.
  struct MatchMemo;
  static MatchMemo& MemoFor(const Matcher& m);
  // Which distinct first tokens of the keywords of priority `p` match a word of `tokens`,
  // each tested once for all flows; where they match goes into the memo.
  MessageKeys KeysOf(const std::vector<std::string>& tokens, Priority p, MatchMemo& memo,
                     uint64_t call) const;

  std::vector<CompiledFlow> flows_;
  // The choices of every ask step, keyed by the step (the Matcher lives with its FlowSet).
  std::map<const Step*, std::vector<CompiledChoice>> choices_;
};

// Finds `kw` in `tokens` at or after `from`, skipping tokens where mask[i] is true. Returns
// the token index where it starts, or -1.
int FindKeyword(const CompiledKeyword& kw, const std::vector<std::string>& tokens,
                const std::vector<bool>& mask, size_t from = 0);

}  // namespace wache::bot
