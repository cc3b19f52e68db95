#include "bot/diagnostics.h"

#include <algorithm>
#include <functional>
#include <tuple>

namespace wache::bot {

namespace {

size_t HashOf(const Diagnostic& d) {
  size_t h = std::hash<std::string_view>{}(d.where.file);
  h = h * 31 + std::hash<std::string_view>{}(d.message);
  h = h * 31 + static_cast<size_t>(d.where.line);
  h = h * 31 + static_cast<size_t>(d.where.column);
  return h * 2 + (d.severity == Severity::kError ? 1 : 0);
}

bool Same(const Diagnostic& a, const Diagnostic& b) {
  return a.severity == b.severity && a.where.line == b.where.line &&
         a.where.column == b.where.column && a.where.file == b.where.file && a.message == b.message;
}

void Append(std::string& out, const Diagnostic& d) {
  out += d.where.file.empty() ? "<input>" : d.where.file;
  if (d.where.line > 0) {
    out += ':';
    out += std::to_string(d.where.line);
    if (d.where.column > 0) {
      out += ':';
      out += std::to_string(d.where.column);
    }
  }
  out += d.severity == Severity::kError ? ": error: " : ": warning: ";
  out += d.message;
}

}  // namespace

void Diagnostics::Add(Diagnostic d) {
  // The same problem found again (a defaults: line read once per account) is said once.
  const size_t hash = HashOf(d);
  for (auto [it, end] = seen_.equal_range(hash); it != end; ++it) {
    if (Same(items_[it->second], d)) return;
  }
  seen_.emplace(hash, items_.size());
  items_.push_back(std::move(d));
}

void Diagnostics::Error(const SourceLocation& where, std::string message) {
  Add({Severity::kError, where, std::move(message)});
}

void Diagnostics::Warning(const SourceLocation& where, std::string message) {
  Add({Severity::kWarning, where, std::move(message)});
}

int Diagnostics::error_count() const {
  return static_cast<int>(std::count_if(items_.begin(), items_.end(), [](const Diagnostic& d) {
    return d.severity == Severity::kError;
  }));
}

int Diagnostics::warning_count() const { return static_cast<int>(items_.size()) - error_count(); }

void Diagnostics::Merge(const Diagnostics& other) {
  for (const auto& d : other.items_) Add(d);
}

std::string FormatDiagnostic(const Diagnostic& d) {
  std::string out;
  Append(out, d);
  return out;
}

std::string Diagnostics::Format() const {
  // Sorted by pointer, not by copy: there may be tens of thousands.
  std::vector<const Diagnostic*> sorted;
  sorted.reserve(items_.size());
  for (const auto& d : items_) sorted.push_back(&d);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic* a, const Diagnostic* b) {
    return std::tie(a->where.file, a->where.line, a->where.column) <
           std::tie(b->where.file, b->where.line, b->where.column);
  });
  std::string out;
  for (const Diagnostic* d : sorted) {
    Append(out, *d);
    out += '\n';
  }
  return out;
}

int EditDistance(std::string_view a, std::string_view b, int limit) {
  const size_t n = a.size(), m = b.size();
  if (static_cast<int>(n > m ? n - m : m - n) > limit) return limit + 1;
  // Three rows are enough for the transposition rule.
  std::vector<int> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (size_t j = 0; j <= m; ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    cur[0] = static_cast<int>(i);
    int row_min = cur[0];
    for (size_t j = 1; j <= m; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > limit) return limit + 1;
    prev2.swap(prev);
    prev.swap(cur);
  }
  return std::min(prev[m], limit + 1);
}

std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates) {
  // A hint is only useful if it is clearly closer than guessing: allow about one edit per
  // three characters, at least one.
  const int allowed = std::max<int>(1, static_cast<int>(word.size()) / 3);
  std::string best;
  int best_distance = allowed + 1;
  for (const auto& c : candidates) {
    int d = EditDistance(word, c, allowed);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best = ClosestMatch(word, candidates);
  return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

}  // namespace wache::bot
