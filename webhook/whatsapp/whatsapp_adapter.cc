#include "webhook/whatsapp/whatsapp_adapter.h"

#include <set>

#include "webhook/json_body.h"
#include "webhook/meta/meta_webhook.h"
#include "webhook/render_util.h"
#include "webhook/text_split.h"

namespace wache::webhook {
namespace {

using nlohmann::json;

// Limits from platforms.md 1.7 and 1.8.
constexpr size_t kTextMax = 4096;
constexpr size_t kInteractiveBodyMax = 1024;
constexpr size_t kMaxReplyButtons = 3;
constexpr size_t kButtonTitleMax = 20;
constexpr size_t kButtonIdMax = 256;
constexpr size_t kMaxListRows = 10;
constexpr size_t kRowTitleMax = 24;
constexpr size_t kRowIdMax = 200;
constexpr size_t kListButtonMax = 20;

const std::string kPlatform = "whatsapp";

class WhatsAppAdapter final : public PlatformAdapter {
 public:
  explicit WhatsAppAdapter(const AdapterOptions& o) : options_(o) {}

  const std::string& platform() const override { return kPlatform; }

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
    if (object != "whatsapp_business_account") {
      return Status::Error("object is '" + object + "', expected 'whatsapp_business_account'");
    }
    ParsedDelivery out;
    for (const json* entry : ArrayField(body, "entry")) {
      for (const json* change : ArrayField(*entry, "changes")) {
        const std::string field = StringField(*change, "field");
        const json* value = Member(*change, "value");
        std::string account;
        if (value) {
          if (const json* md = Member(*value, "metadata"))
            account = StringField(*md, "phone_number_id");
        }
        if (field != "messages" || !value) {
          InboundEvent e;
          e.platform = kPlatform;
          e.account_ref = account;
          // Messages typed in the WhatsApp Business app on a coexistence number.
          e.detail = field == "smb_message_echoes" ? "echo" : "other_field";
          out.events.push_back(std::move(e));
          continue;
        }
        for (const json* m : ArrayField(*value, "messages")) {
          out.events.push_back(ParseMessage(*m, account));
        }
        for (const json* s : ArrayField(*value, "statuses")) {
          InboundEvent e;
          e.kind = EventKind::kStatus;
          e.platform = kPlatform;
          e.account_ref = account;
          e.message_id = StringField(*s, "id");
          e.detail = StringField(*s, "status");
          if (auto t = IntField(*s, "timestamp")) e.time = bot::TimePoint(std::chrono::seconds(*t));
          auto errors = ArrayField(*s, "errors");
          if (!errors.empty()) e.error_code = StringField(*errors.front(), "code");
          out.events.push_back(std::move(e));
        }
      }
    }
    return out;
  }

  std::vector<PlatformRequest> Render(const OutboundMessage& msg) const override {
    std::vector<PlatformRequest> out;
    if (!msg.window_template.name.empty()) {
      // Outside the 24-hour window only an approved template may go out (1.9). The
      // template is fixed text approved by Meta: no parameters.
      json body = Envelope(msg);
      body["type"] = "template";
      body["template"] = {{"name", msg.window_template.name},
                          {"language", {{"code", msg.window_template.language}}}};
      out.push_back({"POST", SendPath(msg.account_ref), body.dump(), "message"});
      return out;
    }
    const auto& buttons = msg.reply.buttons;
    auto ids_fit = [&](size_t max) {
      for (const auto& b : buttons) {
        if (b.payload.empty() || b.payload.size() > max) return false;
      }
      return true;
    };
    bool use_buttons =
        !buttons.empty() && buttons.size() <= kMaxReplyButtons && ids_fit(kButtonIdMax);
    std::set<std::string> titles;
    for (const auto& b : buttons) {
      // Titles must be unique and at most 20 characters (platforms.md 1.7).
      use_buttons = use_buttons && !b.label.empty() && titles.insert(b.label).second &&
                    TextLength(b.label, LengthUnit::kCharacters) <= kButtonTitleMax;
    }
    bool use_list =
        !use_buttons && !buttons.empty() && buttons.size() <= kMaxListRows && ids_fit(kRowIdMax);
    if (!use_buttons && !use_list) {
      for (const auto& part :
           SplitText(WithNumberedChoices(msg.reply), kTextMax, LengthUnit::kCharacters)) {
        out.push_back(Text(msg, part));
      }
      return out;
    }
    // The interactive body holds 1024 characters; longer text goes first as plain messages
    // of up to 4096, so that as few messages as possible go out (the pair rate limit
    // allows about one message per 6 s to the same person).
    std::vector<std::string> parts = SplitText(msg.reply.text, kTextMax, LengthUnit::kCharacters);
    if (TextLength(parts.back(), LengthUnit::kCharacters) > kInteractiveBodyMax) {
      std::vector<std::string> tail =
          SplitText(parts.back(), kInteractiveBodyMax, LengthUnit::kCharacters);
      parts.pop_back();
      parts.insert(parts.end(), tail.begin(), tail.end());
    }
    for (size_t i = 0; i + 1 < parts.size(); ++i) out.push_back(Text(msg, parts[i]));
    json interactive;
    if (use_buttons) {
      json list = json::array();
      for (const auto& b : buttons) {
        list.push_back({{"type", "reply"}, {"reply", {{"id", b.payload}, {"title", b.label}}}});
      }
      interactive = {{"type", "button"},
                     {"body", {{"text", parts.back()}}},
                     {"action", {{"buttons", std::move(list)}}}};
    } else {
      json rows = json::array();
      for (const auto& b : buttons) {
        rows.push_back({{"id", b.payload}, {"title", Truncate(b.label, kRowTitleMax)}});
      }
      std::string menu = msg.menu_label.empty() ? "Menu" : msg.menu_label;
      interactive = {{"type", "list"},
                     {"body", {{"text", parts.back()}}},
                     {"action",
                      {{"button", Truncate(menu, kListButtonMax)},
                       {"sections", json::array({{{"rows", std::move(rows)}}})}}}};
    }
    json body = Envelope(msg);
    body["type"] = "interactive";
    body["interactive"] = std::move(interactive);
    out.push_back({"POST", SendPath(msg.account_ref), body.dump(), "message"});
    return out;
  }

  std::optional<PlatformRequest> MarkRead(const std::string& account_ref,
                                          const std::string& message_id) const override {
    if (!options_.mark_read || message_id.empty()) return std::nullopt;
    json body = {{"messaging_product", "whatsapp"}, {"status", "read"}, {"message_id", message_id}};
    return PlatformRequest{"POST", SendPath(account_ref), body.dump(), "mark_read"};
  }

  SendResult Interpret(int status, const std::string& body,
                       const HeaderLookup& headers) const override {
    return meta::InterpretGraphAnswer(status, body, [](const json& b) {
      auto messages = ArrayField(b, "messages");
      return messages.empty() ? std::string() : StringField(*messages.front(), "id");
    });
  }

 private:
  std::string SendPath(const std::string& phone_number_id) const {
    return "/" + options_.api_version + "/" + phone_number_id + "/messages";
  }

  static json Envelope(const OutboundMessage& msg) {
    return {
        {"messaging_product", "whatsapp"}, {"recipient_type", "individual"}, {"to", msg.recipient}};
  }

  PlatformRequest Text(const OutboundMessage& msg, const std::string& text) const {
    json body = Envelope(msg);
    body["type"] = "text";
    // Links to the online police station are the point of many replies: show their preview.
    body["text"] = {{"body", text}, {"preview_url", text.find("https://") != std::string::npos}};
    return {"POST", SendPath(msg.account_ref), body.dump(), "message"};
  }

  static InboundEvent ParseMessage(const json& m, const std::string& account) {
    InboundEvent e;
    e.platform = kPlatform;
    e.account_ref = account;
    e.sender = StringField(m, "from");
    e.message_id = StringField(m, "id");
    if (auto t = IntField(m, "timestamp")) e.time = bot::TimePoint(std::chrono::seconds(*t));
    const std::string type = StringField(m, "type");
    e.kind = EventKind::kMessage;
    if (type == "text") {
      if (const json* t = Member(m, "text")) e.text = StringField(*t, "body");
    } else if (type == "interactive") {
      const json* i = Member(m, "interactive");
      const json* reply = nullptr;
      if (i) {
        reply = Member(*i, "button_reply");
        if (!reply) reply = Member(*i, "list_reply");
      }
      if (reply) {
        e.button_payload = StringField(*reply, "id");
        e.text = StringField(*reply, "title");
      } else {
        e.kind = EventKind::kIgnored;  // e.g. flow (nfm) replies: we never send flows
        e.detail = "unknown_event";
      }
    } else if (type == "button") {  // a tap on a template's quick-reply button
      if (const json* b = Member(m, "button")) {
        e.button_payload = StringField(*b, "payload");
        e.text = StringField(*b, "text");
      }
    } else if (type == "image" || type == "video" || type == "document" || type == "audio" ||
               type == "sticker") {
      // A caption is text the person wrote: "he hit me" under a photo must reach the engine.
      if (const json* media = Member(m, type.c_str())) e.text = StringField(*media, "caption");
      if (e.text.empty()) {
        e.kind = EventKind::kUnsupported;
        e.detail = type;
      }
    } else if (type == "location" || type == "contacts" || type == "unsupported") {
      e.kind = EventKind::kUnsupported;
      e.detail = type;
    } else {
      e.kind = EventKind::kIgnored;
      if (type == "reaction" || type == "system" || type == "edit" || type == "revoke") {
        e.detail = type;
      } else {
        e.detail = "unknown_event";  // order, request_welcome, and kinds added later
      }
    }
    if (e.kind == EventKind::kMessage && e.text.empty() && e.button_payload.empty()) {
      e.kind = EventKind::kIgnored;
      e.detail = "empty";
    }
    return e;
  }

  AdapterOptions options_;
};

}  // namespace

std::unique_ptr<PlatformAdapter> MakeWhatsAppAdapter(const AdapterOptions& options) {
  return std::make_unique<WhatsAppAdapter>(options);
}

}  // namespace wache::webhook
