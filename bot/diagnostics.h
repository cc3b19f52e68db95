// Diagnostics: problems found in files that staff edit (flows, templates, config, tests),
// collected all at once and printed like a compiler: file:line:col: error|warning: text.
// Not for runtime failures of the gateway; those are Status values and logs.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace wache::bot {

// Where something is in a staff-edited file. Lines and columns are 1-based; 0 = unknown.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

enum class Severity { kError, kWarning };

struct Diagnostic {
  Severity severity = Severity::kError;
  SourceLocation where;
  std::string message;  // what is wrong and, where possible, the fix
};

class Diagnostics {
 public:
  void Error(const SourceLocation& where, std::string message);
  void Warning(const SourceLocation& where, std::string message);

  const std::vector<Diagnostic>& all() const { return items_; }
  int error_count() const;
  int warning_count() const;
  bool has_errors() const { return error_count() > 0; }
  // Appends everything from other.
  void Merge(const Diagnostics& other);
  // Sorted by file, line, column; one per line, compiler style.
  std::string Format() const;

 private:
  void Add(Diagnostic d);

  std::vector<Diagnostic> items_;
  // A hash of each diagnostic -> its place in items_ (several if hashes collide), to say
  // a problem found again only once. `wache check` over 200 copied flows has tens of
  // thousands of warnings; an ordered set of copies of them took a sixteenth of its time.
  std::unordered_multimap<size_t, size_t> seen_;
};

std::string FormatDiagnostic(const Diagnostic& d);

// The candidate closest to `word` by edit distance, if close enough to be a likely typo;
// empty otherwise. Used for "did you mean ...?" hints.
std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or "" when there is no close candidate.
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

// Damerau-Levenshtein (optimal string alignment) distance over bytes, capped at `limit`+1.
int EditDistance(std::string_view a, std::string_view b, int limit = 1000);

}  // namespace wache::bot
