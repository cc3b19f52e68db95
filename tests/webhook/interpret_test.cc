// PlatformAdapter::Interpret (what a send API answer means: sent, retry or permanent, per
// platforms.md 1.11, 2.9, 3.6 and 4.9) and the webhook checks: Meta's hub.* handshake and
// X-Hub-Signature-256 (meta_webhook.h), X's CRC and x-twitter-webhooks-signature.
// Expected MACs were computed outside this code base (Python hmac/hashlib).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "webhook/meta/meta_webhook.h"
#include "webhook/platform_adapter.h"
#include "webhook/x/x_adapter.h"

namespace wache::webhook {
namespace {

using Outcome = SendResult::Outcome;
using Cause = SendResult::Cause;

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// A case-insensitive header lookup over a fixed map, as the server provides.
HeaderLookup Headers(std::map<std::string, std::string> h = {}) {
  std::map<std::string, std::string> lower;
  for (const auto& [k, v] : h) lower[Lower(k)] = v;
  return [lower](const std::string& name) {
    auto it = lower.find(Lower(name));
    return it == lower.end() ? std::string() : it->second;
  };
}

QueryLookup Query(std::map<std::string, std::string> q) {
  return [q](const std::string& name) -> std::optional<std::string> {
    auto it = q.find(name);
    if (it == q.end()) return std::nullopt;
    return it->second;
  };
}

std::unique_ptr<PlatformAdapter> Adapter(const std::string& platform, AdapterOptions o = {}) {
  auto a = MakeAdapter(platform, o);
  EXPECT_TRUE(a) << platform;
  return a;
}

std::string GraphError(int code, int subcode = 0) {
  std::string body =
      R"({"error":{"message":"(#131047) Message failed","type":"OAuthException","code":)" +
      std::to_string(code);
  if (subcode) body += R"(,"error_subcode":)" + std::to_string(subcode);
  return body + R"(,"fbtrace_id":"AbCdEf"}})";
}

// ============================== Graph (WhatsApp, Messenger, Instagram) ==============

TEST(WhatsAppInterpretTest, ASuccessfulSendGivesTheWamid) {
  const std::string body =
      R"({"messaging_product":"whatsapp","contacts":[{"input":"4915112345678","wa_id":"4915112345678"}],)"
      R"("messages":[{"id":"wamid.HBgLNDkxNTExMjM0NTY3OBUCABEYEjQ1","message_status":"accepted"}]})";
  SendResult r = Adapter("whatsapp")->Interpret(200, body, Headers());
  EXPECT_EQ(r.outcome, Outcome::kSent);
  EXPECT_EQ(r.platform_message_id, "wamid.HBgLNDkxNTExMjM0NTY3OBUCABEYEjQ1");
  EXPECT_EQ(r.error_code, "");
}

TEST(MessengerInterpretTest, ASuccessfulSendGivesTheMessageId) {
  const std::string body = R"({"recipient_id":"6000000000000001","message_id":"m_AG5Hz2U"})";
  for (const char* p : {"messenger", "instagram"}) {
    SendResult r = Adapter(p)->Interpret(200, body, Headers());
    EXPECT_EQ(r.outcome, Outcome::kSent) << p;
    EXPECT_EQ(r.platform_message_id, "m_AG5Hz2U") << p;
  }
}

TEST(GraphInterpretTest, ASuccessWithAnUnreadableBodyIsStillSent) {
  for (const char* p : {"whatsapp", "messenger", "instagram"}) {
    SendResult r = Adapter(p)->Interpret(200, "not json", Headers());
    EXPECT_EQ(r.outcome, Outcome::kSent) << p;
    EXPECT_EQ(r.platform_message_id, "") << p;
  }
}

TEST(GraphInterpretTest, NoAnswerAtAllIsRetried) {
  for (const char* p : {"whatsapp", "messenger", "instagram"}) {
    SendResult r = Adapter(p)->Interpret(0, "", Headers());
    EXPECT_EQ(r.outcome, Outcome::kRetry) << p;
  }
}

TEST(GraphInterpretTest, ServerErrorsAreRetried) {
  for (const char* p : {"whatsapp", "messenger", "instagram"}) {
    for (int status : {500, 502, 503}) {
      SendResult r = Adapter(p)->Interpret(status, "<html>Service Unavailable</html>", Headers());
      EXPECT_EQ(r.outcome, Outcome::kRetry) << p << " " << status;
      EXPECT_EQ(r.error_code, std::to_string(status)) << p;
    }
    SendResult r = Adapter(p)->Interpret(500, GraphError(2), Headers());
    EXPECT_EQ(r.outcome, Outcome::kRetry) << p;
    EXPECT_EQ(r.error_code, "2") << p;
  }
}

TEST(GraphInterpretTest, RateLimitsAndTemporaryErrorsAreRetried) {
  for (int code : {130429, 131056, 4, 17, 32, 613, 80007, 131000, 1, 2}) {
    for (const char* p : {"whatsapp", "messenger", "instagram"}) {
      SendResult r = Adapter(p)->Interpret(400, GraphError(code), Headers());
      EXPECT_EQ(r.outcome, Outcome::kRetry) << p << " code " << code;
      EXPECT_EQ(r.error_code, std::to_string(code)) << p;
      EXPECT_FALSE(r.reason.empty());
    }
  }
}

TEST(GraphInterpretTest, Http429IsRetriedWhateverTheCode) {
  SendResult r = Adapter("whatsapp")->Interpret(429, "", Headers());
  EXPECT_EQ(r.outcome, Outcome::kRetry);
  EXPECT_EQ(r.error_code, "429");
}

struct PermanentCase {
  const char* platform;
  int code;
  int subcode;
  const char* error_code;
  const char* reason_part;
  SendResult::Cause cause;  // what the dead letter's log line tells the operator to do
};

TEST(GraphInterpretTest, ErrorsThatWillFailAgainArePermanentWithTheRightReason) {
  const PermanentCase cases[] = {
      {"whatsapp", 131047, 0, "131047", "24-hour window", Cause::kWindowClosed},
      {"whatsapp", 131026, 0, "131026", "cannot be reached", Cause::kOther},
      {"messenger", 10, 2018278, "10/2018278", "24-hour window", Cause::kWindowClosed},
      {"instagram", 10, 2018278, "10/2018278", "24-hour window", Cause::kWindowClosed},
      {"instagram", 10, 2534022, "10/2534022", "24-hour window", Cause::kWindowClosed},
      {"messenger", 551, 0, "551", "cannot be reached", Cause::kOther},
      {"whatsapp", 100, 0, "100", "invalid", Cause::kOther},
      {"whatsapp", 131008, 0, "131008", "invalid", Cause::kOther},
      {"messenger", 100, 0, "100", "invalid", Cause::kOther},
      {"whatsapp", 190, 0, "190", "token", Cause::kCredentials},
      {"messenger", 190, 463, "190/463", "token", Cause::kCredentials},
      {"messenger", 10, 0, "10", "refused", Cause::kOther},
      {"messenger", 200, 0, "200", "refused", Cause::kOther},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.platform) + " " + c.error_code);
    SendResult r = Adapter(c.platform)->Interpret(400, GraphError(c.code, c.subcode), Headers());
    EXPECT_EQ(r.outcome, Outcome::kPermanent);
    EXPECT_EQ(r.error_code, c.error_code);
    EXPECT_NE(r.reason.find(c.reason_part), std::string::npos) << r.reason;
    EXPECT_EQ(r.cause, c.cause);
    EXPECT_EQ(r.platform_message_id, "");
  }
}

TEST(GraphInterpretTest, AClientErrorWithoutAGraphBodyIsPermanentWithTheHttpStatus) {
  SendResult r = Adapter("messenger")->Interpret(400, "Bad Request", Headers());
  EXPECT_EQ(r.outcome, Outcome::kPermanent);
  EXPECT_EQ(r.error_code, "400");
}

TEST(GraphInterpretTest, ACodeGivenAsAStringIsReadToo) {
  SendResult r =
      Adapter("whatsapp")
          ->Interpret(400, R"({"error":{"code":"131047","error_subcode":"2494010"}})", Headers());
  EXPECT_EQ(r.outcome, Outcome::kPermanent);
  EXPECT_EQ(r.error_code, "131047/2494010");
}

// ============================== X ==============================

AdapterOptions V11() {
  AdapterOptions o;
  o.x_send_api = "v1.1";
  return o;
}

TEST(XInterpretTest, AV2SuccessGivesTheDmEventId) {
  SendResult r =
      Adapter("x")->Interpret(201,
                              R"({"data":{"dm_conversation_id":"1400000000000000004-9876543210",)"
                              R"("dm_event_id":"1580705921830768647"}})",
                              Headers());
  EXPECT_EQ(r.outcome, Outcome::kSent);
  EXPECT_EQ(r.platform_message_id, "1580705921830768647");
}

TEST(XInterpretTest, AV11SuccessGivesTheEventId) {
  SendResult r =
      Adapter("x", V11())
          ->Interpret(
              200,
              R"({"event":{"type":"message_create","id":"1580705921830768648",)"
              R"("created_timestamp":"1718000000123","message_create":{"target":{"recipient_id":"9"}}}})",
              Headers());
  EXPECT_EQ(r.outcome, Outcome::kSent);
  EXPECT_EQ(r.platform_message_id, "1580705921830768648");
}

TEST(XInterpretTest, NoAnswerAndServerErrorsAreRetried) {
  for (int status : {0, 500, 503}) {
    SendResult r = Adapter("x")->Interpret(status, "", Headers());
    EXPECT_EQ(r.outcome, Outcome::kRetry) << status;
    EXPECT_FALSE(r.retry_after.has_value()) << status;
  }
}

TEST(XInterpretTest, ARateLimitIsRetriedAfterTheResetTime) {
  const long long reset = static_cast<long long>(std::time(nullptr)) + 120;
  SendResult r = Adapter("x")->Interpret(
      429, R"({"title":"Too Many Requests","type":"about:blank","status":429})",
      Headers({{"x-rate-limit-reset", std::to_string(reset)}, {"x-rate-limit-remaining", "0"}}));
  EXPECT_EQ(r.outcome, Outcome::kRetry);
  EXPECT_EQ(r.error_code, "429");
  ASSERT_TRUE(r.retry_after.has_value());
  EXPECT_GE(r.retry_after->count(), 115);
  EXPECT_LE(r.retry_after->count(), 120);
}

TEST(XInterpretTest, AV11RateLimitKeepsItsErrorCode) {
  SendResult r = Adapter("x", V11())
                     ->Interpret(429, R"({"errors":[{"code":88,"message":"Rate limit exceeded"}]})",
                                 Headers());
  EXPECT_EQ(r.outcome, Outcome::kRetry);
  EXPECT_EQ(r.error_code, "429/88");
}

TEST(XInterpretTest, AResetTimeInThePastOrUnreadableGivesNoRetryAfter) {
  for (const std::string& reset :
       std::vector<std::string>{std::to_string(static_cast<long long>(std::time(nullptr)) - 60),
                                std::string("soon"), std::string("12abc"), std::string("")}) {
    SendResult r = Adapter("x")->Interpret(429, "", Headers({{"x-rate-limit-reset", reset}}));
    EXPECT_EQ(r.outcome, Outcome::kRetry) << reset;
    EXPECT_FALSE(r.retry_after.has_value()) << reset;
  }
}

TEST(XInterpretTest, AnEmptyHeaderLookupDoesNotCrash) {
  SendResult r = Adapter("x")->Interpret(429, "", HeaderLookup());
  EXPECT_EQ(r.outcome, Outcome::kRetry);
}

TEST(XInterpretTest, AV11RefusalToMessageTheUserIsPermanentWithItsCode) {
  SendResult r =
      Adapter("x", V11())
          ->Interpret(
              403,
              R"({"errors":[{"code":349,"message":"You cannot send messages to this user."}]})",
              Headers());
  EXPECT_EQ(r.outcome, Outcome::kPermanent);
  EXPECT_EQ(r.error_code, "403/349");
  EXPECT_FALSE(r.reason.empty());
}

TEST(XInterpretTest, AV2ProblemAnswerIsPermanentWithTheHttpStatus) {
  SendResult r = Adapter("x")->Interpret(
      403,
      R"({"title":"Forbidden","detail":"You are not permitted to send a message to this user",)"
      R"("type":"https://api.x.com/2/problems/client-forbidden","status":403})",
      Headers());
  EXPECT_EQ(r.outcome, Outcome::kPermanent);
  EXPECT_EQ(r.error_code, "403");
}

TEST(XInterpretTest, BadCredentialsAndBadRequestsArePermanent) {
  SendResult unauthorized = Adapter("x")->Interpret(401, "", Headers());
  EXPECT_EQ(unauthorized.outcome, Outcome::kPermanent);
  EXPECT_NE(unauthorized.reason.find("credentials"), std::string::npos);
  EXPECT_EQ(unauthorized.cause, SendResult::Cause::kCredentials);
  SendResult bad =
      Adapter("x", V11())
          ->Interpret(
              400,
              R"({"errors":[{"code":214,"message":"event.message_create.target.recipient_id"}]})",
              Headers());
  EXPECT_EQ(bad.outcome, Outcome::kPermanent);
  EXPECT_EQ(bad.error_code, "400/214");
  EXPECT_EQ(bad.cause, SendResult::Cause::kOther);
}

// ============================== Meta subscription handshake ==============================

WebhookSecrets MetaSecrets() { return {"app-secret", "verify-me"}; }

TEST(MetaVerifySubscriptionTest, TheRightTokenIsAnsweredWithTheChallengeAsPlainText) {
  HttpAnswer a = meta::VerifySubscription(Query({{"hub.mode", "subscribe"},
                                                 {"hub.verify_token", "verify-me"},
                                                 {"hub.challenge", "1158201444"}}),
                                          MetaSecrets());
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.content_type, "text/plain");
  EXPECT_EQ(a.body, "1158201444");
}

TEST(MetaVerifySubscriptionTest, EveryMetaAdapterAnswersTheHandshakeTheSameWay) {
  auto q = Query(
      {{"hub.mode", "subscribe"}, {"hub.verify_token", "verify-me"}, {"hub.challenge", "42"}});
  for (const char* p : {"whatsapp", "messenger", "instagram"}) {
    HttpAnswer a = Adapter(p)->VerifySubscription(q, MetaSecrets());
    EXPECT_EQ(a.status, 200) << p;
    EXPECT_EQ(a.body, "42") << p;
  }
}

TEST(MetaVerifySubscriptionTest, AWrongTokenIsForbidden) {
  for (const char* token : {"verify-you", "", "verify-me ", "VERIFY-ME"}) {
    HttpAnswer a = meta::VerifySubscription(
        Query({{"hub.mode", "subscribe"}, {"hub.verify_token", token}, {"hub.challenge", "1"}}),
        MetaSecrets());
    EXPECT_EQ(a.status, 403) << token;
    EXPECT_NE(a.body, "1") << token;
  }
  HttpAnswer missing = meta::VerifySubscription(
      Query({{"hub.mode", "subscribe"}, {"hub.challenge", "1"}}), MetaSecrets());
  EXPECT_EQ(missing.status, 403);
}

TEST(MetaVerifySubscriptionTest, AWrongOrMissingModeIsForbidden) {
  for (const char* mode : {"unsubscribe", "Subscribe", ""}) {
    HttpAnswer a = meta::VerifySubscription(
        Query({{"hub.mode", mode}, {"hub.verify_token", "verify-me"}, {"hub.challenge", "1"}}),
        MetaSecrets());
    EXPECT_EQ(a.status, 403) << mode;
  }
  HttpAnswer missing = meta::VerifySubscription(
      Query({{"hub.verify_token", "verify-me"}, {"hub.challenge", "1"}}), MetaSecrets());
  EXPECT_EQ(missing.status, 403);
}

TEST(MetaVerifySubscriptionTest, AMissingChallengeIsForbidden) {
  HttpAnswer a = meta::VerifySubscription(
      Query({{"hub.mode", "subscribe"}, {"hub.verify_token", "verify-me"}}), MetaSecrets());
  EXPECT_EQ(a.status, 403);
}

TEST(MetaVerifySubscriptionTest, AnEmptyConfiguredTokenNeverMatches) {
  HttpAnswer a = meta::VerifySubscription(
      Query({{"hub.mode", "subscribe"}, {"hub.verify_token", ""}, {"hub.challenge", "1"}}),
      WebhookSecrets{"app-secret", ""});
  EXPECT_EQ(a.status, 403);
}

// ============================== Meta signature ==============================

const std::string kMetaBody = R"({"object":"page","entry":[]})";
// HMAC-SHA256("app-secret", kMetaBody), lower-case hex (Python hmac).
const std::string kMetaHex = "e6e9d7a842a48e17f43a34d6125d0d933e2aab92ee37f0993a4d493b50e3d438";

Status VerifyMeta(const std::string& header, const std::string& body = kMetaBody) {
  return meta::VerifySignature(Headers({{"X-Hub-Signature-256", header}}), body, MetaSecrets());
}

TEST(MetaVerifySignatureTest, TheRightSignatureIsAccepted) {
  Status s = VerifyMeta("sha256=" + kMetaHex);
  EXPECT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(meta::SignatureHeaderValue("app-secret", kMetaBody), "sha256=" + kMetaHex);
}

TEST(MetaVerifySignatureTest, TheHeaderNameIsMatchedWithoutRegardToCase) {
  Status s = meta::VerifySignature(Headers({{"x-hub-signature-256", "sha256=" + kMetaHex}}),
                                   kMetaBody, MetaSecrets());
  EXPECT_TRUE(s.ok()) << s.message();
}

TEST(MetaVerifySignatureTest, AMissingHeaderIsAnError) {
  Status s = meta::VerifySignature(Headers(), kMetaBody, MetaSecrets());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("missing"), std::string::npos) << s.message();
}

TEST(MetaVerifySignatureTest, TheLegacySha1HeaderAloneIsNotEnough) {
  Status s = meta::VerifySignature(Headers({{"X-Hub-Signature", "sha1=0123456789abcdef"}}),
                                   kMetaBody, MetaSecrets());
  EXPECT_FALSE(s.ok());
}

TEST(MetaVerifySignatureTest, ASignatureWithoutTheSha256PrefixIsAnError) {
  for (const std::string& header : std::vector<std::string>{
           kMetaHex, "sha1=" + kMetaHex, "SHA256=" + kMetaHex, " sha256=" + kMetaHex}) {
    Status s = VerifyMeta(header);
    ASSERT_FALSE(s.ok()) << header;
    EXPECT_NE(s.message().find("prefix"), std::string::npos) << s.message();
  }
}

// Meta sends lower-case hex. Upper-case digits encode the same MAC, and accepting them does not
// let anyone without the app secret through (the bytes are compared), so they are accepted.
TEST(MetaVerifySignatureTest, UpperCaseHexDigitsAreAccepted) {
  std::string upper = kMetaHex;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  Status s = VerifyMeta("sha256=" + upper);
  EXPECT_TRUE(s.ok()) << s.message();
}

TEST(MetaVerifySignatureTest, Base64InsteadOfHexIsAnError) {
  // The same MAC, base64 encoded (as X would send it).
  Status s = VerifyMeta("sha256=5unXqEKkjhf0OjTWEl0Nkz4qq5LuN/CZOk1JO1Dj1Dg=");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("hex"), std::string::npos) << s.message();
}

TEST(MetaVerifySignatureTest, MalformedHexIsAnError) {
  for (const std::string& header : std::vector<std::string>{
           "sha256=", "sha256=" + kMetaHex.substr(0, 63), "sha256=" + kMetaHex + "00",
           "sha256=" + kMetaHex + " ", "sha256=0x" + kMetaHex.substr(2)}) {
    EXPECT_FALSE(VerifyMeta(header).ok()) << header;
  }
}

TEST(MetaVerifySignatureTest, ABodyChangedByOneByteIsAMismatch) {
  std::string changed = kMetaBody;
  changed[changed.size() - 3] = '{';  // [] -> {]
  Status s = VerifyMeta("sha256=" + kMetaHex, changed);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("mismatch"), std::string::npos) << s.message();
  // And one byte more at the end.
  EXPECT_FALSE(VerifyMeta("sha256=" + kMetaHex, kMetaBody + "\n").ok());
}

TEST(MetaVerifySignatureTest, ASignatureUnderAnotherSecretIsAMismatch) {
  Status s = meta::VerifySignature(Headers({{"X-Hub-Signature-256", "sha256=" + kMetaHex}}),
                                   kMetaBody, WebhookSecrets{"other-secret", "verify-me"});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("mismatch"), std::string::npos) << s.message();
}

TEST(MetaVerifySignatureTest, NoConfiguredSecretRejectsEverything) {
  Status s = meta::VerifySignature(Headers({{"X-Hub-Signature-256", "sha256=" + kMetaHex}}),
                                   kMetaBody, WebhookSecrets{"", "verify-me"});
  EXPECT_FALSE(s.ok());
}

// ============================== X CRC and signature ==============================

WebhookSecrets XSecrets() { return {"consumer-secret", ""}; }

TEST(XVerifySubscriptionTest, TheCrcAnswerIsSha256AndTheBase64Hmac) {
  HttpAnswer a =
      Adapter("x")->VerifySubscription(Query({{"crc_token", "challenge-123"}}), XSecrets());
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.content_type, "application/json");
  auto body = nlohmann::json::parse(a.body, nullptr, false);
  ASSERT_TRUE(body.is_object()) << a.body;
  // HMAC-SHA256("consumer-secret", "challenge-123"), base64 (Python hmac).
  EXPECT_EQ(
      body,
      (nlohmann::json{{"response_token", "sha256=+JKD3xCx1so7H9dYGqEd8qLRIIR3uCpi/4gsvLxmFd4="}}));
}

TEST(XVerifySubscriptionTest, AMissingCrcTokenIsABadRequest) {
  EXPECT_EQ(Adapter("x")->VerifySubscription(Query({}), XSecrets()).status, 400);
  EXPECT_EQ(Adapter("x")->VerifySubscription(Query({{"crc_token", ""}}), XSecrets()).status, 400);
}

TEST(XVerifySubscriptionTest, NoConfiguredSecretGivesNoAnswerToken) {
  HttpAnswer a = Adapter("x")->VerifySubscription(Query({{"crc_token", "abc"}}), {"", ""});
  EXPECT_NE(a.status, 200);
  EXPECT_EQ(a.body.find("response_token"), std::string::npos);
}

const std::string kXBody = R"({"for_user_id":"1"})";
// HMAC-SHA256("consumer-secret", kXBody) in base64 and in hex (Python hmac).
const std::string kXBase64 = "Hlco0COzwYOsSzVcCoqAGpNZdK3BYQku/gWz9SSGVjA=";
const std::string kXHex = "1e5728d023b3c183ac4b355c0a8a801a935974adc161092efe05b3f524865630";

Status VerifyX(const std::string& header, const std::string& body = kXBody) {
  return Adapter("x")->VerifySignature(Headers({{"x-twitter-webhooks-signature", header}}), body,
                                       XSecrets());
}

TEST(XVerifySignatureTest, TheRightBase64SignatureIsAccepted) {
  Status s = VerifyX("sha256=" + kXBase64);
  EXPECT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(XSignatureHeaderValue("consumer-secret", kXBody), "sha256=" + kXBase64);
  // Header names are case-insensitive.
  Status upper = Adapter("x")->VerifySignature(
      Headers({{"X-Twitter-Webhooks-Signature", "sha256=" + kXBase64}}), kXBody, XSecrets());
  EXPECT_TRUE(upper.ok()) << upper.message();
}

TEST(XVerifySignatureTest, HexInsteadOfBase64IsAnError) {
  Status s = VerifyX("sha256=" + kXHex);
  EXPECT_FALSE(s.ok());
}

TEST(XVerifySignatureTest, AMissingSignatureIsAnError) {
  Status s = Adapter("x")->VerifySignature(Headers(), kXBody, XSecrets());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("missing"), std::string::npos) << s.message();
}

TEST(XVerifySignatureTest, AMetaStyleHeaderIsNotRead) {
  Status s = Adapter("x")->VerifySignature(Headers({{"X-Hub-Signature-256", "sha256=" + kXBase64}}),
                                           kXBody, XSecrets());
  EXPECT_FALSE(s.ok());
}

TEST(XVerifySignatureTest, WithoutPrefixOrWithBrokenBase64ItIsAnError) {
  for (const std::string& header :
       std::vector<std::string>{kXBase64, "sha256=" + kXBase64.substr(0, 43),
                                "sha256=" + kXBase64 + "=", "sha256=" + kXBase64 + " "}) {
    EXPECT_FALSE(VerifyX(header).ok()) << header;
  }
}

TEST(XVerifySignatureTest, ABodyChangedByOneByteIsAMismatch) {
  Status s = VerifyX("sha256=" + kXBase64, R"({"for_user_id":"2"})");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("mismatch"), std::string::npos) << s.message();
}

TEST(XVerifySignatureTest, NoConfiguredSecretRejectsEverything) {
  Status s = Adapter("x")->VerifySignature(
      Headers({{"x-twitter-webhooks-signature", "sha256=" + kXBase64}}), kXBody, {"", ""});
  EXPECT_FALSE(s.ok());
}

}  // namespace
}  // namespace wache::webhook
