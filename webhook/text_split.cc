#include "webhook/text_split.h"

namespace wache::webhook {
namespace {

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Byte offsets where each character starts, plus text.size() at the end.
std::vector<size_t> CharStarts(std::string_view text) {
  std::vector<size_t> starts;
  for (size_t i = 0; i < text.size(); ++i) {
    if (!IsContinuation(static_cast<unsigned char>(text[i]))) starts.push_back(i);
  }
  starts.push_back(text.size());
  return starts;
}

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

size_t TextLength(std::string_view text, LengthUnit unit) {
  if (unit == LengthUnit::kBytes) return text.size();
  size_t n = 0;
  for (unsigned char c : text) n += IsContinuation(c) ? 0 : 1;
  return n;
}

std::vector<std::string> SplitText(std::string_view text, size_t limit, LengthUnit unit) {
  std::vector<std::string> parts;
  if (limit == 0) limit = 1;
  text = TrimSpaces(text);
  while (TextLength(text, unit) > limit) {
    // The furthest byte offset that keeps the part within the limit, at a character start.
    std::vector<size_t> starts = CharStarts(text);
    size_t max_end = 0;
    if (unit == LengthUnit::kCharacters) {
      max_end = starts[std::min(limit, starts.size() - 1)];
    } else {
      for (size_t s : starts) {
        if (s <= limit) max_end = s;
      }
    }
    if (max_end == 0) max_end = starts.size() > 1 ? starts[1] : text.size();  // one huge char
    std::string_view window = text.substr(0, max_end);
    // Break at the best boundary in the second half, so parts do not get tiny.
    size_t cut = std::string_view::npos;
    for (std::string_view sep : {"\n\n", "\n", " "}) {
      size_t at = window.rfind(sep);
      if (at != std::string_view::npos && at >= max_end / 2) {
        cut = at;
        break;
      }
    }
    // A cut at a space also fits when the text continues with a space right after the window.
    if (cut == std::string_view::npos && max_end < text.size() && IsSpace(text[max_end])) {
      cut = max_end;
    }
    if (cut == std::string_view::npos) cut = max_end;  // one long word: cut between characters
    parts.emplace_back(TrimSpaces(text.substr(0, cut)));
    text = TrimSpaces(text.substr(cut));
  }
  parts.emplace_back(text);
  return parts;
}

std::string Truncate(std::string_view text, size_t limit, LengthUnit unit) {
  if (TextLength(text, unit) <= limit) return std::string(text);
  const std::string_view kEllipsis = "…";
  size_t ellipsis_len = unit == LengthUnit::kBytes ? kEllipsis.size() : 1;
  if (limit < ellipsis_len) return "";
  size_t budget = limit - ellipsis_len;
  std::vector<size_t> starts = CharStarts(text);
  size_t end = 0;
  if (unit == LengthUnit::kCharacters) {
    end = starts[std::min(budget, starts.size() - 1)];
  } else {
    for (size_t s : starts) {
      if (s <= budget) end = s;
    }
  }
  std::string out(TrimSpaces(text.substr(0, end)));
  out += kEllipsis;
  return out;
}

}  // namespace wache::webhook
