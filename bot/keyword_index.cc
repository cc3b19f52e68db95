#include "bot/keyword_index.h"

namespace wache::bot {

void FirstTokenTable::Number(CompiledKeyword& kw, Priority p) {
  const KeywordToken& t = kw.tokens[0];
  const auto next = static_cast<uint32_t>(tokens_.size());
  const auto [it, added] = by_text_[t.prefix * 2 + t.suffix].try_emplace(t.text, next);
  const uint32_t id = it->second;
  if (added) {
    tokens_.push_back(t);
    priorities_.push_back(0);
  }
  kw.first_token_id = id;
  const unsigned bit = 1u << static_cast<unsigned>(p);
  if (priorities_[id] & bit) return;
  priorities_[id] |= bit;
  // Checked (at): this runs once per keyword when a playbook is built, and a priority
  // without a row must fail loudly, not write past the table (see kPriorities).
  if (!t.exact()) inexact_.at(static_cast<size_t>(p))[kw.lead].push_back(id);
}

std::optional<uint32_t> FirstTokenTable::ExactWord(std::string_view word, Priority p) const {
  const auto it = by_text_[0].find(word);
  if (it == by_text_[0].end()) return std::nullopt;
  const uint32_t id = it->second;
  if (!tokens_[id].exact() || !((priorities_[id] >> static_cast<unsigned>(p)) & 1)) {
    return std::nullopt;
  }
  return id;
}

KeywordIndex::KeywordIndex(std::vector<CompiledKeyword> keywords, FirstTokenTable& table,
                           Priority p)
    : keywords_(std::move(keywords)) {
  by_first_token_.reserve(keywords_.size());
  for (uint32_t pos = 0; pos < keywords_.size(); ++pos) {
    table.Number(keywords_[pos], p);
    by_first_token_.emplace_back(keywords_[pos].first_token_id, pos);
  }
  std::sort(by_first_token_.begin(), by_first_token_.end());
}

}  // namespace wache::bot
