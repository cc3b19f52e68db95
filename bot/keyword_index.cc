#include "bot/keyword_index.h"

#include <algorithm>

namespace wache::bot {

void FirstTokenTable::Number(CompiledKeyword& kw, Priority p) {
  const KeywordToken& t = kw.tokens[0];
  auto [it, added] = by_text_[t.prefix * 2 + t.suffix].try_emplace(t.text, Entry{count_});
  if (added) ++count_;
  if (t.exact()) it->second.exact_priorities |= 1u << static_cast<unsigned>(p);
  kw.first_token_id = it->second.id;
}

std::optional<uint32_t> FirstTokenTable::ExactWord(std::string_view word, Priority p) const {
  auto it = by_text_[0].find(word);
  if (it == by_text_[0].end() || !((it->second.exact_priorities >> static_cast<unsigned>(p)) & 1)) {
    return std::nullopt;
  }
  return it->second.id;
}

MessageKeys::MessageKeys(const std::vector<std::string>& tokens, const FirstTokenTable& table,
                         Priority p) {
  for (const auto& t : tokens) {
    if (t.empty()) continue;
    leads.set(static_cast<unsigned char>(t[0]));
    const std::optional<uint32_t> word = table.ExactWord(t, p);
    // Messages are short; a linear look is cheaper than a set.
    if (word && std::find(exact_first_words.begin(), exact_first_words.end(), *word) ==
                    exact_first_words.end()) {
      exact_first_words.push_back(*word);
    }
  }
}

KeywordIndex::KeywordIndex(std::vector<CompiledKeyword> keywords, FirstTokenTable& table,
                           Priority priority)
    : keywords_(std::move(keywords)) {
  for (auto& kw : keywords_) {
    table.Number(kw, priority);
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
      by_word_.emplace_back(kw.first_token_id, p);
      continue;
    }
    by_lead_.push_back(p);
    ++bucket_start_[kw.lead + 1];
    if (kw.lead != 0) bucket_leads_.set(kw.lead);
  }
  std::sort(by_word_.begin(), by_word_.end());
  std::stable_sort(by_lead_.begin(), by_lead_.end(),
                   [&](uint32_t a, uint32_t b) { return keywords_[a].lead < keywords_[b].lead; });
  for (size_t b = 1; b < bucket_start_.size(); ++b) bucket_start_[b] += bucket_start_[b - 1];
}

}  // namespace wache::bot
