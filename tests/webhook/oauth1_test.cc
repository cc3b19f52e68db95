// OAuth 1.0a signing for X: the worked example from Twitter's "Creating a signature"
// documentation end to end, then the normalisation rules of RFC 5849 section 3.4.1 one by
// one, and the shape of the header for a JSON-bodied direct message.
#include "webhook/x/oauth1.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>

#include "webhook/crypto.h"

namespace wache::webhook {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

// From Twitter's developer documentation, "Creating a signature".
OAuth1Credentials TwitterDocsCredentials() {
  OAuth1Credentials c;
  c.consumer_key = "xvz1evFS4wEEPTGEFPHBog";
  c.consumer_secret = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw";
  c.token = "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb";
  c.token_secret = "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE";
  return c;
}
constexpr char kDocsNonce[] = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg";
constexpr int64_t kDocsTimestamp = 1318622958;
constexpr char kDocsUrl[] =
    "https://api.twitter.com/1.1/statuses/update.json?include_entities=true";
const Params kDocsForm = {{"status", "Hello Ladies + Gentlemen, a signed OAuth request!"}};

constexpr char kDmUrl[] = "https://api.x.com/1.1/direct_messages/events/new.json";

// The header's parameters, still percent-encoded, keyed by name. Assumes the header's own
// format (", " between pairs, values in double quotes), which the exact-match test pins.
std::map<std::string, std::string> HeaderParams(const std::string& header) {
  std::map<std::string, std::string> params;
  std::string_view rest(header);
  if (rest.substr(0, 6) != "OAuth ") return params;
  rest.remove_prefix(6);
  while (!rest.empty()) {
    size_t eq = rest.find("=\"");
    size_t close = rest.find('"', eq + 2);
    if (eq == std::string_view::npos || close == std::string_view::npos) break;
    params[std::string(rest.substr(0, eq))] = std::string(rest.substr(eq + 2, close - eq - 2));
    rest.remove_prefix(close + 1);
    if (rest.substr(0, 2) == ", ") rest.remove_prefix(2);
  }
  return params;
}

TEST(OAuth1Test, SignatureBaseStringMatchesTwitterDocsExample) {
  Params params = {
      {"oauth_consumer_key", "xvz1evFS4wEEPTGEFPHBog"},
      {"oauth_nonce", kDocsNonce},
      {"oauth_signature_method", "HMAC-SHA1"},
      {"oauth_timestamp", "1318622958"},
      {"oauth_token", "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"},
      {"oauth_version", "1.0"},
      {"status", "Hello Ladies + Gentlemen, a signed OAuth request!"},
  };
  EXPECT_EQ(
      OAuth1SignatureBaseString("POST", kDocsUrl, params),
      "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue"
      "%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog"
      "%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"
      "%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958"
      "%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"
      "%26oauth_version%3D1.0"
      "%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth"
      "%2520request%2521");
}

TEST(OAuth1Test, SignatureMatchesTwitterDocsExample) {
  std::string header = OAuth1AuthorizationHeader(TwitterDocsCredentials(), "POST", kDocsUrl,
                                                 kDocsForm, kDocsNonce, kDocsTimestamp);
  // hCtSmYh+iHYCEqBWrE7C7hYmtUk=, percent-encoded as the header requires.
  EXPECT_EQ(HeaderParams(header)["oauth_signature"], "hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D");
}

TEST(OAuth1Test, HeaderListsTheSevenOauthParametersSortedQuotedAndCommaSeparated) {
  EXPECT_EQ(OAuth1AuthorizationHeader(TwitterDocsCredentials(), "POST", kDocsUrl, kDocsForm,
                                      kDocsNonce, kDocsTimestamp),
            "OAuth oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\", "
            "oauth_nonce=\"kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg\", "
            "oauth_signature=\"hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D\", "
            "oauth_signature_method=\"HMAC-SHA1\", "
            "oauth_timestamp=\"1318622958\", "
            "oauth_token=\"370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb\", "
            "oauth_version=\"1.0\"");
}

TEST(OAuth1Test, FormAndQueryParametersAreSignedButNotPutInTheHeader) {
  auto params = HeaderParams(OAuth1AuthorizationHeader(TwitterDocsCredentials(), "POST", kDocsUrl,
                                                       kDocsForm, kDocsNonce, kDocsTimestamp));
  EXPECT_EQ(params.count("status"), 0u);
  EXPECT_EQ(params.count("include_entities"), 0u);
  // Without the form parameter the same request signs differently.
  auto unsigned_form = HeaderParams(OAuth1AuthorizationHeader(
      TwitterDocsCredentials(), "POST", kDocsUrl, {}, kDocsNonce, kDocsTimestamp));
  EXPECT_NE(unsigned_form["oauth_signature"], params["oauth_signature"]);
}

TEST(OAuth1Test, JsonBodiedDirectMessageSignsOnlyTheOauthParameters) {
  OAuth1Credentials creds = TwitterDocsCredentials();
  std::string header = OAuth1AuthorizationHeader(creds, "POST", kDmUrl, {}, "nonce123", 1700000000);

  Params oauth = {
      {"oauth_consumer_key", creds.consumer_key},
      {"oauth_nonce", "nonce123"},
      {"oauth_signature_method", "HMAC-SHA1"},
      {"oauth_timestamp", "1700000000"},
      {"oauth_token", creds.token},
      {"oauth_version", "1.0"},
  };
  std::string base = OAuth1SignatureBaseString("POST", kDmUrl, oauth);
  EXPECT_EQ(base,
            "POST&https%3A%2F%2Fapi.x.com%2F1.1%2Fdirect_messages%2Fevents%2Fnew.json&"
            "oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3Dnonce123"
            "%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000"
            "%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"
            "%26oauth_version%3D1.0");
  std::string key = creds.consumer_secret + "&" + creds.token_secret;  // both URL-safe
  EXPECT_EQ(HeaderParams(header)["oauth_signature"],
            PercentEncode(Base64Encode(HmacSha1(key, base))));
}

TEST(OAuth1Test, BaseUrlLowerCasesSchemeAndHostAndDropsDefaultPortQueryAndFragment) {
  EXPECT_EQ(OAuth1SignatureBaseString("GET", "HTTPS://API.X.com:443/1.1/Path.json?x=1#top", {}),
            "GET&https%3A%2F%2Fapi.x.com%2F1.1%2FPath.json&x%3D1");
  EXPECT_EQ(OAuth1SignatureBaseString("GET", "http://Example.COM:80/r%20v", {}),
            "GET&http%3A%2F%2Fexample.com%2Fr%2520v&");
}

TEST(OAuth1Test, BaseUrlKeepsANonDefaultPort) {
  EXPECT_EQ(OAuth1SignatureBaseString("GET", "https://example.com:8443/a", {}),
            "GET&https%3A%2F%2Fexample.com%3A8443%2Fa&");
  EXPECT_EQ(OAuth1SignatureBaseString("GET", "http://example.com:443/a", {}),
            "GET&http%3A%2F%2Fexample.com%3A443%2Fa&");
}

TEST(OAuth1Test, BaseUrlWithoutPathGetsASlash) {
  EXPECT_EQ(OAuth1SignatureBaseString("GET", "https://api.x.com?a=b", {}),
            "GET&https%3A%2F%2Fapi.x.com%2F&a%3Db");
}

TEST(OAuth1Test, MethodIsUpperCased) {
  EXPECT_EQ(OAuth1SignatureBaseString("post", kDmUrl, {}),
            OAuth1SignatureBaseString("POST", kDmUrl, {}));
}

TEST(OAuth1Test, QueryParametersAreDecodedThenEncodedAgainTheRfc3986Way) {
  // '+' in a query is a form-encoded space and becomes %20; %7E is '~' and stays bare.
  EXPECT_EQ(OAuth1SignatureBaseString("GET", "https://api.x.com/s?q=a+b%21&t=%7E&flag", {}),
            "GET&https%3A%2F%2Fapi.x.com%2Fs&flag%3D%26q%3Da%2520b%2521%26t%3D~");
}

TEST(OAuth1Test, ParametersAreSortedByEncodedNameThenEncodedValue) {
  Params params = {{"b", "2"}, {"a", "z"}, {"a", "10"}, {"a", "9"}, {"ä", "x"}, {"B", "y"}};
  // Byte order of the encoded forms: "%C3%A4" before "B" before "a" before "b"; equal
  // names by value, as strings ("10" < "9" < "z").
  EXPECT_EQ(OAuth1SignatureBaseString("GET", "https://api.x.com/", params),
            "GET&https%3A%2F%2Fapi.x.com%2F&"
            "%25C3%25A4%3Dx%26B%3Dy%26a%3D10%26a%3D9%26a%3Dz%26b%3D2");
}

TEST(OAuth1Test, QueryAndBodyParametersAreSortedTogether) {
  EXPECT_EQ(OAuth1SignatureBaseString("POST", "https://api.x.com/p?c=3&a=1", {{"b", "2"}}),
            "POST&https%3A%2F%2Fapi.x.com%2Fp&a%3D1%26b%3D2%26c%3D3");
}

TEST(OAuth1Test, AnOauthSignatureParameterIsLeftOutOfTheBaseString) {
  EXPECT_EQ(OAuth1SignatureBaseString("POST", kDmUrl, {{"oauth_signature", "old"}, {"a", "1"}}),
            OAuth1SignatureBaseString("POST", kDmUrl, {{"a", "1"}}));
}

TEST(OAuth1Test, EmptyTokenIsLeftOutAndTheSigningKeyStillEndsWithAnAmpersand) {
  OAuth1Credentials creds;
  creds.consumer_key = "key";
  creds.consumer_secret = "secret";
  auto params = HeaderParams(OAuth1AuthorizationHeader(creds, "POST", kDmUrl, {}, "n", 1));
  EXPECT_EQ(params.count("oauth_token"), 0u);
  std::string base = OAuth1SignatureBaseString("POST", kDmUrl,
                                               {{"oauth_consumer_key", "key"},
                                                {"oauth_nonce", "n"},
                                                {"oauth_signature_method", "HMAC-SHA1"},
                                                {"oauth_timestamp", "1"},
                                                {"oauth_version", "1.0"}});
  EXPECT_EQ(params["oauth_signature"], PercentEncode(Base64Encode(HmacSha1("secret&", base))));
}

TEST(OAuth1Test, SecretsAreEncodedBeforeTheyAreJoinedIntoTheSigningKey) {
  OAuth1Credentials creds = TwitterDocsCredentials();
  creds.consumer_secret = "a&b";
  creds.token_secret = "c d";
  auto params = HeaderParams(OAuth1AuthorizationHeader(creds, "POST", kDmUrl, {}, "n", 1));
  std::string base = OAuth1SignatureBaseString("POST", kDmUrl,
                                               {{"oauth_consumer_key", creds.consumer_key},
                                                {"oauth_nonce", "n"},
                                                {"oauth_signature_method", "HMAC-SHA1"},
                                                {"oauth_timestamp", "1"},
                                                {"oauth_token", creds.token},
                                                {"oauth_version", "1.0"}});
  EXPECT_EQ(params["oauth_signature"], PercentEncode(Base64Encode(HmacSha1("a%26b&c%20d", base))));
}

TEST(OAuth1Test, HeaderValuesArePercentEncoded) {
  OAuth1Credentials creds = TwitterDocsCredentials();
  creds.consumer_key = "k y\"";
  auto params = HeaderParams(OAuth1AuthorizationHeader(creds, "POST", kDmUrl, {}, "n+1", 1));
  EXPECT_EQ(params["oauth_consumer_key"], "k%20y%22");
  EXPECT_EQ(params["oauth_nonce"], "n%2B1");
}

TEST(OAuth1Test, CredentialsAreCompleteOnlyWithAllFourValues) {
  EXPECT_TRUE(TwitterDocsCredentials().complete());
  EXPECT_FALSE(OAuth1Credentials{}.complete());
  for (std::string OAuth1Credentials::*field :
       {&OAuth1Credentials::consumer_key, &OAuth1Credentials::consumer_secret,
        &OAuth1Credentials::token, &OAuth1Credentials::token_secret}) {
    OAuth1Credentials c = TwitterDocsCredentials();
    c.*field = "";
    EXPECT_FALSE(c.complete());
  }
}

TEST(OAuth1Test, HeaderWithoutNonceAndTimestampUsesARandomNonceAndTheCurrentTime) {
  int64_t before = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  auto first = HeaderParams(OAuth1AuthorizationHeader(TwitterDocsCredentials(), "POST", kDmUrl));
  auto second = HeaderParams(OAuth1AuthorizationHeader(TwitterDocsCredentials(), "POST", kDmUrl));
  int64_t after = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();

  EXPECT_EQ(first["oauth_nonce"].size(), 32u);
  EXPECT_NE(first["oauth_nonce"], second["oauth_nonce"]);
  int64_t timestamp = std::stoll(first["oauth_timestamp"]);
  EXPECT_GE(timestamp, before);
  EXPECT_LE(timestamp, after);
  EXPECT_EQ(first.size(), 7u);
}

}  // namespace
}  // namespace wache::webhook
