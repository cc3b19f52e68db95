#include "bot/normalizer.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>

namespace wache::bot {
namespace {

void AppendUtf8(std::string& out, utf8proc_int32_t cp) {
  utf8proc_uint8_t buf[4];
  utf8proc_ssize_t n = utf8proc_encode_char(cp, buf);
  out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

bool IsWordCategory(utf8proc_category_t c) {
  switch (c) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

bool IsMark(utf8proc_category_t c) {
  return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ME;
}

// Letters whose folding is specific to the languages we serve. Returns the replacement,
// or nullptr to use the generic path.
const char* SpecialFold(utf8proc_int32_t cp, UmlautMode mode) {
  const bool spell = mode == UmlautMode::kSpellOut;
  switch (cp) {
    case 0x00E4:
    case 0x00C4:
      return spell ? "ae" : "a";  // ä Ä
    case 0x00F6:
    case 0x00D6:
      return spell ? "oe" : "o";  // ö Ö
    case 0x00FC:
    case 0x00DC:
      return spell ? "ue" : "u";  // ü Ü
    case 0x00DF:
    case 0x1E9E:
      return "ss";  // ß ẞ
    case 0x0131:
      return "i";  // Turkish dotless ı
    case 0x0130:
      return "i";  // Turkish İ
    case 0x0142:
    case 0x0141:
      return "l";  // Polish ł Ł
    case 0x00F8:
    case 0x00D8:
      return "o";  // ø
    case 0x0640:
      return "";  // Arabic tatweel (stretching)
    case 0x2019:
    case 0x0027:
    case 0x02BC:
    case 0x00B4:
    case 0x0060:
      return "";  // apostrophes join words: "don't" → "dont", "gibt's" → "gibts"
    default:
      return nullptr;
  }
}

}  // namespace

NormalizedText Normalize(std::string_view input, UmlautMode mode) {
  // Pass 0: compose ("a" + combining diaeresis → "ä"), so that umlauts typed as two code
  // points are spelled out like the precomposed ones. Invalid UTF-8 is left to pass 1.
  // Pure ASCII (most keywords, many messages) has nothing to compose: skip the copy.
  const bool ascii = std::all_of(input.begin(), input.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  std::string composed;
  if (!ascii) {
    utf8proc_uint8_t* out = nullptr;
    utf8proc_ssize_t n =
        utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(input.data()),
                     static_cast<utf8proc_ssize_t>(input.size()), &out,
                     static_cast<utf8proc_option_t>(UTF8PROC_COMPOSE | UTF8PROC_STABLE));
    if (n >= 0 && out)
      composed.assign(reinterpret_cast<char*>(out), static_cast<size_t>(n));
    else
      composed.assign(input.data(), input.size());
    free(out);
  }
  std::string_view utf8 = ascii ? input : std::string_view(composed);
  // Pass 1: fold every code point into lower-case base letters, or a space.
  std::string folded;
  folded.reserve(utf8.size());
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(utf8.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(utf8.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) {  // invalid byte: treat as a separator and move on, never fail on input
      folded.push_back(' ');
      ++p;
      --left;
      continue;
    }
    p += n;
    left -= n;
    // ASCII without utf8proc: the same result as the generic path below (letters lowered,
    // digits kept, apostrophes dropped, everything else a space), a tenth of the work.
    if (cp < 0x80) {
      if (cp >= 'A' && cp <= 'Z') {
        folded.push_back(static_cast<char>(cp - 'A' + 'a'));
      } else if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
        folded.push_back(static_cast<char>(cp));
      } else if (cp != '\'' && cp != '`') {
        folded.push_back(' ');
      }
      continue;
    }
    if (const char* special = SpecialFold(cp, mode)) {
      folded += special;
      continue;
    }
    // Decompose (NFKD) and case-fold one code point, then keep letters and digits only;
    // combining marks (accents, harakat) are dropped.
    utf8proc_int32_t parts[8];
    utf8proc_ssize_t count = utf8proc_decompose_char(
        cp, parts, 8,
        static_cast<utf8proc_option_t>(UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE),
        nullptr);
    if (count <= 0 || count > 8) {
      folded.push_back(' ');
      continue;
    }
    for (utf8proc_ssize_t i = 0; i < count; ++i) {
      utf8proc_category_t cat = utf8proc_category(parts[i]);
      if (IsMark(cat)) continue;
      if (IsWordCategory(cat)) {
        if (const char* again = SpecialFold(parts[i], mode)) {
          folded += again;
        } else {
          AppendUtf8(folded, parts[i]);
        }
      } else {
        folded.push_back(' ');
      }
    }
  }

  // Pass 2: split into tokens, cutting runs of 3+ equal letters ("hiiilfe") to one.
  // Digits keep their runs: "0800 111 0 111" must stay a phone number.
  NormalizedText out;
  std::string token;
  auto flush = [&] {
    if (!token.empty()) {
      out.tokens.push_back(token);
      token.clear();
    }
  };
  const auto* q = reinterpret_cast<const utf8proc_uint8_t*>(folded.data());
  utf8proc_ssize_t rest = static_cast<utf8proc_ssize_t>(folded.size());
  utf8proc_int32_t last = -1;
  int run = 0;
  size_t run_start = 0;  // byte offset in `token` where the current run began
  while (rest > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(q, rest, &cp);
    if (n <= 0) n = 1, cp = ' ';
    q += n;
    rest -= n;
    if (cp == ' ') {
      flush();
      last = -1;
      run = 0;
      continue;
    }
    if (cp == last && !(cp >= '0' && cp <= '9')) {
      ++run;
      if (run == 3) token.resize(run_start + static_cast<size_t>(n));  // keep one
      if (run >= 3) continue;
    } else {
      last = cp;
      run = 1;
      run_start = token.size();
    }
    AppendUtf8(token, cp);
  }
  flush();

  for (size_t i = 0; i < out.tokens.size(); ++i) {
    if (i) out.text.push_back(' ');
    out.text += out.tokens[i];
  }
  return out;
}

bool HasWords(std::string_view utf8) {
  // Normalize keeps ASCII letters and digits, so text with one has words; only the rest
  // (emoji, punctuation, other scripts) needs normalising to tell. The flow loader asks this
  // of every keyword, which the matcher normalises anyway: normalising twice cost 8% of the
  // instructions of `wache check` over 200 copies of the shipped flows.
  const bool ascii_word = std::any_of(utf8.begin(), utf8.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
  return ascii_word || !Normalize(utf8).tokens.empty();
}

std::u32string CodePoints(std::string_view utf8) {
  std::u32string out;
  out.reserve(utf8.size());  // at most one code point per byte; one allocation
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(utf8.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(utf8.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) n = 1, cp = 0xFFFD;
    p += n;
    left -= n;
    out.push_back(static_cast<char32_t>(cp));
  }
  return out;
}

size_t CodePointCount(std::string_view utf8) {
  size_t count = 0;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(utf8.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(utf8.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) n = 1;  // an invalid byte counts as one, as in CodePoints
    p += n;
    left -= n;
    ++count;
  }
  return count;
}

bool IsValidUtf8(std::string_view utf8) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(utf8.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(utf8.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) return false;
    p += n;
    left -= n;
  }
  return true;
}

}  // namespace wache::bot
