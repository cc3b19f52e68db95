// Small crypto and encoding helpers the platform adapters share: the HMACs that check
// webhook signatures (Meta's X-Hub-Signature-256, X's CRC and x-twitter-webhooks-signature)
// and sign X requests (OAuth 1.0a), hex and base64 in their strict forms, a constant-time
// comparison for secrets, random nonces and RFC 3986 percent-encoding.
//
// Everything works on raw bytes held in std::string; nothing here throws. All of it is a
// thin layer over OpenSSL's libcrypto, so the primitives themselves are not ours to get
// wrong.
//
// Not for: TLS (cpp-httplib does that), key storage, or any protocol logic (which fields
// are signed, how headers look) — that belongs to the adapter that speaks the protocol.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace wache::webhook {

// HMAC-SHA256 of `data` under `key`: the raw 32-byte MAC (HexEncode or Base64Encode it for
// the wire). Empty only if OpenSSL fails, which in practice means out of memory.
std::string HmacSha256(std::string_view key, std::string_view data);

// HMAC-SHA1 of `data` under `key`: the raw 20-byte MAC. For OAuth 1.0a, which X still
// requires, and for the benchmark's copy of Meta's older X-Hub-Signature (Wache checks only
// the SHA-256 one); SHA-1's weakness against collisions does not break HMAC.
std::string HmacSha1(std::string_view key, std::string_view data);

// SHA-256 of `data`: the raw 32-byte digest.
std::string Sha256(std::string_view data);

// Lower-case hex, two characters per byte.
std::string HexEncode(std::string_view bytes);

// Accepts upper- and lower-case digits. nullopt on odd length or any non-hex character
// (including whitespace and a "0x" prefix): a signature header that is not exactly hex is
// malformed, and guessing what was meant would only widen what an attacker can send.
std::optional<std::string> HexDecode(std::string_view hex);

// Standard alphabet (RFC 4648 section 4) with '=' padding; no line breaks.
std::string Base64Encode(std::string_view bytes);

// Strict inverse of Base64Encode: standard alphabet, length a multiple of four, padding
// only at the end, no whitespace, and the unused bits of the last character zero (so every
// byte string has exactly one accepted encoding). nullopt on anything else. Not for the
// URL-safe alphabet (RFC 4648 section 5).
std::optional<std::string> Base64Decode(std::string_view text);

// Compares in time that depends only on the length, never on where the first difference
// is, so a MAC can be checked without leaking how much of a forged one was right.
// Different lengths -> false at once: the length of a MAC is public.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// `bytes` bytes from OpenSSL's CSPRNG as 2*bytes lower-case hex characters. Empty if the
// random source fails (callers must not go on with an empty nonce or token).
std::string RandomHex(size_t bytes);

// RFC 3986 percent-encoding as OAuth 1.0a (RFC 5849 section 3.6) needs it: keeps ALPHA,
// DIGIT and - . _ ~, and writes every other byte as %XX with upper-case hex. Works on
// bytes, so UTF-8 comes out as one %XX per byte; a space is %20, never '+'.
std::string PercentEncode(std::string_view text);

}  // namespace wache::webhook
