#include "bot/matcher.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <map>
#include <set>
#include <unordered_map>

#include "bot/parallel.h"
#include "bot/templates.h"

namespace wache::bot {
namespace {

// Shorter words are matched exactly: one typo in "messer" gives "besser" (better).
constexpr size_t kMinFuzzyLetters = 7;

// Everyday words one typo away from a keyword. They are never taken for a typo: "überall"
// (everywhere) is not a misspelt "überfall" (robbery). Normalised spelling.
bool IsCommonWord(const std::string& word) {
  static const auto* kWords = new std::set<std::string>{
      "ueberall",   "uberall",      "notfalls", "bewertung", "bewertungen", "verfolgen",
      "erfahren",   "gestellt",     "gefahren", "bewirbt",   "einbruchs",   "bereits",
      "vielleicht", "schliesslich", "beachten", "betreff",   "betreffend",  "anzeigt",
      "anzeiger",   "meldung",      "gemeldet", "umbringe",  "verletzt",    "passiert",
      "geklappt",   "geschafft",    "gestorben"};
  return kWords->count(word) > 0;
}

// Letters, not bytes (CodePoints): a typo in "помогите" is one edit, and its first letter
// is "п", not the first byte of it. One edit: a letter missing, extra, wrong, or two
// neighbours swapped (optimal string alignment distance <= 1). A linear scan instead of a
// distance matrix: this runs for every word against every fuzzy keyword with its first
// letter, and the matrix's allocations were a large part of `wache check` (bench/README.md).
template <typename Char>
bool WithinOneEdit(std::basic_string_view<Char> a, std::basic_string_view<Char> b) {
  const size_t n = a.size(), m = b.size();
  if (n > m + 1 || m > n + 1) return false;
  size_t i = 0;
  while (i < n && i < m && a[i] == b[i]) ++i;
  if (i == n && i == m) return true;  // equal
  auto same_from = [&](size_t ai, size_t bi) {
    return std::equal(a.begin() + static_cast<std::ptrdiff_t>(ai), a.end(),
                      b.begin() + static_cast<std::ptrdiff_t>(bi), b.end());
  };
  if (n == m) {
    if (same_from(i + 1, i + 1)) return true;  // wrong letter
    return i + 1 < n && a[i] == b[i + 1] && a[i + 1] == b[i] && same_from(i + 2, i + 2);  // swap
  }
  return n > m ? same_from(i + 1, i) : same_from(i, i + 1);  // extra or missing letter
}

bool TokenMatches(const KeywordToken& k, const std::string& word) {
  if (k.prefix && k.suffix) return word.find(k.text) != std::string::npos;
  if (k.prefix) return word.compare(0, k.text.size(), k.text) == 0;
  if (k.suffix) {
    return word.size() >= k.text.size() &&
           word.compare(word.size() - k.text.size(), k.text.size(), k.text) == 0;
  }
  if (word == k.text) return true;
  if (!k.fuzzy || word.empty() || k.text.empty()) return false;
  // Cheap filters first, before any set lookup or allocation (this runs for every word of
  // every message against every fuzzy keyword; bench/README.md): the byte length (a letter
  // is at most 4 bytes), then the first letter's bytes, which must be right.
  if (word.size() + 4 < k.text.size() || word.size() > k.text.size() + 4) return false;
  const unsigned char lead = static_cast<unsigned char>(k.text[0]);
  const size_t first = lead < 0x80 ? 1 : (lead >> 5) == 6 ? 2 : (lead >> 4) == 14 ? 3 : 4;
  if (word.compare(0, first, k.text, 0, first) != 0) return false;
  // ASCII on both sides (most German and English words once normalised): bytes are
  // letters, so no code point copy of the word is needed.
  const bool ascii = k.letters.size() == k.text.size() &&
                     std::all_of(word.begin(), word.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  const bool one_edit = ascii ? WithinOneEdit<char>(word, k.text)
                              : WithinOneEdit<char32_t>(CodePoints(word), k.letters);
  return one_edit && !IsCommonWord(word);
}

// Normalised text is lower case anyway, so those patterns ignore case (staff may write
// "Hilfe"). Raw patterns see the text as typed and are case-sensitive: a licence plate is
// "K-AB 12", while "ab 16" is an age. (?i) in a raw pattern turns case off where wanted.
// An invalid pattern comes back too (ok() false), so that each place it is written at can
// be reported.
std::shared_ptr<const RE2> CompilePattern(const std::string& regex, bool case_sensitive) {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_case_sensitive(case_sensitive);
  return std::make_shared<const RE2>(regex, options);
}

void ReportInvalidPattern(const Pattern& p, const RE2& re, Diagnostics& diags) {
  diags.Error(p.where, "invalid RE2 pattern: " + re.error() +
                           " (RE2 has no look-ahead or back-references; see "
                           "https://github.com/google/re2/wiki/Syntax)");
}

// The tokens covered by an except phrase. The phrases are indexed like keywords: a long
// except list (the emergency flow's) costs only the phrases that can be in the text.
std::vector<bool> ExceptMask(const KeywordIndex& except, const std::vector<std::string>& tokens,
                             const MessageKeys& keys, const std::vector<bool>& none) {
  std::vector<bool> mask(tokens.size(), false);
  except.ForEachCandidate(keys, [&](const CompiledKeyword& e, uint32_t) {
    // An except phrase may occur several times; mask every occurrence.
    for (int at = FindKeyword(e, tokens, none, 0); at >= 0;
         at = FindKeyword(e, tokens, none, static_cast<size_t>(at) + 1)) {
      for (size_t i = 0; i < e.tokens.size(); ++i) mask[static_cast<size_t>(at) + i] = true;
    }
    return true;
  });
  return mask;
}

// Whether `re` matches `text`, and where. Nearly every text matches none of the patterns
// of a trigger: asking only whether it matches lets RE2 stop at the earliest match with
// one forward pass; where the match is (a second, reverse pass) is asked only after a
// match. Each pass also takes the pattern's cache lock, which the intake and the workers
// share.
bool FindPattern(const RE2& re, const re2::StringPiece& text, re2::StringPiece& found) {
  if (!re.Match(text, 0, text.size(), RE2::UNANCHORED, nullptr, 0)) return false;
  return re.Match(text, 0, text.size(), RE2::UNANCHORED, &found, 1);
}

// Whether `kw`'s first token matches `word`. A match starts on a word with the keyword's
// first byte (FirstTokenTable): one byte test skips most words before TokenMatches.
bool FirstTokenMatches(const CompiledKeyword& kw, const std::string& word) {
  if (kw.lead != 0 && (word.empty() || static_cast<unsigned char>(word[0]) != kw.lead)) {
    return false;
  }
  return TokenMatches(kw.tokens[0], word);
}

// Whether the keyword whose first token matches tokens[start] matches there as a whole: it
// fits, its further tokens follow, and no token of it is masked.
bool RestMatches(const CompiledKeyword& kw, const std::vector<std::string>& tokens,
                 const std::vector<bool>& mask, size_t start) {
  if (start + kw.tokens.size() > tokens.size() || mask[start]) return false;
  for (size_t i = 1; i < kw.tokens.size(); ++i) {
    if (mask[start + i] || !TokenMatches(kw.tokens[i], tokens[start + i])) return false;
  }
  return true;
}

// FindKeyword from position 0, with the positions where the first token matches known.
int FindKeywordAt(const CompiledKeyword& kw, const std::vector<std::string>& tokens,
                  const std::vector<bool>& mask, uint64_t starts) {
  for (; starts != 0; starts &= starts - 1) {
    const auto start = static_cast<size_t>(std::countr_zero(starts));
    if (RestMatches(kw, tokens, mask, start)) return static_cast<int>(start);
  }
  return -1;
}

// One piece of evidence: tokens [begin, end) of the message matched something worth
// `weight`. Patterns have no token span; they get begin = end = -1 and never overlap.
struct Evidence {
  int begin = -1, end = -1, weight = 0;
  std::string language, what;
  uint32_t position = 0;  // of a keyword in its list, as written (KeywordIndex)
};

// Keyword evidence [from, end) back in the order staff wrote the keywords: the first of
// equally heavy matches is the one shown and decides the language.
void InWrittenOrder(std::vector<Evidence>& ev, size_t from) {
  std::sort(ev.begin() + static_cast<std::ptrdiff_t>(from), ev.end(),
            [](const Evidence& a, const Evidence& b) { return a.position < b.position; });
}

// Adds up evidence, counting overlapping keyword matches once (the heavier one), so that
// "anzeige" inside "anzeige erstatten" is not counted twice.
int TotalWeight(std::vector<Evidence> ev) {
  std::sort(ev.begin(), ev.end(),
            [](const Evidence& a, const Evidence& b) { return a.weight > b.weight; });
  std::vector<std::pair<int, int>> taken;
  int total = 0;
  for (const auto& e : ev) {
    bool overlaps = false;
    for (const auto& [b, en] : taken)
      overlaps = overlaps || (e.begin >= 0 && e.begin < en && b < e.end);
    if (overlaps) continue;
    if (e.begin >= 0) taken.emplace_back(e.begin, e.end);
    total += e.weight;
  }
  return total;
}

}  // namespace

std::vector<CompiledKeyword> CompileKeyword(const Keyword& k) {
  std::vector<CompiledKeyword> out;
  // The umlaut modes differ only where there are umlauts: ASCII keywords (most of them)
  // are compiled once instead of twice and deduplicated.
  const bool ascii = std::all_of(k.text.begin(), k.text.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  for (UmlautMode mode : {UmlautMode::kSpellOut, UmlautMode::kBaseLetter}) {
    if (ascii && mode == UmlautMode::kBaseLetter) break;
    CompiledKeyword c;
    c.language = k.language;
    c.source = &k;
    // Split on spaces first so that '*' (punctuation to the normaliser) is seen.
    size_t i = 0;
    const std::string& s = k.text;
    while (i < s.size()) {
      while (i < s.size() && s[i] == ' ') ++i;
      size_t j = i;
      while (j < s.size() && s[j] != ' ') ++j;
      if (j > i) {
        std::string word = s.substr(i, j - i);
        bool suffix = word.front() == '*';
        bool prefix = word.back() == '*';
        NormalizedText n = Normalize(word, mode);
        // A word like "e-mail" normalises to two tokens; wildcards attach to the outer ones.
        for (size_t t = 0; t < n.tokens.size(); ++t) {
          KeywordToken tok;
          tok.text = n.tokens[t];
          tok.suffix = suffix && t == 0;
          tok.prefix = prefix && t + 1 == n.tokens.size();
          tok.fuzzy = !tok.prefix && !tok.suffix && CodePointCount(tok.text) >= kMinFuzzyLetters;
          if (tok.fuzzy) tok.letters = CodePoints(tok.text);  // once, not per message
          c.weight += static_cast<int>(CodePointCount(tok.text)) + 1;
          c.tokens.push_back(std::move(tok));
        }
      }
      i = j;
    }
    if (c.tokens.empty()) continue;
    c.lead = c.tokens[0].suffix ? 0 : static_cast<unsigned char>(c.tokens[0].text[0]);
    bool duplicate = false;
    for (const auto& o : out) {
      bool same = o.tokens.size() == c.tokens.size();
      for (size_t t = 0; same && t < c.tokens.size(); ++t)
        same = o.tokens[t].text == c.tokens[t].text;
      duplicate = duplicate || same;
    }
    if (!duplicate) out.push_back(std::move(c));
  }
  return out;
}

bool Matcher::CompiledTrigger::MayMatch(const MessageKeys& message) const {
  if (!patterns.empty() || !raw_patterns.empty()) return true;
  if (keywords.MayMatch(message)) return true;
  if (all_of.empty()) return false;
  for (const auto& group : all_of) {
    if (!group.MayMatch(message)) return false;
  }
  return true;
}

int FindKeyword(const CompiledKeyword& kw, const std::vector<std::string>& tokens,
                const std::vector<bool>& mask, size_t from) {
  if (kw.tokens.empty() || kw.tokens.size() > tokens.size()) return -1;
  for (size_t start = from; start + kw.tokens.size() <= tokens.size(); ++start) {
    if (!mask[start] && FirstTokenMatches(kw, tokens[start]) &&
        RestMatches(kw, tokens, mask, start)) {
      return static_cast<int>(start);
    }
  }
  return -1;
}

std::unique_ptr<Matcher> Matcher::Build(const FlowSet& flows, const TemplateSet& templates,
                                        Diagnostics& diags) {
  auto m = std::unique_ptr<Matcher>(new Matcher());
  // Flows compile independently (keywords normalised, patterns compiled): on the available
  // cores, each into its own slot, merged in file order so diagnostics keep their order.
  const size_t n = flows.flows.size();
  m->flows_.resize(n);
  std::vector<Diagnostics> flow_diags(n);
  std::vector<std::vector<std::pair<const Step*, std::vector<CompiledChoice>>>> flow_choices(n);

  // Each distinct pattern (regex and case rule) is numbered and compiled once, whichever
  // flows write it; a trigger takes the compiled pattern by its number.
  std::map<std::pair<std::string_view, bool>, uint32_t> pattern_ids;
  std::vector<std::pair<std::string_view, bool>> distinct_patterns;  // by id
  std::vector<std::vector<uint32_t>> flow_pattern_ids(n);  // in the order the loop below visits
  for (size_t i = 0; i < n; ++i) {
    for (const auto& trigger : flows.flows[i].triggers) {
      for (bool case_sensitive : {false, true}) {
        for (const auto& p : case_sensitive ? trigger.raw_patterns : trigger.patterns) {
          const auto key = std::make_pair(std::string_view(p.regex), case_sensitive);
          const auto [it, added] =
              pattern_ids.emplace(key, static_cast<uint32_t>(distinct_patterns.size()));
          if (added) distinct_patterns.push_back(key);
          flow_pattern_ids[i].push_back(it->second);
        }
      }
    }
  }
  std::vector<std::shared_ptr<const RE2>> compiled_patterns(distinct_patterns.size());
  ParallelFor(distinct_patterns.size(), [&](size_t id) {
    const auto& [regex, case_sensitive] = distinct_patterns[id];
    compiled_patterns[id] = CompilePattern(std::string(regex), case_sensitive);
  });

  // Each trigger's keywords compiled, to be indexed once the flows are done: the indexes
  // number the keywords' first tokens in a table of the whole Matcher.
  struct UnindexedTrigger {
    std::vector<CompiledKeyword> keywords, except;
    std::vector<std::vector<CompiledKeyword>> all_of;
  };
  std::vector<std::vector<UnindexedTrigger>> unindexed(n);
  ParallelFor(n, [&](size_t i) {
    const Flow& flow = flows.flows[i];
    Diagnostics& fd = flow_diags[i];
    CompiledFlow& cf = m->flows_[i];
    cf.flow = &flow;
    size_t next_pattern = 0;  // in flow_pattern_ids[i]
    auto compile = [](const std::vector<Keyword>& keywords) {
      std::vector<CompiledKeyword> out;
      for (const auto& k : keywords) {
        for (auto& c : CompileKeyword(k)) out.push_back(std::move(c));
      }
      return out;
    };
    for (const auto& trigger : flow.triggers) {
      CompiledTrigger ct;
      ct.trigger = &trigger;
      UnindexedTrigger& u = unindexed[i].emplace_back();
      u.keywords = compile(trigger.keywords);
      for (const auto& group : trigger.all_of) u.all_of.push_back(compile(group));
      u.except = compile(trigger.except);
      for (bool case_sensitive : {false, true}) {
        for (const auto& p : case_sensitive ? trigger.raw_patterns : trigger.patterns) {
          const uint32_t id = flow_pattern_ids[i][next_pattern++];
          const std::shared_ptr<const RE2>& re = compiled_patterns[id];
          if (!re->ok()) {
            ReportInvalidPattern(p, *re, fd);
            continue;
          }
          (case_sensitive ? ct.raw_patterns : ct.patterns).push_back({re, id});
        }
      }
      cf.triggers.push_back(std::move(ct));
    }

    for (const Step& step : flow.steps) {
      if (!step.is_ask()) continue;
      std::vector<CompiledChoice> choices;
      for (const auto& choice : step.choices) {
        CompiledChoice cc;
        for (const auto& [lang, texts] : templates.by_language()) {
          auto it = texts.find(choice.label);
          if (it == texts.end()) continue;
          for (const auto& v : it->second.variations) {
            cc.labels.push_back(Normalize(v).text);
            cc.labels.push_back(Normalize(v, UmlautMode::kBaseLetter).text);
          }
        }
        for (const auto& k : choice.keywords) {
          for (auto& c : CompileKeyword(k)) cc.keywords.push_back(std::move(c));
        }
        choices.push_back(std::move(cc));
      }
      flow_choices[i].emplace_back(&step, std::move(choices));
    }
  });
  // The indexes number the first tokens in one table, in file order.
  for (size_t i = 0; i < n; ++i) {
    diags.Merge(flow_diags[i]);
    for (auto& [step, choices] : flow_choices[i]) m->choices_[step] = std::move(choices);
    const Priority priority = flows.flows[i].priority;
    auto index = [&](std::vector<CompiledKeyword>& keywords) {
      return KeywordIndex(std::move(keywords), m->first_tokens_, priority);
    };
    for (size_t t = 0; t < unindexed[i].size(); ++t) {
      CompiledTrigger& ct = m->flows_[i].triggers[t];
      UnindexedTrigger& u = unindexed[i][t];
      ct.keywords = index(u.keywords);
      for (auto& group : u.all_of) ct.all_of.push_back(index(group));
      ct.except = index(u.except);
    }
  }
  m->pattern_count_ = distinct_patterns.size();
  static std::atomic<uint64_t> serials{0};
  m->serial_ = ++serials;
  m->builder_ = std::this_thread::get_id();
  return m;
}

namespace {
thread_local bool shares_compiled_patterns = false;

// One Matcher at a time per thread: a live reload's new Matcher replaces the copies.
struct PatternCopies {
  uint64_t serial = 0;
  std::vector<std::unique_ptr<RE2>> of;
};
PatternCopies& ThisThreadsCopies() {
  thread_local PatternCopies copies;
  return copies;
}
}  // namespace

void Matcher::ShareCompiledPatternsOnThisThread() {
  shares_compiled_patterns = true;
  ThisThreadsCopies() = {};
}

size_t Matcher::PatternCopiesOnThisThread() const {
  const PatternCopies& copies = ThisThreadsCopies();
  if (copies.serial != serial_) return 0;
  return static_cast<size_t>(std::count_if(copies.of.begin(), copies.of.end(),
                                           [](const auto& re) { return re != nullptr; }));
}

const RE2& Matcher::ThreadCopy(const CompiledPattern& p) const {
  if (shares_compiled_patterns || std::this_thread::get_id() == builder_) return *p.re;
  PatternCopies& copies = ThisThreadsCopies();
  if (copies.serial != serial_) {
    copies.serial = serial_;
    copies.of.clear();
    copies.of.resize(pattern_count_);
  }
  std::unique_ptr<RE2>& mine = copies.of[p.id];
  if (!mine) mine = std::make_unique<RE2>(p.re->pattern(), p.re->options());
  return *mine;
}

struct Matcher::MatchMemo {
  uint64_t serial = 0;  // of the Matcher the entries belong to
  uint64_t call = 0;    // counts the thread's Match calls; an entry of another call is stale
  std::vector<std::pair<uint64_t, int>> patterns;  // by id: (call, weight or -1)
  // By id: (call, the words the first token matches: bit i for word i, up to 64 words).
  std::vector<std::pair<uint64_t, uint64_t>> first_tokens;
};

Matcher::MatchMemo& Matcher::MemoFor(const Matcher& m) {
  thread_local MatchMemo memo;
  if (memo.serial != m.serial_) {
    memo.serial = m.serial_;
    // Call 0 never happens: nothing remembered.
    memo.patterns.assign(m.pattern_count_, {0, -1});
    memo.first_tokens.assign(m.first_tokens_.size(), {0, 0});
  }
  return memo;
}

MessageKeys Matcher::KeysOf(const std::vector<std::string>& tokens, Priority p, MatchMemo& memo,
                            uint64_t call) const {
  MessageKeys keys;
  auto found_at = [&](uint32_t id, size_t word) {
    std::pair<uint64_t, uint64_t>& slot = memo.first_tokens[id];
    if (slot.first != call) {
      slot = {call, 0};
      keys.first_tokens.push_back(id);
    }
    if (word < 64) slot.second |= uint64_t{1} << word;
  };
  // (first byte, position) of each word, sorted: the words each inexact token may match.
  std::vector<std::pair<unsigned char, uint32_t>> by_lead;
  by_lead.reserve(tokens.size());
  for (uint32_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].empty()) continue;
    if (auto id = first_tokens_.ExactWord(tokens[i], p)) found_at(*id, i);
    by_lead.emplace_back(static_cast<unsigned char>(tokens[i][0]), i);
  }
  std::sort(by_lead.begin(), by_lead.end());
  auto test = [&](unsigned char lead, size_t from, size_t to) {
    for (uint32_t id : first_tokens_.Inexact(p, lead)) {
      const KeywordToken& token = first_tokens_.token(id);
      for (size_t w = from; w < to; ++w) {
        if (TokenMatches(token, tokens[by_lead[w].second])) found_at(id, by_lead[w].second);
      }
    }
  };
  test(0, 0, by_lead.size());  // "*suffix" tokens: any word
  for (size_t from = 0, to = 0; from < by_lead.size(); from = to) {
    while (to < by_lead.size() && by_lead[to].first == by_lead[from].first) ++to;
    test(by_lead[from].first, from, to);
  }
  std::sort(keys.first_tokens.begin(), keys.first_tokens.end());
  return keys;
}

std::vector<TriggerMatch> Matcher::Match(Priority p, const NormalizedText& text,
                                         std::string_view raw) const {
  std::vector<TriggerMatch> out;
  MatchMemo& memo = MemoFor(*this);
  const uint64_t call = ++memo.call;
  // The weight of a pattern's match in `searched`, or -1. `same_text`: the text every
  // trigger's patterns of this kind see in this call (not cut by an except phrase), so a
  // search of the same pattern in another flow gives the same answer.
  auto search = [&](const CompiledPattern& cp, re2::StringPiece searched, bool same_text,
                    bool raw_text) {
    std::pair<uint64_t, int>* slot = same_text ? &memo.patterns[cp.id] : nullptr;
    if (slot && slot->first == call) return slot->second;
    const RE2& re = ThreadCopy(cp);
    re2::StringPiece found;  // the whole match: a longer match is more specific
    int weight = -1;
    if (FindPattern(re, searched, found)) {
      weight = raw_text ? std::max(1, static_cast<int>(found.size()))
                        : std::max(1, static_cast<int>(CodePointCount(
                                          std::string_view(found.data(), found.size()))));
    }
    if (slot) *slot = {call, weight};
    return weight;
  };
  const MessageKeys keys = KeysOf(text.tokens, p, memo, call);
  const std::vector<bool> unmasked(text.tokens.size(), false);
  // FindKeyword, starting only where KeysOf found the first token (a bit per word:
  // messages of up to 64 words; longer ones are searched word by word).
  const bool remember_starts = text.tokens.size() <= 64;
  auto find = [&](const CompiledKeyword& kw, const std::vector<bool>& mask) {
    if (!remember_starts) return FindKeyword(kw, text.tokens, mask);
    if (kw.tokens.empty() || kw.tokens.size() > text.tokens.size()) return -1;
    const std::pair<uint64_t, uint64_t>& slot = memo.first_tokens[kw.first_token_id];
    if (slot.first != call) return -1;  // its first token matches no word (KeysOf)
    return FindKeywordAt(kw, text.tokens, mask, slot.second);
  };
  // Except phrases only take matches away, so a trigger none of whose keywords is in the
  // text even without them (most triggers, for most texts) is done before its except mask
  // is built. Patterns see the masked text, so a trigger with patterns is always tried.
  // This halved the shadowing check of `wache check` (bench/README.md).
  auto absent = [&](const CompiledKeyword& kw, uint32_t) { return find(kw, unmasked) < 0; };
  auto may_match = [&](const CompiledTrigger& ct) {
    if (!ct.MayMatch(keys)) return false;
    if (!ct.patterns.empty() || !ct.raw_patterns.empty()) return true;
    if (!ct.keywords.ForEachCandidate(keys, absent)) return true;
    if (ct.all_of.empty()) return false;
    for (const auto& group : ct.all_of) {
      if (group.ForEachCandidate(keys, absent)) return false;  // this group has none
    }
    return true;
  };
  for (const auto& cf : flows_) {
    if (cf.flow->priority != p) continue;
    std::vector<Evidence> evidence;
    const CompiledTrigger* specific = nullptr;  // best-scoring trigger with start_at
    const CompiledTrigger* any = nullptr;       // best-scoring trigger overall
    int specific_score = 0, any_score = 0;
    std::string language, matched;
    int matched_weight = 0;

    for (const auto& ct : cf.triggers) {
      if (!may_match(ct)) continue;
      std::vector<Evidence> mine;
      const std::vector<bool> mask =
          ct.except.empty() ? unmasked : ExceptMask(ct.except, text.tokens, keys, unmasked);
      auto add_keyword = [&](const CompiledKeyword& kw, uint32_t position) {
        int at = find(kw, mask);
        if (at >= 0) {
          mine.push_back({at, at + static_cast<int>(kw.tokens.size()), kw.weight, kw.language,
                          kw.source->text, position});
        }
        return true;  // visit every candidate
      };
      ct.keywords.ForEachCandidate(keys, add_keyword);
      InWrittenOrder(mine, 0);
      if (!ct.all_of.empty()) {
        // Every group must contribute; then all of their matches count as evidence.
        std::vector<Evidence> groups;
        bool all = true;
        for (const auto& group : ct.all_of) {
          size_t before = mine.size();
          group.ForEachCandidate(keys, add_keyword);
          InWrittenOrder(mine, before);
          if (mine.size() == before) all = false;
          for (size_t i = before; i < mine.size(); ++i) groups.push_back(mine[i]);
          mine.resize(before);
        }
        if (all) {
          std::string joined;
          for (const auto& g : groups) {
            // Both umlaut spellings of one keyword may match; name it once.
            if (joined.find(g.what) == std::string::npos)
              joined += (joined.empty() ? "" : " + ") + g.what;
          }
          int w = TotalWeight(groups);
          mine.push_back({-1, -1, w, "", joined});
        }
      }
      if (!ct.patterns.empty()) {
        // Patterns see the text with the except phrases taken out.
        std::string masked;
        for (size_t i = 0; i < text.tokens.size(); ++i) {
          if (mask[i]) continue;
          if (!masked.empty()) masked.push_back(' ');
          masked += text.tokens[i];
        }
        re2::StringPiece whole(masked);
        const bool cut = std::find(mask.begin(), mask.end(), true) != mask.end();
        for (const auto& cp : ct.patterns) {
          if (int weight = search(cp, whole, !cut, false); weight >= 0) {
            mine.push_back({-1, -1, weight, "", cp.re->pattern()});
          }
        }
      }
      for (const auto& cp : ct.raw_patterns) {
        re2::StringPiece whole(raw.data(), raw.size());
        if (int weight = search(cp, whole, true, true); weight >= 0) {
          mine.push_back({-1, -1, weight, "", cp.re->pattern()});
        }
      }
      if (mine.empty()) continue;
      int score = TotalWeight(mine);
      if (score > any_score) any_score = score, any = &ct;
      if (!ct.trigger->start_at.empty() && score > specific_score)
        specific_score = score, specific = &ct;
      for (const auto& e : mine) {
        // The heaviest single match names the language and is shown to staff.
        if (e.weight > matched_weight) {
          matched_weight = e.weight;
          matched = e.what;
          language = e.language;
        }
        evidence.push_back(e);
      }
    }
    if (!any) continue;
    // Within a flow, a trigger that starts at a specific step wins: "Darf ich mich mit Tattoo
    // bewerben?" goes straight to the tattoo answer, not to the menu.
    const CompiledTrigger* chosen = specific ? specific : any;
    out.push_back(TriggerMatch{cf.flow, chosen->trigger, TotalWeight(evidence), language, matched});
  }
  // Stable: equal scores keep file order, so results never depend on hashing.
  std::stable_sort(out.begin(), out.end(),
                   [](const TriggerMatch& a, const TriggerMatch& b) { return a.score > b.score; });
  return out;
}

Matcher::ChoiceMatch Matcher::MatchChoice(const Step& step, const NormalizedText& text) const {
  auto it = choices_.find(&step);
  if (it == choices_.end() || text.tokens.empty()) return {};
  const auto& choices = it->second;

  // "2", "2.", "nr 2": the number of a choice as it was shown.
  if (text.tokens.size() <= 2) {
    const std::string& last = text.tokens.back();
    if (last.size() <= 2 && std::all_of(last.begin(), last.end(), ::isdigit)) {
      int n = std::stoi(last);
      if (n >= 1 && n <= static_cast<int>(choices.size())) return {n - 1, true, 0};
    }
  }
  // The label itself, in any language ("Voraussetzungen", "Requirements").
  for (size_t c = 0; c < choices.size(); ++c) {
    for (const auto& label : choices[c].labels) {
      if (label == text.text) return {static_cast<int>(c), true, 0};
    }
  }
  // A choice keyword, or the label's words inside a longer answer; the longest wins.
  ChoiceMatch best;
  std::vector<bool> mask(text.tokens.size(), false);
  for (size_t c = 0; c < choices.size(); ++c) {
    for (const auto& kw : choices[c].keywords) {
      if (kw.weight > best.weight && FindKeyword(kw, text.tokens, mask) >= 0) {
        best = {static_cast<int>(c), false, kw.weight};
      }
    }
    for (const auto& label : choices[c].labels) {
      if (label.empty()) continue;
      int weight = static_cast<int>(CodePointCount(label)) + 1;
      if (weight > best.weight &&
          (" " + text.text + " ").find(" " + label + " ") != std::string::npos) {
        best = {static_cast<int>(c), false, weight};
      }
    }
  }
  return best;
}

}  // namespace wache::bot
