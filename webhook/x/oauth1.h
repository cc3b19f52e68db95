// OAuth 1.0a request signing (RFC 5849, HMAC-SHA1) for the X adapter's calls to X's v1.1
// API, chiefly `POST https://api.x.com/1.1/direct_messages/events/new.json`, which still
// wants a user-context OAuth 1.0a signature rather than a bearer token.
//
// What is signed: the method, the normalised base URL, the oauth_* parameters, the URL's
// query parameters and form-encoded body parameters. A JSON body is not signed (RFC 5849
// section 3.4.1.3.1 only covers application/x-www-form-urlencoded bodies), so callers
// sending JSON pass no form parameters.
//
// Not for: the three-legged flow that obtains a token (tokens come from configuration),
// RSA-SHA1 or PLAINTEXT signatures, or checking signatures on requests X sends us (X signs
// its webhooks with HMAC-SHA256, see webhook/crypto.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wache::webhook {

struct OAuth1Credentials {
  std::string consumer_key, consumer_secret, token, token_secret;
  // All four non-empty. Sending DMs acts for a user, so a missing token is a configuration
  // error to report at startup, not something to sign around.
  bool complete() const;
};

// The value of the Authorization header (`OAuth oauth_consumer_key="...", ...`) for one
// request, with the oauth_* parameters percent-encoded and sorted by name.
// `url` may contain a query string: its parameters are included in the signature and the
// base URL is normalised (scheme and host lower-case, default port dropped, query and
// fragment removed). `form_params` are application/x-www-form-urlencoded body parameters,
// unencoded (empty for JSON bodies). nonce and timestamp are passed in so tests are
// deterministic. An empty token is left out of the header, as RFC 5849 section 3.1 allows.
std::string OAuth1AuthorizationHeader(
    const OAuth1Credentials& creds, std::string_view method, std::string_view url,
    const std::vector<std::pair<std::string, std::string>>& form_params, std::string_view nonce,
    int64_t timestamp);

// Same for a request without form parameters (a JSON body or none), with a random nonce
// (RandomHex(16)) and the current time. Should the system's random source fail, the nonce is
// empty and X refuses the request, which is the safe way to fail.
std::string OAuth1AuthorizationHeader(const OAuth1Credentials& creds, std::string_view method,
                                      std::string_view url);

// Exposed for tests: the signature base string (RFC 5849 section 3.4.1). `all_params` are
// the oauth_* and form body parameters, unencoded; the parameters of `url`'s query string
// are added here, so pass them in one place or the other, not both. An oauth_signature
// parameter is ignored, as the RFC requires.
std::string OAuth1SignatureBaseString(
    std::string_view method, std::string_view url,
    const std::vector<std::pair<std::string, std::string>>& all_params);

}  // namespace wache::webhook
