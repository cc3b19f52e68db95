#include "webhook/crypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <climits>
#include <cstdint>

namespace wache::webhook {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// An empty string_view may carry a null pointer; handing OpenSSL a real one keeps empty keys
// and messages clear of its null-pointer special cases (a null HMAC key means "reuse the
// previous key" to EVP_MAC_init).
const unsigned char* Bytes(std::string_view s) {
  static const unsigned char kEmpty = 0;
  return s.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(s.data());
}

// HMAC() looks its algorithms up by name on every call (OpenSSL 3: a global read lock,
// string compares, reference counts). For a 1,100-byte webhook body that took 1.4 µs of CPU
// a call on one thread and 3.5 µs with four threads on two cores. So each thread fetches
// HMAC with its digest once, into a context without a key, and copies that per call: 1.0 and
// 1.9 µs (build/bench/wache_bench_hmac). Every webhook's signature and every pseudonym in
// the log is one call.
class HmacTemplate {
 public:
  explicit HmacTemplate(const char* digest) {
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (mac == nullptr) return;
    ctx_ = EVP_MAC_CTX_new(mac);
    EVP_MAC_free(mac);  // the context holds its own reference
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(digest), 0),
        OSSL_PARAM_construct_end()};
    if (ctx_ != nullptr && EVP_MAC_CTX_set_params(ctx_, params) != 1) {
      EVP_MAC_CTX_free(ctx_);
      ctx_ = nullptr;
    }
  }
  ~HmacTemplate() { EVP_MAC_CTX_free(ctx_); }
  HmacTemplate(const HmacTemplate&) = delete;
  HmacTemplate& operator=(const HmacTemplate&) = delete;

  std::string Mac(std::string_view key, std::string_view data) const {
    if (ctx_ == nullptr) return {};
    EVP_MAC_CTX* ctx = EVP_MAC_CTX_dup(ctx_);
    if (ctx == nullptr) return {};
    unsigned char mac[EVP_MAX_MD_SIZE];
    size_t mac_len = 0;
    const bool ok = EVP_MAC_init(ctx, Bytes(key), key.size(), nullptr) == 1 &&
                    EVP_MAC_update(ctx, Bytes(data), data.size()) == 1 &&
                    EVP_MAC_final(ctx, mac, &mac_len, sizeof mac) == 1;
    EVP_MAC_CTX_free(ctx);
    if (!ok) return {};
    return std::string(reinterpret_cast<const char*>(mac), mac_len);
  }

 private:
  EVP_MAC_CTX* ctx_ = nullptr;
};

// Value of one hex digit, or -1.
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Value of one base64 character (standard alphabet), or -1 for anything else, '=' included.
int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

}  // namespace

std::string HmacSha256(std::string_view key, std::string_view data) {
  thread_local const HmacTemplate sha256("SHA256");
  return sha256.Mac(key, data);
}

std::string HmacSha1(std::string_view key, std::string_view data) {
  thread_local const HmacTemplate sha1("SHA1");
  return sha1.Mac(key, data);
}

std::string Sha256(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  if (EVP_Digest(Bytes(data), data.size(), digest, &digest_len, EVP_sha256(), nullptr) != 1) {
    return {};
  }
  return std::string(reinterpret_cast<const char*>(digest), digest_len);
}

std::string HexEncode(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kHexDigits[c >> 4]);
    out.push_back(kHexDigits[c & 0x0f]);
  }
  return out;
}

std::optional<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = HexValue(hex[i]);
    int lo = HexValue(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>((hi << 4) | lo));
  }
  return out;
}

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t n = (static_cast<unsigned char>(bytes[i]) << 16) |
                 (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    out.push_back(kBase64Alphabet[(n >> 18) & 0x3f]);
    out.push_back(kBase64Alphabet[(n >> 12) & 0x3f]);
    out.push_back(kBase64Alphabet[(n >> 6) & 0x3f]);
    out.push_back(kBase64Alphabet[n & 0x3f]);
  }
  size_t rest = bytes.size() - i;
  if (rest == 1) {
    uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
    out.push_back(kBase64Alphabet[(n >> 18) & 0x3f]);
    out.push_back(kBase64Alphabet[(n >> 12) & 0x3f]);
    out.append("==");
  } else if (rest == 2) {
    uint32_t n = (static_cast<unsigned char>(bytes[i]) << 16) |
                 (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out.push_back(kBase64Alphabet[(n >> 18) & 0x3f]);
    out.push_back(kBase64Alphabet[(n >> 12) & 0x3f]);
    out.push_back(kBase64Alphabet[(n >> 6) & 0x3f]);
    out.push_back('=');
  }
  return out;
}

// Hand-written rather than EVP_DecodeBlock: that one skips whitespace, decodes the padding
// as zero bytes that the caller must trim, and accepts non-zero trailing bits.
std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  size_t padding = 0;
  if (!text.empty() && text.back() == '=') {
    padding = text.size() >= 2 && text[text.size() - 2] == '=' ? 2 : 1;
  }
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    bool last = i + 4 == text.size();
    size_t data_chars = last ? 4 - padding : 4;
    uint32_t n = 0;
    for (size_t j = 0; j < 4; ++j) {
      int v = 0;
      if (j < data_chars) {
        v = Base64Value(text[i + j]);
        // '=' before the final padding, or any character outside the alphabet.
        if (v < 0) return std::nullopt;
      }
      n = (n << 6) | static_cast<uint32_t>(v);
    }
    out.push_back(static_cast<char>((n >> 16) & 0xff));
    if (data_chars >= 3) out.push_back(static_cast<char>((n >> 8) & 0xff));
    if (data_chars == 4) out.push_back(static_cast<char>(n & 0xff));
    // Bits that the padding says are unused must be zero, or two texts would decode to the
    // same bytes.
    if (data_chars == 2 && (n & 0xffff) != 0) return std::nullopt;
    if (data_chars == 3 && (n & 0xff) != 0) return std::nullopt;
  }
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string RandomHex(size_t bytes) {
  if (bytes == 0) return {};
  if (bytes > static_cast<size_t>(INT_MAX)) return {};
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) {
    return {};
  }
  return HexEncode(raw);
}

std::string PercentEncode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (IsUnreserved(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      // RFC 5849 section 3.6 requires upper-case hex here, unlike HexEncode.
      out.push_back("0123456789ABCDEF"[c >> 4]);
      out.push_back("0123456789ABCDEF"[c & 0x0f]);
    }
  }
  return out;
}

}  // namespace wache::webhook
