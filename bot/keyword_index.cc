#include "bot/keyword_index.h"

#include <algorithm>

namespace wache::bot {

LeadBytes LeadBytesOf(const std::vector<std::string>& tokens) {
  LeadBytes out;
  for (const auto& t : tokens) {
    if (!t.empty()) out.set(static_cast<unsigned char>(t[0]));
  }
  return out;
}

KeywordIndex::KeywordIndex(std::vector<CompiledKeyword> keywords) : keywords_(std::move(keywords)) {
  for (const auto& kw : keywords_) {
    if (kw.lead == 0) {
      any_ = true;
    } else {
      leads_.set(kw.lead);
    }
  }
  if (keywords_.size() < kBucketFrom) return;
  by_lead_.resize(keywords_.size());
  for (uint32_t i = 0; i < by_lead_.size(); ++i) by_lead_[i] = i;
  std::stable_sort(by_lead_.begin(), by_lead_.end(),
                   [&](uint32_t a, uint32_t b) { return keywords_[a].lead < keywords_[b].lead; });
  bucket_start_.assign(257, 0);
  for (const auto& kw : keywords_) ++bucket_start_[kw.lead + 1];
  for (size_t b = 1; b < bucket_start_.size(); ++b) bucket_start_[b] += bucket_start_[b - 1];
}

}  // namespace wache::bot
