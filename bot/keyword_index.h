// KeywordIndex: a trigger's keywords by their first token, so that a message visits only
// the keywords whose first token it has.
//
// Why: the emergency flow alone has hundreds of keywords, every message is matched against
// it (twice: at intake for the urgent lane, and in the engine), and `wache check` matches
// every ordinary keyword against every interrupt flow to find shadowed ones (quadratic in
// the number of flows). bench/README.md has the figures.
//
// The first tokens of all the keywords of a Matcher are numbered in one FirstTokenTable:
// the same text and wildcards have one number in every flow. For a message the Matcher
// works out once which of those first tokens match one of its words (MessageKeys), and
// each index then only looks up those numbers. Flows repeat each other's first words
// (station copies, "hilfe …"), so a message tests each distinct one once, not once per
// flow: 200 flow files have thousands of indexes.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bot/flow_model.h"

namespace wache::bot {

// A keyword compiled for matching (bot/matcher.h compiles them).
struct KeywordToken {
  std::string text;
  std::u32string letters;  // text as code points, for the typo distance (fuzzy tokens only)
  bool prefix = false;     // "messer*": the word starts with text
  bool suffix = false;     // "*diebstahl": the word ends with text
  bool fuzzy = false;      // one typo allowed

  bool exact() const { return !prefix && !suffix && !fuzzy; }
};

struct CompiledKeyword {
  std::vector<KeywordToken> tokens;
  // The first byte of the word a match starts at; 0 = any (the first word is "*suffix").
  // Exact, prefix and typo matches all keep a word's first letter (FirstTokenTable).
  unsigned char lead = 0;
  std::string language;  // "" = any
  int weight = 0;        // letters matched; longer, more specific phrases win
  const Keyword* source = nullptr;
  // The number of the first token among the distinct first tokens of a Matcher (same text
  // and wildcards, in any flow): where it matches a message is found once per Match call.
  uint32_t first_token_id = 0;
};

// The distinct first tokens of the keywords of many indexes (a Matcher's), numbered: the
// same text and wildcards have the same number in any flow (CompiledKeyword::first_token_id),
// and for each priority of flow, which of them its keywords start with.
class FirstTokenTable {
 public:
  // Sets kw.first_token_id; `p` is the priority of the keyword's flow.
  void Number(CompiledKeyword& kw, Priority p);
  // How many distinct first tokens there are: the numbers run from 0 to this.
  size_t size() const { return tokens_.size(); }
  const KeywordToken& token(uint32_t id) const { return tokens_[id]; }

  // The number of `word` as an exact first token (no wildcard, no typo) of a keyword of a
  // flow of priority `p`.
  std::optional<uint32_t> ExactWord(std::string_view word, Priority p) const;
  // The other first tokens of keywords of priority `p` that match only words starting with
  // byte `lead`: prefixes and words allowed a typo keep the first letter. Lead 0: the
  // "*suffix" tokens, which may match any word.
  const std::vector<uint32_t>& Inexact(Priority p, unsigned char lead) const {
    return inexact_[static_cast<size_t>(p)][lead];
  }

 private:
  // Every priority, the fallback's too: its 'when:' triggers are never matched (the
  // validator warns), but they are numbered like any other keyword. Sized to kLow only,
  // a fallback flow with a keyword wrote past the table (found by fuzz/).
  static constexpr size_t kPriorities = static_cast<size_t>(Priority::kFallback) + 1;
  struct WordHash {
    using is_transparent = void;  // look up string_views without making strings
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Numbers = std::unordered_map<std::string, uint32_t, WordHash, std::equal_to<>>;

  std::vector<KeywordToken> tokens_;  // by number
  std::vector<unsigned> priorities_;  // by number: bit p, used by a flow of priority p
  Numbers by_text_[4];                // by the wildcards (prefix * 2 + suffix), then the text
  std::array<std::array<std::vector<uint32_t>, 256>, kPriorities> inexact_;
};

// What the index needs to know of a message: the numbers (FirstTokenTable) of the first
// tokens that match one of its words, sorted. The Matcher works them out once per message.
struct MessageKeys {
  std::vector<uint32_t> first_tokens;
};

class KeywordIndex {
 public:
  KeywordIndex() = default;
  // Numbers the keywords' first tokens in `table` as keywords of a flow of priority `p`.
  KeywordIndex(std::vector<CompiledKeyword> keywords, FirstTokenTable& table, Priority p);

  // Calls f(keyword, position) for each keyword whose first token matches a word of the
  // message; `position` is the keyword's place in the order staff wrote them. The visits are
  // not in that order: a caller for whom the order matters (which keyword is shown, which
  // language wins a tie) sorts what it found by position, which is cheaper than sorting the
  // candidates (bot/matcher.cc). Stops as soon as f returns false, and then returns false.
  template <typename F>
  bool ForEachCandidate(const MessageKeys& message, F&& f) const {
    for (uint32_t token : message.first_tokens) {
      for (auto it = Find(token); it != by_first_token_.end() && it->first == token; ++it) {
        if (!f(keywords_[it->second], it->second)) return false;
      }
    }
    return true;
  }
  // Whether any keyword may match (cheaper than visiting the candidates).
  bool MayMatch(const MessageKeys& message) const {
    for (uint32_t token : message.first_tokens) {
      auto it = Find(token);
      if (it != by_first_token_.end() && it->first == token) return true;
    }
    return false;
  }
  bool empty() const { return keywords_.empty(); }

 private:
  using Entry = std::pair<uint32_t, uint32_t>;  // (first token's number, keyword's position)
  std::vector<Entry>::const_iterator Find(uint32_t token) const {
    return std::lower_bound(by_first_token_.begin(), by_first_token_.end(), Entry{token, 0});
  }

  std::vector<CompiledKeyword> keywords_;  // as written
  std::vector<Entry> by_first_token_;      // sorted
};

}  // namespace wache::bot
