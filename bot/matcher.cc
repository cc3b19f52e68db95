#include "bot/matcher.h"

#include <algorithm>
#include <map>
#include <set>

#include "bot/templates.h"

namespace wache::bot {
namespace {

// Shorter words are matched exactly: one typo in "messer" gives "besser" (better).
constexpr size_t kMinFuzzyLetters = 7;

// Everyday words one typo away from a keyword. They are never taken for a typo: "überall"
// (everywhere) is not a misspelt "überfall" (robbery). Normalised spelling.
bool IsCommonWord(const std::string& word) {
  static const auto* kWords = new std::set<std::string>{
      "ueberall", "uberall", "notfalls", "bewertung", "bewertungen", "verfolgen", "erfahren",
      "gestellt", "gefahren", "bewirbt", "einbruchs", "bereits", "vielleicht", "schliesslich",
      "beachten", "betreff", "betreffend", "anzeigt", "anzeiger", "meldung", "gemeldet",
      "umbringe", "verletzt", "passiert", "geklappt", "geschafft", "gestorben"};
  return kWords->count(word) > 0;
}

bool TokenMatches(const KeywordToken& k, const std::string& word) {
  if (k.prefix && k.suffix) return word.find(k.text) != std::string::npos;
  if (k.prefix) return word.compare(0, k.text.size(), k.text) == 0;
  if (k.suffix) {
    return word.size() >= k.text.size() &&
           word.compare(word.size() - k.text.size(), k.text.size(), k.text) == 0;
  }
  if (word == k.text) return true;
  if (!k.fuzzy || word.empty() || word[0] != k.text[0] || IsCommonWord(word)) return false;
  if (word.size() + 2 < k.text.size() || word.size() > k.text.size() + 2) return false;
  return EditDistance(word, k.text, 1) <= 1;
}

std::unique_ptr<RE2> CompilePattern(const Pattern& p, Diagnostics& diags) {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_case_sensitive(false);
  auto re = std::make_unique<RE2>(p.regex, options);
  if (!re->ok()) {
    diags.Error(p.where, "invalid RE2 pattern: " + re->error() +
                             " (RE2 has no look-ahead or back-references; see "
                             "https://github.com/google/re2/wiki/Syntax)");
    return nullptr;
  }
  return re;
}

std::vector<bool> ExceptMask(const std::vector<CompiledKeyword>& except,
                             const std::vector<std::string>& tokens) {
  std::vector<bool> mask(tokens.size(), false);
  for (const auto& e : except) {
    std::vector<bool> none(tokens.size(), false);
    // An except phrase may occur several times; mask every occurrence.
    for (size_t start = 0; start < tokens.size();) {
      std::vector<std::string> rest(tokens.begin() + static_cast<long>(start), tokens.end());
      int at = FindKeyword(e, rest, std::vector<bool>(rest.size(), false));
      if (at < 0) break;
      size_t begin = start + static_cast<size_t>(at);
      for (size_t i = 0; i < e.tokens.size() && begin + i < tokens.size(); ++i) mask[begin + i] = true;
      start = begin + 1;
    }
  }
  return mask;
}

}  // namespace

std::vector<CompiledKeyword> CompileKeyword(const Keyword& k) {
  std::vector<CompiledKeyword> out;
  for (UmlautMode mode : {UmlautMode::kSpellOut, UmlautMode::kBaseLetter}) {
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
          c.weight += static_cast<int>(CodePointCount(tok.text)) + 1;
          c.tokens.push_back(std::move(tok));
        }
      }
      i = j;
    }
    if (c.tokens.empty()) continue;
    bool duplicate = false;
    for (const auto& o : out) {
      bool same = o.tokens.size() == c.tokens.size();
      for (size_t t = 0; same && t < c.tokens.size(); ++t) same = o.tokens[t].text == c.tokens[t].text;
      duplicate = duplicate || same;
    }
    if (!duplicate) out.push_back(std::move(c));
  }
  return out;
}

int FindKeyword(const CompiledKeyword& kw, const std::vector<std::string>& tokens,
                const std::vector<bool>& mask) {
  if (kw.tokens.empty() || kw.tokens.size() > tokens.size()) return -1;
  for (size_t start = 0; start + kw.tokens.size() <= tokens.size(); ++start) {
    bool all = true;
    for (size_t i = 0; all && i < kw.tokens.size(); ++i) {
      all = !mask[start + i] && TokenMatches(kw.tokens[i], tokens[start + i]);
    }
    if (all) return static_cast<int>(start);
  }
  return -1;
}

std::unique_ptr<Matcher> Matcher::Build(const FlowSet& flows, const TemplateSet& templates,
                                        Diagnostics& diags) {
  auto m = std::unique_ptr<Matcher>(new Matcher());
  for (const auto& flow : flows.flows) {
    CompiledFlow cf;
    cf.flow = &flow;
    for (const auto& trigger : flow.triggers) {
      CompiledTrigger ct;
      ct.trigger = &trigger;
      for (const auto& k : trigger.keywords) {
        for (auto& c : CompileKeyword(k)) ct.keywords.push_back(std::move(c));
      }
      for (const auto& k : trigger.except) {
        for (auto& c : CompileKeyword(k)) ct.except.push_back(std::move(c));
      }
      for (const auto& p : trigger.patterns) {
        if (auto re = CompilePattern(p, diags)) ct.patterns.push_back(std::move(re));
      }
      for (const auto& p : trigger.raw_patterns) {
        if (auto re = CompilePattern(p, diags)) ct.raw_patterns.push_back(std::move(re));
      }
      cf.triggers.push_back(std::move(ct));
    }
    m->flows_.push_back(std::move(cf));

    for (size_t s = 0; s < flow.steps.size(); ++s) {
      const Step& step = flow.steps[s];
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
      m->choices_[flow.name + '\n' + std::to_string(s)] = std::move(choices);
    }
  }
  return m;
}

std::vector<TriggerMatch> Matcher::Match(Priority p, const NormalizedText& text,
                                         std::string_view raw) const {
  std::vector<TriggerMatch> out;
  for (const auto& cf : flows_) {
    if (cf.flow->priority != p) continue;
    std::optional<TriggerMatch> best;
    auto consider = [&](const CompiledTrigger& ct, int score, std::string language,
                        std::string matched) {
      // Within a flow a trigger that starts at a specific step is the more specific one.
      int adjusted = score + (ct.trigger->start_at.empty() ? 0 : 1000);
      if (!best || adjusted > best->score) {
        best = TriggerMatch{cf.flow, ct.trigger, adjusted, std::move(language), std::move(matched)};
      }
    };
    for (const auto& ct : cf.triggers) {
      std::vector<bool> mask = ExceptMask(ct.except, text.tokens);
      for (const auto& kw : ct.keywords) {
        if (FindKeyword(kw, text.tokens, mask) >= 0) {
          consider(ct, kw.weight, kw.language, kw.source->text);
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
        for (const auto& re : ct.patterns) {
          re2::StringPiece found;  // the whole match: a longer match is more specific
          if (re->Match(whole, 0, whole.size(), RE2::UNANCHORED, &found, 1)) {
            int len = static_cast<int>(CodePointCount(std::string_view(found.data(), found.size())));
            consider(ct, std::max(len, 1), "", re->pattern());
          }
        }
      }
      for (const auto& re : ct.raw_patterns) {
        re2::StringPiece whole(raw.data(), raw.size());
        re2::StringPiece found;
        if (re->Match(whole, 0, whole.size(), RE2::UNANCHORED, &found, 1)) {
          consider(ct, std::max(1, static_cast<int>(found.size())), "", re->pattern());
        }
      }
    }
    if (best) out.push_back(*best);
  }
  // Stable: equal scores keep file order, so results never depend on hashing.
  std::stable_sort(out.begin(), out.end(),
                   [](const TriggerMatch& a, const TriggerMatch& b) { return a.score > b.score; });
  return out;
}

int Matcher::MatchChoice(const Flow& flow, const Step& step, const NormalizedText& text) const {
  int index = -1;
  for (size_t s = 0; s < flow.steps.size(); ++s) {
    if (&flow.steps[s] == &step) index = static_cast<int>(s);
  }
  auto it = choices_.find(flow.name + '\n' + std::to_string(index));
  if (it == choices_.end() || text.tokens.empty()) return -1;
  const auto& choices = it->second;

  // "2", "2.", "nr 2": the number of a choice as it was shown.
  if (text.tokens.size() <= 2) {
    const std::string& last = text.tokens.back();
    if (last.size() <= 2 && std::all_of(last.begin(), last.end(), ::isdigit)) {
      int n = std::stoi(last);
      if (n >= 1 && n <= static_cast<int>(choices.size())) return n - 1;
    }
  }
  // The label itself, in any language ("Voraussetzungen", "Requirements").
  for (size_t c = 0; c < choices.size(); ++c) {
    for (const auto& label : choices[c].labels) {
      if (label == text.text) return static_cast<int>(c);
    }
  }
  // A choice keyword, or the label's words inside a longer answer; the longest wins.
  int best = -1, best_weight = 0;
  std::vector<bool> mask(text.tokens.size(), false);
  for (size_t c = 0; c < choices.size(); ++c) {
    for (const auto& kw : choices[c].keywords) {
      if (kw.weight > best_weight && FindKeyword(kw, text.tokens, mask) >= 0) {
        best = static_cast<int>(c);
        best_weight = kw.weight;
      }
    }
    for (const auto& label : choices[c].labels) {
      if (label.empty()) continue;
      int weight = static_cast<int>(CodePointCount(label));
      if (weight > best_weight && (" " + text.text + " ").find(" " + label + " ") != std::string::npos) {
        best = static_cast<int>(c);
        best_weight = weight;
      }
    }
  }
  return best;
}

}  // namespace wache::bot
