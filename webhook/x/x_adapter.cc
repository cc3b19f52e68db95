#include "webhook/x/x_adapter.h"

#include <algorithm>
#include <ctime>

#include "webhook/crypto.h"
#include "webhook/json_body.h"
#include "webhook/render_util.h"
#include "webhook/text_split.h"

namespace wache::webhook {
namespace {

using nlohmann::json;

// Limits from platforms.md 4.8 and 4.9.
constexpr size_t kTextMax = 10000;
constexpr size_t kMaxOptions = 20;
constexpr size_t kLabelMax = 36;
constexpr size_t kMetadataMax = 1000;

const std::string kPlatform = "x";

std::string Signature(std::string_view secret, std::string_view data) {
  return "sha256=" + Base64Encode(HmacSha256(secret, data));
}

// What an `*_events` array of a kind we do not answer is, for the counters.
std::string IgnoredKind(const std::string& key) {
  if (key == "direct_message_indicate_typing_events") return "typing";
  if (key == "direct_message_mark_read_events") return "read";
  static const char* kNotDm[] = {"tweet_create_events", "favorite_events", "follow_events",
                                 "unfollow_events",     "block_events",    "unblock_events",
                                 "mute_events",         "unmute_events",   "tweet_delete_events"};
  for (const char* k : kNotDm) {
    if (key == k) return "not_a_dm";
  }
  return "unknown_event";
}

// The media link X appends to the text of a DM with an attachment.
std::string StripMediaUrl(std::string text, const json& message_data) {
  const json* att = Member(message_data, "attachment");
  const json* media = att ? Member(*att, "media") : nullptr;
  if (!media) return text;
  std::string url = StringField(*media, "url");
  if (!url.empty()) {
    if (size_t at = text.find(url); at != std::string::npos) text.erase(at, url.size());
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.pop_back();
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n')) text.erase(0, 1);
  return text;
}

class XAdapter final : public PlatformAdapter {
 public:
  explicit XAdapter(const AdapterOptions& o) : options_(o) {}

  const std::string& platform() const override { return kPlatform; }

  // CRC: {"response_token":"sha256=<base64 HMAC-SHA256(consumer secret, crc_token)>"}.
  HttpAnswer VerifySubscription(const QueryLookup& query,
                                const WebhookSecrets& secrets) const override {
    std::optional<std::string> token = query("crc_token");
    if (!token || token->empty()) {
      return {400, "application/json", R"({"error":"crc_token missing"})", "CRC without crc_token"};
    }
    if (secrets.signing_secret.empty()) {
      return {403, "application/json", R"({"error":"not configured"})", "no consumer secret"};
    }
    json answer = {{"response_token", Signature(secrets.signing_secret, *token)}};
    return {200, "application/json", answer.dump(), "CRC answered"};
  }

  Status VerifySignature(const HeaderLookup& headers, std::string_view raw_body,
                         const WebhookSecrets& secrets) const override {
    if (secrets.signing_secret.empty()) return Status::Error("no consumer secret configured");
    std::string header = headers("x-twitter-webhooks-signature");
    if (header.empty()) return Status::Error("missing x-twitter-webhooks-signature");
    constexpr std::string_view kPrefix = "sha256=";
    if (header.rfind(kPrefix, 0) != 0) return Status::Error("signature without sha256= prefix");
    std::optional<std::string> given =
        Base64Decode(std::string_view(header).substr(kPrefix.size()));
    if (!given || given->size() != 32) return Status::Error("signature is not base64 of 32 bytes");
    if (!ConstantTimeEquals(*given, HmacSha256(secrets.signing_secret, raw_body))) {
      return Status::Error("signature mismatch");
    }
    return Status::Ok();
  }

  Result<ParsedDelivery> Parse(const json& body) const override {
    if (!body.is_object()) return Status::Error("body is not a JSON object");
    ParsedDelivery out;
    auto ignored = [&](const std::string& account, const std::string& detail) {
      InboundEvent e;
      e.platform = kPlatform;
      e.account_ref = account;
      e.detail = detail;
      out.events.push_back(std::move(e));
    };
    // The X Activity API wraps the same events: {"data":{"event_type","filter":{"user_id"},
    // "payload":{...}}} (platforms.md 4.0). Only dm.* events concern a DM gateway.
    const json* envelope = &body;
    std::string account = StringField(body, "for_user_id");
    if (const json* data = Member(body, "data"); data && Member(*data, "event_type")) {
      if (const json* filter = Member(*data, "filter")) account = StringField(*filter, "user_id");
      const json* payload = Member(*data, "payload");
      if (StringField(*data, "event_type").rfind("dm.", 0) != 0 || !payload ||
          !payload->is_object()) {
        ignored(account, "not_a_dm");
        return out;
      }
      envelope = payload;
      if (account.empty()) account = StringField(*envelope, "for_user_id");
    }

    bool any = false;
    for (const auto& [key, value] : envelope->items()) {
      if (key == "direct_message_events") {
        any = true;
        for (const json* ev : ArrayField(*envelope, "direct_message_events")) {
          out.events.push_back(ParseDm(*ev, account));
        }
        continue;
      }
      if (key == "user_event") {  // the user removed the app's access: operators must know
        any = true;
        std::string who = account;
        if (const json* revoke = Member(value, "revoke")) {
          if (const json* source = Member(*revoke, "source")) who = StringField(*source, "user_id");
        }
        ignored(who, "user_event");
        continue;
      }
      bool is_events = key.size() > 7 && key.compare(key.size() - 7, 7, "_events") == 0;
      if (!is_events) continue;  // users, apps, for_user_id, and fields added later
      any = true;
      size_t n = value.is_array() ? std::max<size_t>(value.size(), 1) : 1;
      for (size_t i = 0; i < n; ++i) ignored(account, IgnoredKind(key));
    }
    // Replay-job notices and anything else without events: acknowledged, never answered.
    if (!any) ignored(account, "unknown_event");
    return out;
  }

  std::vector<PlatformRequest> Render(const OutboundMessage& msg) const override {
    std::vector<PlatformRequest> out;
    const auto& buttons = msg.reply.buttons;
    bool quick = options_.x_send_api == "v1.1" && !buttons.empty() && buttons.size() <= kMaxOptions;
    for (const auto& b : buttons) quick = quick && b.payload.size() <= kMetadataMax;
    std::string text = quick ? msg.reply.text : WithNumberedChoices(msg.reply);
    std::vector<std::string> parts = SplitText(text, kTextMax, LengthUnit::kCharacters);
    for (size_t i = 0; i < parts.size(); ++i) {
      if (options_.x_send_api != "v1.1") {
        json body = {{"text", parts[i]}};
        out.push_back({"POST", "/2/dm_conversations/with/" + msg.recipient + "/messages",
                       body.dump(), "message"});
        continue;
      }
      json data = {{"text", parts[i]}};
      if (quick && i + 1 == parts.size()) {
        json options = json::array();
        for (const auto& b : buttons) {
          options.push_back({{"label", Truncate(b.label, kLabelMax)}, {"metadata", b.payload}});
        }
        data["quick_reply"] = {{"type", "options"}, {"options", std::move(options)}};
      }
      json body = {
          {"event",
           {{"type", "message_create"},
            {"message_create",
             {{"target", {{"recipient_id", msg.recipient}}}, {"message_data", std::move(data)}}}}}};
      out.push_back({"POST", "/1.1/direct_messages/events/new.json", body.dump(), "message"});
    }
    return out;
  }

  SendResult Interpret(int status, const std::string& body,
                       const HeaderLookup& headers) const override {
    SendResult r;
    auto parsed = ParseJsonBody(body);
    // x-rate-limit-reset is a Unix time in seconds (platforms.md 4.9).
    auto seconds_to_reset = [&]() -> std::optional<std::chrono::seconds> {
      std::string reset = headers ? headers("x-rate-limit-reset") : "";
      if (reset.empty()) return std::nullopt;
      char* end = nullptr;
      long long at = std::strtoll(reset.c_str(), &end, 10);
      long long now = static_cast<long long>(std::time(nullptr));
      if (!end || *end != '\0' || at <= now) return std::nullopt;
      return std::chrono::seconds(at - now);
    };
    if (status >= 200 && status < 300) {
      r.outcome = SendResult::Outcome::kSent;
      // The budget is read from the headers, not hard-coded: the limits change (4.9).
      if (headers && headers("x-rate-limit-remaining") == "0")
        r.budget_resets_in = seconds_to_reset();
      if (parsed.ok()) {
        if (const json* data = Member(parsed.value(), "data")) {
          r.platform_message_id = StringField(*data, "dm_event_id");
        } else if (const json* ev = Member(parsed.value(), "event")) {
          r.platform_message_id = StringField(*ev, "id");
        }
      }
      return r;
    }
    r.error_code = std::to_string(status);
    if (parsed.ok()) {
      auto errors = ArrayField(parsed.value(), "errors");  // v1.1: {"errors":[{"code":349}]}
      if (!errors.empty() && IntField(*errors.front(), "code")) {
        r.error_code += "/" + StringField(*errors.front(), "code");
      }
    }
    if (status == 0 || status == 429 || status >= 500) {
      r.outcome = SendResult::Outcome::kRetry;
      r.reason = status == 429 ? "rate limited" : "platform failed temporarily";
      r.retry_after = seconds_to_reset();
      return r;
    }
    r.outcome = SendResult::Outcome::kPermanent;
    r.reason = status == 403   ? "recipient does not accept messages from this account"
               : status == 401 ? "credentials rejected"
                               : "platform rejected the request as invalid";
    if (status == 401) r.cause = SendResult::Cause::kCredentials;
    return r;
  }

 private:
  InboundEvent ParseDm(const json& ev, const std::string& account) const {
    InboundEvent e;
    e.platform = kPlatform;
    e.account_ref = account;
    e.message_id = StringField(ev, "id");
    if (auto ms = IntField(ev, "created_timestamp"))
      e.time = bot::TimePoint(std::chrono::seconds(*ms / 1000));
    const json* mc = Member(ev, "message_create");
    if (StringField(ev, "type") != "message_create" || !mc) {
      e.detail = "unknown_event";
      return e;
    }
    e.sender = StringField(*mc, "sender_id");
    // Every DM the account sends comes back too; answering it would loop (platforms.md 4.5).
    if (e.sender == account) {
      e.detail = "own_message";
      return e;
    }
    const json* data = Member(*mc, "message_data");
    if (!data) {
      e.detail = "unknown_event";
      return e;
    }
    e.text = StripMediaUrl(StringField(*data, "text"), *data);
    if (const json* qr = Member(*data, "quick_reply_response")) {
      e.button_payload = StringField(*qr, "metadata");
    }
    if (!e.text.empty() || !e.button_payload.empty()) {
      e.kind = EventKind::kMessage;
      return e;
    }
    e.kind = EventKind::kUnsupported;
    e.detail = "unsupported";
    if (const json* att = Member(*data, "attachment")) {
      std::string type = StringField(*att, "type");
      if (type == "location") {
        e.detail = "location";
      } else if (const json* media = Member(*att, "media")) {
        std::string media_type = StringField(*media, "type");
        e.detail = media_type == "photo" || media_type.empty() ? "image" : "video";
      }
    }
    return e;
  }

  AdapterOptions options_;
};

}  // namespace

std::unique_ptr<PlatformAdapter> MakeXAdapter(const AdapterOptions& options) {
  return std::make_unique<XAdapter>(options);
}

std::string XSignatureHeaderValue(std::string_view consumer_secret, std::string_view body) {
  return Signature(consumer_secret, body);
}

}  // namespace wache::webhook
