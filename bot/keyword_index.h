// KeywordIndex: a trigger's keywords grouped by the first byte a match must start with, so
// that a message visits only the keywords that can match it.
//
// Why: the emergency flow alone has hundreds of keywords, and `wache check` matches every
// ordinary keyword against every interrupt flow to find shadowed ones (quadratic in the
// number of flows). A one-word text can only match keywords with its own first letter;
// with the index, the check over 200 flow files stopped being dominated by FindKeyword
// (bench/README.md has the figures). Exact, prefix and one-typo matches all keep a word's
// first letter; only "*suffix" keywords can start anywhere, and they are always visited.
#pragma once

#include <bitset>
#include <cstdint>
#include <string>
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
};

struct CompiledKeyword {
  std::vector<KeywordToken> tokens;
  // The first byte of the word a match starts at; 0 = any (the first word is "*suffix").
  // Exact, prefix and typo matches all keep a word's first letter (KeywordIndex).
  unsigned char lead = 0;
  std::string language;  // "" = any
  int weight = 0;        // letters matched; longer, more specific phrases win
  const Keyword* source = nullptr;
};

// The first bytes of a message's words.
using LeadBytes = std::bitset<256>;
LeadBytes LeadBytesOf(const std::vector<std::string>& tokens);

class KeywordIndex {
 public:
  KeywordIndex() = default;
  explicit KeywordIndex(std::vector<CompiledKeyword> keywords);

  // Calls f(keyword, position) for each keyword that may match a message with these
  // leading bytes; `position` is the keyword's place in the order staff wrote them. Large
  // lists are visited bucket by bucket, not in that order: a caller for whom the order
  // matters (which keyword is shown, which language wins a tie) sorts what it found by
  // position, which is cheaper than sorting the candidates (bot/matcher.cc). Stops as soon
  // as f returns false, and then returns false.
  template <typename F>
  bool ForEachCandidate(const LeadBytes& message, F&& f) const {
    if (!MayMatch(message)) return true;
    if (bucket_start_.empty()) {
      for (uint32_t p = 0; p < keywords_.size(); ++p) {
        const CompiledKeyword& kw = keywords_[p];
        if ((kw.lead == 0 || message.test(kw.lead)) && !f(kw, p)) return false;
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
    const LeadBytes shared = leads_ & message;
    for (size_t b = shared._Find_first(); b < shared.size(); b = shared._Find_next(b)) {
      if (!visit(b)) return false;
    }
    return true;
  }
  // Whether any keyword may match (cheaper than visiting the candidates).
  bool MayMatch(const LeadBytes& message) const { return any_ || (leads_ & message).any(); }
  bool empty() const { return keywords_.empty(); }

 private:
  // Small lists are scanned with a byte test per keyword; from this size on, the
  // keywords are also bucketed by lead byte (measured on `wache check`, bench/README.md).
  static constexpr size_t kBucketFrom = 24;

  std::vector<CompiledKeyword> keywords_;  // as written
  LeadBytes leads_;
  bool any_ = false;  // a "*suffix" keyword: may match whatever the message starts with
  // Large lists: keyword positions sorted by lead byte; bucket b is
  // [bucket_start_[b], bucket_start_[b + 1]) of by_lead_. Lead 0 is the "*suffix" bucket
  // (no keyword of another lead has byte 0 first, so leads_ never has bit 0).
  std::vector<uint32_t> by_lead_;
  std::vector<uint32_t> bucket_start_;  // 257 entries, or none for a small list
};

}  // namespace wache::bot
