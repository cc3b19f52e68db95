#include "webhook/meta/messaging_adapter.h"

#include "webhook/json_body.h"
#include "webhook/meta/meta_webhook.h"
#include "webhook/render_util.h"

namespace wache::webhook::meta {
namespace {

using nlohmann::json;

constexpr size_t kMaxQuickReplies = 13;     // platforms.md 2.6, 3.5
constexpr size_t kQuickReplyTitleMax = 20;  // longer titles are cut by the platform
constexpr size_t kPayloadMax = 1000;

// Attachment types a person can send that we cannot read.
std::string AttachmentKind(const json& message) {
  if (Member(message, "sticker_id")) return "sticker";  // the like button
  std::string kind;
  for (const json* a : ArrayField(message, "attachments")) {
    std::string type = StringField(*a, "type");
    const json* payload = Member(*a, "payload");
    // Until 2026-08-30 a sticker comes as an image with a sticker_id (platforms.md 2.4).
    if (type == "sticker" || (payload && Member(*payload, "sticker_id"))) return "sticker";
    if (kind.empty()) kind = type;
  }
  if (kind == "file") return "document";
  if (kind == "ig_reel" || kind == "reel" || kind == "post" || kind == "ig_post" ||
      kind == "fallback") {
    return "share";
  }
  return kind;
}

class MessagingAdapter final : public PlatformAdapter {
 public:
  MessagingAdapter(MessagingPlatform p, const AdapterOptions& o) : p_(std::move(p)), options_(o) {}

  const std::string& platform() const override { return p_.name; }

  HttpAnswer VerifySubscription(const QueryLookup& query,
                                const WebhookSecrets& secrets) const override {
    return meta::VerifySubscription(query, secrets);
  }

  Status VerifySignature(const HeaderLookup& headers, std::string_view raw_body,
                         const WebhookSecrets& secrets) const override {
    return meta::VerifySignature(headers, raw_body, secrets);
  }

  Result<ParsedDelivery> Parse(const json& body) const override {
    if (!body.is_object()) return Status::Error("body is not a JSON object");
    std::string object = StringField(body, "object");
    if (object != p_.object) {
      return Status::Error("object is '" + object + "', expected '" + p_.object + "'");
    }
    ParsedDelivery out;
    for (const json* entry : ArrayField(body, "entry")) {
      const std::string account = StringField(*entry, "id");
      for (const json* item : ArrayField(*entry, "messaging")) {
        out.events.push_back(ParseItem(*item, account));
      }
      // Threads another app holds under the handover protocol: read-only for us.
      for (const json* item : ArrayField(*entry, "standby")) {
        InboundEvent e = Base(*item, account);
        e.detail = "standby";
        out.events.push_back(std::move(e));
      }
      // Messenger: dashboard test deliveries. Instagram: comments and mentions.
      for (const json* change : ArrayField(*entry, "changes")) {
        InboundEvent e;
        e.platform = p_.name;
        e.account_ref = account;
        std::string field = StringField(*change, "field");
        if (p_.name == "instagram") {
          e.detail = (field == "comments" || field == "live_comments" || field == "mentions")
                         ? "comment"
                         : "other_field";
        } else {
          e.detail = "test_event";
        }
        out.events.push_back(std::move(e));
      }
    }
    return out;
  }

  std::vector<PlatformRequest> Render(const OutboundMessage& msg) const override {
    std::vector<PlatformRequest> out;
    const auto& buttons = msg.reply.buttons;
    bool quick = !buttons.empty() && buttons.size() <= kMaxQuickReplies;
    for (const auto& b : buttons) quick = quick && b.payload.size() <= kPayloadMax;
    std::string text = quick ? msg.reply.text : WithNumberedChoices(msg.reply);
    std::vector<std::string> parts = SplitText(text, p_.text_limit, p_.text_unit);
    for (size_t i = 0; i < parts.size(); ++i) {
      json message = {{"text", parts[i]}};
      if (quick && i + 1 == parts.size()) {
        json replies = json::array();
        for (const auto& b : buttons) {
          replies.push_back({{"content_type", "text"},
                             {"title", Truncate(b.label, kQuickReplyTitleMax)},
                             {"payload", b.payload}});
        }
        message["quick_replies"] = std::move(replies);
      }
      json body = {{"recipient", {{"id", msg.recipient}}},
                   {"messaging_type", "RESPONSE"},
                   {"message", std::move(message)}};
      if (msg.human_agent) {
        // A staff member's reply after the 24-hour window (platforms.md 2.8, 3.6).
        body["messaging_type"] = "MESSAGE_TAG";
        body["tag"] = "HUMAN_AGENT";
      }
      out.push_back({"POST", SendPath(msg.account_ref), body.dump(), "message"});
    }
    return out;
  }

  SendResult Interpret(int status, const std::string& body,
                       const HeaderLookup& headers) const override {
    return InterpretGraphAnswer(status, body,
                                [](const json& b) { return StringField(b, "message_id"); });
  }

 private:
  std::string SendPath(const std::string& account_ref) const {
    return "/" + options_.api_version + "/" + account_ref + "/messages";
  }

  InboundEvent Base(const json& item, const std::string& account) const {
    InboundEvent e;
    e.platform = p_.name;
    e.account_ref = account;
    if (const json* s = Member(item, "sender")) e.sender = StringField(*s, "id");
    if (auto ms = IntField(item, "timestamp"))
      e.time = bot::TimePoint(std::chrono::seconds(*ms / 1000));
    return e;
  }

  InboundEvent ParseItem(const json& item, const std::string& account) const {
    InboundEvent e = Base(item, account);
    e.kind = EventKind::kIgnored;
    if (const json* m = Member(item, "message")) {
      e.message_id = StringField(*m, "mid");
      // Order matters (platforms.md 3.3): echoes first, then taps, then text.
      if (BoolField(*m, "is_echo")) {
        e.detail = "echo";
      } else if (BoolField(*m, "is_deleted")) {
        e.detail = "deleted";
      } else if (BoolField(*m, "is_unsupported")) {
        e.kind = EventKind::kUnsupported;
        e.detail = "unsupported";
      } else {
        e.text = StringField(*m, "text");
        if (const json* qr = Member(*m, "quick_reply"))
          e.button_payload = StringField(*qr, "payload");
        if (!e.text.empty() || !e.button_payload.empty()) {
          e.kind = EventKind::kMessage;
        } else if (std::string kind = AttachmentKind(*m); !kind.empty()) {
          e.kind = EventKind::kUnsupported;
          e.detail = kind;
        } else {
          e.detail = "unknown_event";
        }
      }
      return e;
    }
    if (const json* pb = Member(item, "postback")) {
      e.kind = EventKind::kMessage;
      e.message_id = StringField(*pb, "mid");
      e.text = StringField(*pb, "title");
      e.button_payload = StringField(*pb, "payload");
      return e;
    }
    static const std::pair<const char*, const char*> kIgnoredKeys[] = {
        {"read", "read"},   {"delivery", "delivery"}, {"reaction", "reaction"},
        {"optin", "optin"}, {"referral", "referral"}, {"message_edit", "edit"},
    };
    for (const auto& [key, detail] : kIgnoredKeys) {
      if (Member(item, key)) {
        e.detail = detail;
        return e;
      }
    }
    e.detail = "unknown_event";
    return e;
  }

  MessagingPlatform p_;
  AdapterOptions options_;
};

}  // namespace

std::unique_ptr<PlatformAdapter> MakeMessagingAdapter(MessagingPlatform platform,
                                                      const AdapterOptions& options) {
  return std::make_unique<MessagingAdapter>(std::move(platform), options);
}

}  // namespace wache::webhook::meta
