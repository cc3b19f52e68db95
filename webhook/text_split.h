// Splitting a reply that is longer than a platform allows into several messages, on word
// boundaries, never inside a UTF-8 character. Limits are per platform (platforms.md):
// WhatsApp 4096 characters, Messenger 2000 characters, Instagram 1000 bytes, X 10,000.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace wache::webhook {

enum class LengthUnit { kCharacters, kBytes };

// Length of `text` in `unit` (characters = Unicode code points).
size_t TextLength(std::string_view text, LengthUnit unit);

// Splits `text` into parts of at most `limit` units each. Prefers a paragraph break, then a
// line break, then a space, in the last half of a part; a word longer than a whole part is
// cut between characters. Whitespace at the cut is dropped. Empty text gives one empty part.
std::vector<std::string> SplitText(std::string_view text, size_t limit, LengthUnit unit);

// Cuts `text` to at most `limit` units, ending in "…" when it was cut (button titles).
std::string Truncate(std::string_view text, size_t limit,
                     LengthUnit unit = LengthUnit::kCharacters);

}  // namespace wache::webhook
