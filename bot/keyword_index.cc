#include "bot/keyword_index.h"

#include <algorithm>

namespace wache::bot {

MessageKeys::MessageKeys(const std::vector<std::string>& tokens) {
  words.reserve(tokens.size());
  for (const auto& t : tokens) {
    if (t.empty()) continue;
    leads.set(static_cast<unsigned char>(t[0]));
    // Messages are short; a linear look is cheaper than a set.
    if (std::find(words.begin(), words.end(), t) == words.end()) words.push_back(t);
  }
}

KeywordIndex::KeywordIndex(std::vector<CompiledKeyword> keywords) : keywords_(std::move(keywords)) {
  for (const auto& kw : keywords_) {
    if (kw.lead == 0) {
      any_ = true;
    } else {
      leads_.set(kw.lead);
    }
  }
  if (keywords_.size() < kIndexFrom) return;
  bucket_start_.assign(257, 0);
  for (uint32_t p = 0; p < keywords_.size(); ++p) {
    const CompiledKeyword& kw = keywords_[p];
    if (kw.lead != 0 && kw.tokens[0].exact()) {
      by_word_[kw.tokens[0].text].push_back(p);
      continue;
    }
    by_lead_.push_back(p);
    ++bucket_start_[kw.lead + 1];
    if (kw.lead != 0) bucket_leads_.set(kw.lead);
  }
  std::stable_sort(by_lead_.begin(), by_lead_.end(),
                   [&](uint32_t a, uint32_t b) { return keywords_[a].lead < keywords_[b].lead; });
  for (size_t b = 1; b < bucket_start_.size(); ++b) bucket_start_[b] += bucket_start_[b - 1];
}

}  // namespace wache::bot
