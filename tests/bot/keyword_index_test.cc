// KeywordIndex and FirstTokenTable: given the first tokens that match a message, the index
// visits every keyword that matches, each once, and only keywords starting with one of
// those tokens; the table numbers first tokens across indexes and keeps priorities apart.
#include "bot/keyword_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "bot/matcher.h"
#include "bot/normalizer.h"

namespace wache::bot {
namespace {

class KeywordIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Exact words, phrases, prefixes, "*suffix" words, umlauts and words allowed a typo.
    const std::vector<std::string> texts = {"hilfe",
                                            "hilf mir",
                                            "messer",
                                            "messer*",
                                            "*diebstahl",
                                            "überfall",
                                            "einbrecher",
                                            "bewerbung",
                                            "polizei schnell",
                                            "sos",
                                            "waffe",
                                            "waffen",
                                            "ruft die polizei",
                                            "geisel*",
                                            "entführt",
                                            "bedroht mich",
                                            "*schlägerei",
                                            "notruf",
                                            "fahrrad geklaut",
                                            "anzeige",
                                            "anzeige erstatten",
                                            "tattoo*",
                                            "brille",
                                            "sportprüfung",
                                            "einstellungstest",
                                            "help me",
                                            "burglar",
                                            "stolen",
                                            "emergency",
                                            "hilfe bitte"};
    for (const auto& t : texts) keywords_.push_back(Keyword{t, "", {}});
    std::vector<CompiledKeyword> compiled;
    for (const auto& k : keywords_) {
      for (auto& c : CompileKeyword(k)) compiled.push_back(std::move(c));
    }
    all_ = compiled;
    index_ = KeywordIndex(std::move(compiled), table_, Priority::kNormal);
  }

  // The first tokens of table_ that match a word of `text`, found the plain way: each
  // token alone as a keyword. (The Matcher finds them by word and first byte.)
  MessageKeys Keys(const std::string& text) const {
    const NormalizedText n = Normalize(text);
    const std::vector<bool> mask(n.tokens.size(), false);
    MessageKeys keys;
    for (uint32_t id = 0; id < table_.size(); ++id) {
      CompiledKeyword alone;
      alone.tokens = {table_.token(id)};
      alone.lead = alone.tokens[0].suffix ? 0 : static_cast<unsigned char>(alone.tokens[0].text[0]);
      if (FindKeyword(alone, n.tokens, mask) >= 0) keys.first_tokens.push_back(id);
    }
    return keys;
  }

  // Positions visited for `text`, with how often each was visited.
  std::map<uint32_t, int> Visited(const std::string& text) const {
    std::map<uint32_t, int> visits;
    index_.ForEachCandidate(Keys(text), [&](const CompiledKeyword&, uint32_t p) {
      ++visits[p];
      return true;
    });
    return visits;
  }

  std::deque<Keyword> keywords_;  // stable addresses: CompiledKeyword::source points here
  std::vector<CompiledKeyword> all_;
  FirstTokenTable table_;
  KeywordIndex index_;
};

TEST_F(KeywordIndexTest, VisitsEveryMatchingKeywordExactlyOnce) {
  const std::vector<std::string> messages = {
      "Hilfe hilfe, er hat ein Messer!",  // exact first word, twice in the message
      "mein fahrrad wurde geklaut",       // a phrase: "fahrrad geklaut" does not match
      "Fahrraddiebstahl am Bahnhof",      // "*diebstahl"
      "es gab eine Massenschlägerei",     // "*schlägerei"
      "Messerangriff in der Stadt",       // "messer*"
      "ein Ueberfall und ein Uberfall",   // both umlaut spellings
      "bewebung als polizist",            // a typo of a long word
      "einbrecherin im haus, ruft die polizei",
      "Sportprufung und Einstelungstest",  // typos, umlaut
      "help me, a burglar, my bike was stolen",
      "nichts davon",
      ""};
  for (const auto& message : messages) {
    const NormalizedText n = Normalize(message);
    const std::vector<bool> mask(n.tokens.size(), false);
    const auto visits = Visited(message);
    for (uint32_t p = 0; p < all_.size(); ++p) {
      const bool matches = FindKeyword(all_[p], n.tokens, mask) >= 0;
      if (matches) {
        EXPECT_EQ(visits.count(p), 1u)
            << "'" << all_[p].source->text << "' matches '" << message << "' but was not visited";
      }
    }
    for (const auto& [p, count] : visits) {
      EXPECT_EQ(count, 1) << "'" << all_[p].source->text << "' visited " << count << " times for '"
                          << message << "'";
    }
  }
}

TEST_F(KeywordIndexTest, SkipsKeywordsThatCannotMatch) {
  // Only keywords whose first token is in the message are candidates: the index is what
  // keeps the emergency flow's hundreds of keywords cheap.
  EXPECT_TRUE(Visited("zebra").empty());
  const auto visits = Visited("hilfe, ein messer");
  std::vector<std::string> visited;
  for (const auto& [p, count] : visits) visited.push_back(all_[p].source->text);
  std::sort(visited.begin(), visited.end());
  EXPECT_EQ(visited, (std::vector<std::string>{"hilfe", "hilfe bitte", "messer", "messer*"}));
}

TEST_F(KeywordIndexTest, StopsWhenAskedTo) {
  int calls = 0;
  const bool finished = index_.ForEachCandidate(
      Keys("hilfe messer sos"), [&](const CompiledKeyword&, uint32_t) { return ++calls < 2; });
  EXPECT_FALSE(finished);
  EXPECT_EQ(calls, 2);
}

TEST_F(KeywordIndexTest, IndexesSharingATableFindTheSameWordEachInItsOwnKeywords) {
  // A second index (another flow) numbers "hilfe" with the number the first one gave it, and
  // adds words of its own; a message's number for "hilfe" finds the keywords of both.
  std::deque<Keyword> more;
  std::vector<CompiledKeyword> compiled;
  for (int i = 0; i < 30; ++i) more.push_back(Keyword{"wort" + std::to_string(i), "", {}});
  more.push_back(Keyword{"hilfe sofort", "", {}});
  for (const auto& k : more) {
    for (auto& c : CompileKeyword(k)) compiled.push_back(std::move(c));
  }
  const KeywordIndex second(std::move(compiled), table_, Priority::kNormal);
  std::vector<std::string> found;
  auto collect = [&](const CompiledKeyword& kw, uint32_t) {
    found.push_back(kw.source->text);
    return true;
  };
  const MessageKeys keys = Keys("hilfe sofort wort7");
  index_.ForEachCandidate(keys, collect);
  second.ForEachCandidate(keys, collect);
  EXPECT_NE(std::find(found.begin(), found.end(), "hilfe"), found.end());
  EXPECT_NE(std::find(found.begin(), found.end(), "hilfe sofort"), found.end());
  EXPECT_NE(std::find(found.begin(), found.end(), "wort7"), found.end());
  EXPECT_EQ(std::find(found.begin(), found.end(), "wort8"), found.end());
}

TEST_F(KeywordIndexTest, TheTableKnowsWhichPriorityUsesEachFirstToken) {
  // "zebra" starts a keyword of an interrupt flow only, the other words the normal flow's
  // keywords of the fixture: a message is matched against the flows of one priority, and
  // only their first tokens are tested.
  std::deque<Keyword> interrupt_keywords{Keyword{"zebra", "", {}}, Keyword{"zaun*", "", {}}};
  std::vector<CompiledKeyword> compiled;
  for (const auto& k : interrupt_keywords) {
    for (auto& c : CompileKeyword(k)) compiled.push_back(std::move(c));
  }
  const KeywordIndex interrupt(std::move(compiled), table_, Priority::kInterrupt);
  EXPECT_TRUE(table_.ExactWord("zebra", Priority::kInterrupt).has_value());
  EXPECT_FALSE(table_.ExactWord("zebra", Priority::kNormal).has_value());
  EXPECT_TRUE(table_.ExactWord("hilfe", Priority::kNormal).has_value());
  EXPECT_FALSE(table_.ExactWord("hilfe", Priority::kInterrupt).has_value());
  // A word allowed a typo is no exact word: it is tested with the others of its first byte.
  EXPECT_FALSE(table_.ExactWord("einbrecher", Priority::kNormal).has_value());
  auto texts = [&](Priority p, unsigned char lead) {
    std::vector<std::string> out;
    for (uint32_t id : table_.Inexact(p, lead)) {
      const KeywordToken& t = table_.token(id);
      out.push_back((t.suffix ? "*" : "") + t.text + (t.prefix ? "*" : ""));
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(texts(Priority::kInterrupt, 'z'), std::vector<std::string>{"zaun*"});
  EXPECT_TRUE(texts(Priority::kNormal, 'z').empty());
  EXPECT_EQ(texts(Priority::kNormal, 'm'), std::vector<std::string>{"messer*"});
  EXPECT_EQ(texts(Priority::kNormal, 0),
            (std::vector<std::string>{"*diebstahl", "*schlaegerei", "*schlagerei"}));
}

}  // namespace
}  // namespace wache::bot
