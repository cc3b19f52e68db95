// Diagnostics: compiler-style messages, their order, and the edit distance behind the
// "did you mean" hints.
#include "bot/diagnostics.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace wache::bot {
namespace {

TEST(DiagnosticsTest, EditDistanceCountsInsertDeleteAndSubstitute) {
  EXPECT_EQ(EditDistance("steps", "steps"), 0);
  EXPECT_EQ(EditDistance("step", "steps"), 1);
  EXPECT_EQ(EditDistance("steps", "step"), 1);
  EXPECT_EQ(EditDistance("steps", "stops"), 1);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3);
  EXPECT_EQ(EditDistance("", "abc"), 3);
  EXPECT_EQ(EditDistance("abc", ""), 3);
}

TEST(DiagnosticsTest, EditDistanceCountsASwapOfNeighboursAsOneEdit) {
  EXPECT_EQ(EditDistance("stpes", "steps"), 1);
  EXPECT_EQ(EditDistance("ab", "ba"), 1);
  // Optimal string alignment: a swapped pair is not edited again.
  EXPECT_EQ(EditDistance("ca", "abc"), 3);
}

TEST(DiagnosticsTest, EditDistanceWorksOnBytes) {
  EXPECT_EQ(EditDistance("a", "ä"), 2);  // ä is two bytes in UTF-8
}

TEST(DiagnosticsTest, EditDistanceStopsAtTheLimit) {
  EXPECT_EQ(EditDistance("kitten", "sitting", 1), 2);
  EXPECT_EQ(EditDistance("a", "abcdef", 2), 3);  // length difference alone exceeds it
  EXPECT_EQ(EditDistance("kitten", "sitting", 3), 3);
}

// The capped result must equal the uncapped one, cut at limit + 1, for every input:
// checked exhaustively over short strings, where swaps and early exits interact.
TEST(DiagnosticsTest, CappedEditDistanceAgreesWithTheFullDistance) {
  std::vector<std::string> words = {""};
  for (size_t len = 1; len <= 4; ++len) {
    std::vector<std::string> more;
    for (const auto& w : words) {
      if (w.size() + 1 != len) continue;
      for (char c : {'a', 'b', 'c'}) more.push_back(w + c);
    }
    words.insert(words.end(), more.begin(), more.end());
  }
  int mismatches = 0;
  for (const auto& a : words) {
    for (const auto& b : words) {
      const int full = EditDistance(a, b);
      for (int limit = 0; limit <= 3; ++limit) {
        int capped = EditDistance(a, b, limit);
        if (capped != std::min(full, limit + 1) && ++mismatches <= 5) {
          ADD_FAILURE() << "EditDistance(\"" << a << "\", \"" << b << "\", " << limit
                        << ") = " << capped << ", full distance " << full;
        }
      }
    }
  }
  EXPECT_EQ(mismatches, 0);
}

TEST(DiagnosticsTest, DidYouMeanSuggestsTheClosestCandidate) {
  std::vector<std::string> keys = {"steps", "when", "flags", "priority"};
  EXPECT_EQ(DidYouMean("stpes", keys), " (did you mean 'steps'?)");
  EXPECT_EQ(DidYouMean("prority", keys), " (did you mean 'priority'?)");
  EXPECT_EQ(ClosestMatch("flag", keys), "flags");
}

TEST(DiagnosticsTest, DidYouMeanStaysQuietWhenNothingIsClose) {
  std::vector<std::string> keys = {"steps", "when", "flags"};
  EXPECT_EQ(DidYouMean("colour", keys), "");
  EXPECT_EQ(DidYouMean("x", {}), "");
  // Short words allow one edit only: "ab" is not a typo of "xy".
  EXPECT_EQ(ClosestMatch("ab", {"xy"}), "");
}

TEST(DiagnosticsTest, DidYouMeanAllowsMoreEditsForLongerWords) {
  // Two edits in a 9-letter word are still a likely typo; in a 5-letter word they are not.
  EXPECT_EQ(ClosestMatch("emergncyy", {"emergency"}), "emergency");
  EXPECT_EQ(ClosestMatch("stpse", {"steps"}), "");
}

TEST(DiagnosticsTest, FormatDiagnosticLooksLikeACompilerMessage) {
  EXPECT_EQ(FormatDiagnostic({Severity::kError, {"flows/a.yaml", 3, 7}, "bad"}),
            "flows/a.yaml:3:7: error: bad");
  EXPECT_EQ(FormatDiagnostic({Severity::kWarning, {"flows/a.yaml", 3, 0}, "meh"}),
            "flows/a.yaml:3: warning: meh");
  EXPECT_EQ(FormatDiagnostic({Severity::kError, {"flows", 0, 0}, "missing"}),
            "flows: error: missing");
  EXPECT_EQ(FormatDiagnostic({Severity::kError, {"", 1, 1}, "x"}), "<input>:1:1: error: x");
}

TEST(DiagnosticsTest, FormatSortsByFileLineAndColumnKeepingEqualPositionsInOrder) {
  Diagnostics d;
  d.Error({"b.yaml", 1, 1}, "b1");
  d.Warning({"a.yaml", 10, 2}, "a10");
  d.Error({"a.yaml", 2, 5}, "a2c5");
  d.Error({"a.yaml", 2, 3}, "a2c3");
  d.Warning({"a.yaml", 2, 3}, "a2c3 second");
  d.Error({"a.yaml", 0, 0}, "a whole file");
  EXPECT_EQ(d.Format(),
            "a.yaml: error: a whole file\n"
            "a.yaml:2:3: error: a2c3\n"
            "a.yaml:2:3: warning: a2c3 second\n"
            "a.yaml:2:5: error: a2c5\n"
            "a.yaml:10:2: warning: a10\n"  // numeric, not text order
            "b.yaml:1:1: error: b1\n");
  // Format does not reorder what all() returns.
  EXPECT_EQ(d.all().front().message, "b1");
}

TEST(DiagnosticsTest, CountsErrorsAndWarningsSeparately) {
  Diagnostics d;
  EXPECT_FALSE(d.has_errors());
  EXPECT_EQ(d.Format(), "");
  d.Warning({"a", 1, 1}, "w");
  EXPECT_FALSE(d.has_errors());
  d.Error({"a", 1, 1}, "e");
  d.Error({"a", 2, 1}, "e2");
  EXPECT_TRUE(d.has_errors());
  EXPECT_EQ(d.error_count(), 2);
  EXPECT_EQ(d.warning_count(), 1);
}

TEST(DiagnosticsTest, MergeAppendsTheOtherDiagnostics) {
  Diagnostics a, b;
  a.Error({"a", 1, 1}, "from a");
  b.Warning({"b", 1, 1}, "from b");
  a.Merge(b);
  ASSERT_EQ(a.all().size(), 2u);
  EXPECT_EQ(a.all()[1].message, "from b");
  EXPECT_EQ(a.warning_count(), 1);
  EXPECT_EQ(b.all().size(), 1u);
}

TEST(DiagnosticsTest, TheSameProblemAtTheSamePlaceIsReportedOnce) {
  Diagnostics d;
  d.Error({"wache.yaml", 5, 3}, "staffed: bad");
  d.Error({"wache.yaml", 5, 3}, "staffed: bad");
  d.Warning({"wache.yaml", 5, 3}, "staffed: bad");  // a different severity is kept
  d.Error({"wache.yaml", 6, 3}, "staffed: bad");    // so is another place
  EXPECT_EQ(d.error_count(), 2);
  EXPECT_EQ(d.warning_count(), 1);
  // A copy (each flow's diagnostics are collected apart and merged) still knows them.
  Diagnostics copy = d;
  copy.Error({"wache.yaml", 5, 3}, "staffed: bad");
  copy.Merge(d);
  EXPECT_EQ(copy.all().size(), 3u);
  copy.Error({"wache.yaml", 5, 3}, "staffed: worse");
  EXPECT_EQ(copy.all().size(), 4u);
}

}  // namespace
}  // namespace wache::bot
