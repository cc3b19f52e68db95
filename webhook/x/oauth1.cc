#include "webhook/x/oauth1.h"

#include <algorithm>
#include <chrono>
#include <optional>

#include "webhook/crypto.h"

namespace wache::webhook {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// Decodes one application/x-www-form-urlencoded name or value: '+' is a space and %XX a
// byte. A '%' not followed by two hex digits is kept as a literal '%', as browsers and most
// servers do; the URLs come from our own code and configuration, not from users.
std::string FormDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size()) {
      std::optional<std::string> byte = HexDecode(s.substr(i + 1, 2));
      if (byte) {
        out.append(*byte);
        i += 2;
      } else {
        out.push_back('%');
      }
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// Parses a query string into decoded name/value pairs (RFC 5849 section 3.4.1.3.1). Empty
// pieces ("a=1&&b=2") are skipped; a piece without '=' is a name with an empty value.
Params ParseQuery(std::string_view query) {
  Params params;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view piece = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (piece.empty()) continue;
    size_t eq = piece.find('=');
    if (eq == std::string_view::npos) {
      params.emplace_back(FormDecode(piece), "");
    } else {
      params.emplace_back(FormDecode(piece.substr(0, eq)), FormDecode(piece.substr(eq + 1)));
    }
  }
  return params;
}

struct SplitUrl {
  std::string base;  // the base string URI of RFC 5849 section 3.4.1.2
  Params query;      // decoded query parameters
};

// Splits `url` into the normalised base URI and its query parameters. The path is kept
// byte for byte: it is already encoded as it will be sent, and X compares it that way.
SplitUrl Split(std::string_view url) {
  SplitUrl out;
  size_t hash = url.find('#');
  if (hash != std::string_view::npos) url = url.substr(0, hash);
  size_t question = url.find('?');
  if (question != std::string_view::npos) {
    out.query = ParseQuery(url.substr(question + 1));
    url = url.substr(0, question);
  }

  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    // Not an absolute URL; nothing to normalise. X will reject the signature, which is
    // where a wrong URL in configuration should surface.
    out.base = std::string(url);
    return out;
  }
  std::string scheme = Lower(url.substr(0, scheme_end));
  std::string_view rest = url.substr(scheme_end + 3);
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "/" : rest.substr(slash);

  // User information is not part of the base string URI.
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority = authority.substr(at + 1);
  // The port follows the last ':', unless that ':' is inside an IPv6 literal ("[::1]").
  std::string_view host = authority;
  std::string_view port;
  size_t colon = authority.rfind(':');
  size_t bracket = authority.rfind(']');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  bool default_port =
      port.empty() || (scheme == "http" && port == "80") || (scheme == "https" && port == "443");

  out.base = scheme + "://" + Lower(host);
  if (!default_port) out.base += ":" + std::string(port);
  out.base += path;
  return out;
}

// The key for HMAC-SHA1 (RFC 5849 section 3.4.2): both secrets encoded, joined by '&',
// even when the token secret is empty.
std::string SigningKey(const OAuth1Credentials& creds) {
  return PercentEncode(creds.consumer_secret) + "&" + PercentEncode(creds.token_secret);
}

}  // namespace

bool OAuth1Credentials::complete() const {
  return !consumer_key.empty() && !consumer_secret.empty() && !token.empty() &&
         !token_secret.empty();
}

std::string OAuth1SignatureBaseString(std::string_view method, std::string_view url,
                                      const Params& all_params) {
  SplitUrl split = Split(url);

  // Sorting happens on the encoded forms (RFC 5849 section 3.4.1.3.2), which is not the
  // same order as on the raw ones: "ä" (%C3%A4) sorts before "b".
  Params encoded;
  encoded.reserve(split.query.size() + all_params.size());
  for (const Params* list : {static_cast<const Params*>(&split.query), &all_params}) {
    for (const auto& [name, value] : *list) {
      if (name == "oauth_signature") continue;
      encoded.emplace_back(PercentEncode(name), PercentEncode(value));
    }
  }
  std::sort(encoded.begin(), encoded.end());

  std::string normalized;
  for (const auto& [name, value] : encoded) {
    if (!normalized.empty()) normalized += '&';
    normalized += name;
    normalized += '=';
    normalized += value;
  }
  return Upper(method) + "&" + PercentEncode(split.base) + "&" + PercentEncode(normalized);
}

std::string OAuth1AuthorizationHeader(const OAuth1Credentials& creds, std::string_view method,
                                      std::string_view url, const Params& form_params,
                                      std::string_view nonce, int64_t timestamp) {
  Params oauth = {
      {"oauth_consumer_key", creds.consumer_key},
      {"oauth_nonce", std::string(nonce)},
      {"oauth_signature_method", "HMAC-SHA1"},
      {"oauth_timestamp", std::to_string(timestamp)},
      {"oauth_version", "1.0"},
  };
  if (!creds.token.empty()) oauth.emplace_back("oauth_token", creds.token);

  Params signed_params = oauth;
  signed_params.insert(signed_params.end(), form_params.begin(), form_params.end());
  std::string base = OAuth1SignatureBaseString(method, url, signed_params);
  oauth.emplace_back("oauth_signature", Base64Encode(HmacSha1(SigningKey(creds), base)));

  // Sorted by name only for a stable, readable header; RFC 5849 section 3.5.1 allows any
  // order. The names are all oauth_* and distinct, so encoded and raw order agree.
  std::sort(oauth.begin(), oauth.end());
  std::string header = "OAuth ";
  for (size_t i = 0; i < oauth.size(); ++i) {
    if (i > 0) header += ", ";
    header += PercentEncode(oauth[i].first);
    header += "=\"";
    header += PercentEncode(oauth[i].second);
    header += '"';
  }
  return header;
}

std::string OAuth1AuthorizationHeader(const OAuth1Credentials& creds, std::string_view method,
                                      std::string_view url) {
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  return OAuth1AuthorizationHeader(creds, method, url, {}, RandomHex(16), now);
}

}  // namespace wache::webhook
