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

#include <array>
#include <bitset>
#include <cstdint>
#include <string>
#include <vector>

namespace wache::bot {

struct CompiledKeyword;

// The first bytes of a message's words.
using LeadBytes = std::bitset<256>;
LeadBytes LeadBytesOf(const std::vector<std::string>& tokens);

class KeywordIndex {
 public:
  KeywordIndex() = default;
  explicit KeywordIndex(std::vector<CompiledKeyword> keywords);

  // The keywords that may match a message with these leading bytes, in the order staff
  // wrote them (the order decides which keyword is shown and which language wins a tie).
  std::vector<const CompiledKeyword*> Candidates(const LeadBytes& message) const;
  // Whether any keyword may match (cheaper than Candidates().empty()).
  bool MayMatch(const LeadBytes& message) const { return any_ || (leads_ & message).any(); }
  bool empty() const { return keywords_.empty(); }

 private:
  // Small lists are scanned with a byte test per keyword; large ones use the buckets.
  static constexpr size_t kBucketFrom = 24;

  std::vector<CompiledKeyword> keywords_;  // as written
  LeadBytes leads_;
  bool any_ = false;  // a "*suffix" keyword: may match whatever the message starts with
  // Large lists: keyword positions sorted by lead byte; bucket b is
  // [bucket_start_[b], bucket_start_[b + 1]) of by_lead_. Lead 0 is the "*suffix" bucket.
  std::vector<uint32_t> by_lead_;
  std::vector<uint32_t> bucket_start_;  // 257 entries, or none for a small list
};

}  // namespace wache::bot
