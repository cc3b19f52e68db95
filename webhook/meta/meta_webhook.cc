#include "webhook/meta/meta_webhook.h"

#include <set>

#include "webhook/crypto.h"
#include "webhook/json_body.h"

namespace wache::webhook::meta {

HttpAnswer VerifySubscription(const QueryLookup& query, const WebhookSecrets& secrets) {
  std::string mode = query("hub.mode").value_or("");
  std::string token = query("hub.verify_token").value_or("");
  std::optional<std::string> challenge = query("hub.challenge");
  if (mode != "subscribe") {
    return {403, "text/plain", "Forbidden\n", "verification request without hub.mode=subscribe"};
  }
  if (!challenge)
    return {403, "text/plain", "Forbidden\n", "verification request without hub.challenge"};
  if (secrets.verify_token.empty() || !ConstantTimeEquals(token, secrets.verify_token)) {
    return {403, "text/plain", "Forbidden\n", "verify token does not match"};
  }
  return {200, "text/plain", *challenge, "subscription verified"};
}

std::string SignatureHeaderValue(std::string_view app_secret, std::string_view body) {
  return "sha256=" + HexEncode(HmacSha256(app_secret, body));
}

Status VerifySignature(const HeaderLookup& headers, std::string_view raw_body,
                       const WebhookSecrets& secrets) {
  if (secrets.signing_secret.empty()) return Status::Error("no app secret configured");
  std::string header = headers("X-Hub-Signature-256");
  if (header.empty()) return Status::Error("missing X-Hub-Signature-256");
  constexpr std::string_view kPrefix = "sha256=";
  if (header.rfind(kPrefix, 0) != 0) return Status::Error("signature without sha256= prefix");
  std::optional<std::string> given = HexDecode(std::string_view(header).substr(kPrefix.size()));
  if (!given || given->size() != 32) return Status::Error("signature is not 64 hex digits");
  if (!ConstantTimeEquals(*given, HmacSha256(secrets.signing_secret, raw_body))) {
    return Status::Error("signature mismatch");
  }
  return Status::Ok();
}

SendResult InterpretGraphAnswer(int status, const std::string& body,
                                std::string (*id_of_success)(const nlohmann::json& body)) {
  SendResult r;
  if (status == 0) {
    r.outcome = SendResult::Outcome::kRetry;
    r.reason = "no answer from the platform";
    return r;
  }
  auto parsed = ParseJsonBody(body);
  if (status >= 200 && status < 300) {
    r.outcome = SendResult::Outcome::kSent;
    if (parsed.ok()) r.platform_message_id = id_of_success(parsed.value());
    return r;
  }
  int64_t code = 0, subcode = 0;
  if (parsed.ok()) {
    if (const nlohmann::json* err = Member(parsed.value(), "error")) {
      code = IntField(*err, "code").value_or(0);
      subcode = IntField(*err, "error_subcode").value_or(0);
    }
  }
  r.error_code = code ? std::to_string(code) : std::to_string(status);
  if (subcode) r.error_code += "/" + std::to_string(subcode);

  // Rate limits and temporary trouble: back off and try again (platforms.md 1.11, 2.9).
  static const std::set<int64_t> kRetryCodes = {
      1,       // unknown error
      2,       // temporary / unexpected
      4,       // app call limit
      17,      // user call limit
      32,      // page call limit
      613,     // calls exceeded the rate limit
      80007,   // WABA rate limit
      130429,  // WhatsApp throughput limit
      131056,  // WhatsApp pair rate limit (same user, too fast)
      131000,  // WhatsApp "something went wrong"
  };
  if (kRetryCodes.count(code) || status == 429 || status >= 500) {
    r.outcome = SendResult::Outcome::kRetry;
    r.reason = "platform asked to slow down or failed temporarily";
    return r;
  }
  // Everything else will fail the same way again: window closed (131047, 10/2018278),
  // unreachable user (131026, 551), bad parameters (100), token (190), permissions.
  r.outcome = SendResult::Outcome::kPermanent;
  if (code == 131047 || (code == 10 && subcode == 2018278) || subcode == 2534022) {
    r.reason = "outside the 24-hour window";
    r.cause = SendResult::Cause::kWindowClosed;
  } else if (code == 131026 || code == 551) {
    r.reason = "recipient cannot be reached";
  } else if (code == 190) {
    r.reason = "access token invalid or expired";
    r.cause = SendResult::Cause::kCredentials;
  } else if (code == 100 || (code >= 131008 && code <= 131009)) {
    r.reason = "platform rejected the request as invalid";
  } else {
    r.reason = "platform refused the message";
  }
  return r;
}

}  // namespace wache::webhook::meta
