// KeywordIndex: a trigger's keywords grouped by what a match must start with, so that a
// message visits only the keywords that can match it.
//
// Why: the emergency flow alone has hundreds of keywords, every message is matched against
// it (twice: at intake for the urgent lane, and in the engine), and `wache check` matches
// every ordinary keyword against every interrupt flow to find shadowed ones (quadratic in
// the number of flows). bench/README.md has the figures.
//
// - A keyword whose first word must be matched exactly (not "*suffix", not "prefix*", too
//   short for a typo) can only match where the message has that very word: such keywords
//   are found by word, in a hash table.
// - Prefix and one-typo matches keep a word's first letter: those keywords are bucketed by
//   their first byte.
// - "*suffix" keywords can start anywhere; they are always visited.
//
// The exact first words are numbered across all the indexes of a Matcher (FirstTokenTable),
// and a message's words are looked up in that one table, once per message: 200 flow files
// have thousands of indexes, and a hash lookup of every word in each of them was a sixth of
// `wache check` (bench/README.md).
#pragma once

#include <algorithm>
#include <bitset>
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
  // Exact, prefix and typo matches all keep a word's first letter (KeywordIndex).
  unsigned char lead = 0;
  std::string language;  // "" = any
  int weight = 0;        // letters matched; longer, more specific phrases win
  const Keyword* source = nullptr;
  // The number of the first token among the distinct first tokens of a Matcher (same text
  // and wildcards, in any flow): where it matches a message is found once per Match call.
  uint32_t first_token_id = 0;
};

// The distinct first tokens of the keywords of many indexes (a Matcher's), numbered: the
// same text and wildcards have the same number in any flow (CompiledKeyword::first_token_id).
// For the exact ones it also knows the priorities of the flows whose keywords start with
// them, so that a message is looked up only for the flows being matched.
class FirstTokenTable {
 public:
  // Sets kw.first_token_id; `p` is the priority of the keyword's flow.
  void Number(CompiledKeyword& kw, Priority p);
  // How many distinct first tokens there are: the numbers run from 0 to this.
  size_t size() const { return count_; }
  // The number of `word` as the exact first word of a keyword of a flow of priority `p`.
  std::optional<uint32_t> ExactWord(std::string_view word, Priority p) const;

 private:
  struct WordHash {
    using is_transparent = void;  // look up string_views without making strings
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Entry {
    uint32_t id = 0;
    unsigned exact_priorities = 0;  // bit p: the exact first word of a keyword of priority p
  };
  // By the wildcards of the token (prefix * 2 + suffix), then its text.
  std::unordered_map<std::string, Entry, WordHash, std::equal_to<>> by_text_[4];
  uint32_t count_ = 0;
};

// What the index needs to know of a message: the first bytes of its words, and the numbers
// of those words that are the exact first word of a keyword. Built once per message.
struct MessageKeys {
  // `table` numbers the words for the flows of priority `p`.
  MessageKeys(const std::vector<std::string>& tokens, const FirstTokenTable& table, Priority p);

  std::bitset<256> leads;
  std::vector<uint32_t> exact_first_words;  // each distinct one once
};

class KeywordIndex {
 public:
  KeywordIndex() = default;
  // Numbers the keywords' first tokens in `table` as keywords of a flow of priority `p`.
  KeywordIndex(std::vector<CompiledKeyword> keywords, FirstTokenTable& table, Priority p);

  // Calls f(keyword, position) for each keyword that may match the message; `position` is
  // the keyword's place in the order staff wrote them. The visits are not in that order: a
  // caller for whom the order matters (which keyword is shown, which language wins a tie)
  // sorts what it found by position, which is cheaper than sorting the candidates
  // (bot/matcher.cc). Stops as soon as f returns false, and then returns false.
  template <typename F>
  bool ForEachCandidate(const MessageKeys& message, F&& f) const {
    if (!MayMatch(message)) return true;
    if (bucket_start_.empty()) {  // a short list: a byte test per keyword
      for (uint32_t p = 0; p < keywords_.size(); ++p) {
        const CompiledKeyword& kw = keywords_[p];
        if ((kw.lead == 0 || message.leads.test(kw.lead)) && !f(kw, p)) return false;
      }
      return true;
    }
    auto visit = [&](size_t bucket) {
      for (uint32_t i = bucket_start_[bucket]; i < bucket_start_[bucket + 1]; ++i) {
        if (!f(keywords_[by_lead_[i]], by_lead_[i])) return false;
      }
      return true;
    };
    if (!visit(0)) return false;  // "*suffix" keywords: always
    const std::bitset<256> shared = bucket_leads_ & message.leads;
    for (size_t b = shared._Find_first(); b < shared.size(); b = shared._Find_next(b)) {
      if (!visit(b)) return false;
    }
    if (by_word_.empty()) return true;
    for (uint32_t word : message.exact_first_words) {
      auto it = std::lower_bound(by_word_.begin(), by_word_.end(), std::make_pair(word, 0u));
      for (; it != by_word_.end() && it->first == word; ++it) {
        if (!f(keywords_[it->second], it->second)) return false;
      }
    }
    return true;
  }
  // Whether any keyword may match (cheaper than visiting the candidates).
  bool MayMatch(const MessageKeys& message) const { return any_ || (leads_ & message.leads).any(); }
  bool empty() const { return keywords_.empty(); }

 private:
  // Below this size a list is scanned; from it on, keywords are looked up by word or by
  // first byte (measured on `wache check`, bench/README.md).
  static constexpr size_t kIndexFrom = 24;

  std::vector<CompiledKeyword> keywords_;  // as written
  std::bitset<256> leads_;                 // of every keyword: a cheap first test
  bool any_ = false;  // a "*suffix" keyword: may match whatever the message starts with
  // Large lists only:
  // - keywords whose first word is exact: (number of that word, position), sorted;
  std::vector<std::pair<uint32_t, uint32_t>> by_word_;
  // - the others, by lead byte: positions sorted by lead; bucket b is
  //   [bucket_start_[b], bucket_start_[b + 1]) of by_lead_. Lead 0 is the "*suffix" bucket
  //   (no keyword of another lead has byte 0 first, so bucket_leads_ never has bit 0).
  std::bitset<256> bucket_leads_;
  std::vector<uint32_t> by_lead_;
  std::vector<uint32_t> bucket_start_;  // 257 entries, or none for a short list
};

}  // namespace wache::bot
