#include "webhook/example_payloads.h"

#include <nlohmann/json.hpp>

#include "webhook/meta/meta_webhook.h"
#include "webhook/x/x_adapter.h"

namespace wache::webhook {

using nlohmann::json;

namespace {

json WhatsApp(const ExampleMessage& m) {
  json msg = {
      {"from", m.sender}, {"id", m.message_id}, {"timestamp", std::to_string(m.unix_seconds)}};
  if (!m.button_payload.empty()) {
    msg["type"] = "interactive";
    msg["interactive"] = {{"type", "button_reply"},
                          {"button_reply", {{"id", m.button_payload}, {"title", m.text}}}};
  } else if (m.image) {
    msg["type"] = "image";
    msg["image"] = {
        {"id", "media-" + m.message_id}, {"mime_type", "image/jpeg"}, {"sha256", "0000"}};
  } else {
    msg["type"] = "text";
    msg["text"] = {{"body", m.text}};
  }
  json value = {
      {"messaging_product", "whatsapp"},
      {"metadata", {{"display_phone_number", "4930000000"}, {"phone_number_id", m.account_ref}}},
      {"contacts", json::array({{{"profile", {{"name", "Test"}}}, {"wa_id", m.sender}}})},
      {"messages", json::array({msg})}};
  return {{"object", "whatsapp_business_account"},
          {"entry",
           json::array({{{"id", "900000000000000"},
                         {"changes", json::array({{{"field", "messages"}, {"value", value}}})}}})}};
}

json Messaging(const std::string& object, const ExampleMessage& m) {
  json message = {{"mid", m.message_id}};
  if (m.image) {
    message["attachments"] =
        json::array({{{"type", "image"}, {"payload", {{"url", "https://example.invalid/i.jpg"}}}}});
  } else {
    message["text"] = m.text;
  }
  if (!m.button_payload.empty()) message["quick_reply"] = {{"payload", m.button_payload}};
  json item = {{"sender", {{"id", m.sender}}},
               {"recipient", {{"id", m.account_ref}}},
               {"timestamp", m.unix_seconds * 1000},
               {"message", message}};
  return {{"object", object},
          {"entry", json::array({{{"id", m.account_ref},
                                  {"time", m.unix_seconds * 1000},
                                  {"messaging", json::array({item})}}})}};
}

json X(const ExampleMessage& m) {
  json data = {{"text", m.text},
               {"entities", {{"hashtags", json::array()}, {"urls", json::array()}}}};
  if (!m.button_payload.empty())
    data["quick_reply_response"] = {{"type", "options"}, {"metadata", m.button_payload}};
  if (m.image) {
    data["text"] = "https://t.co/abc123";
    data["attachment"] = {
        {"type", "media"},
        {"media", {{"type", "photo"}, {"url", "https://t.co/abc123"}, {"id", 1}}}};
  }
  json ev = {{"type", "message_create"},
             {"id", m.message_id},
             {"created_timestamp", std::to_string(m.unix_seconds * 1000)},
             {"message_create",
              {{"target", {{"recipient_id", m.account_ref}}},
               {"sender_id", m.sender},
               {"message_data", data}}}};
  return {{"for_user_id", m.account_ref},
          {"direct_message_events", json::array({ev})},
          {"users", {{m.sender, {{"id", m.sender}, {"name", "Test"}, {"screen_name", "test"}}}}}};
}

}  // namespace

std::string ExampleWebhookBody(const std::string& platform, const ExampleMessage& m) {
  if (platform == "whatsapp") return WhatsApp(m).dump();
  if (platform == "messenger") return Messaging("page", m).dump();
  if (platform == "instagram") return Messaging("instagram", m).dump();
  if (platform == "x") return X(m).dump();
  return "{}";
}

std::pair<std::string, std::string> SignatureHeader(const std::string& platform,
                                                    const std::string& secret,
                                                    const std::string& body) {
  if (platform == "x") return {"x-twitter-webhooks-signature", XSignatureHeaderValue(secret, body)};
  return {"X-Hub-Signature-256", meta::SignatureHeaderValue(secret, body)};
}

}  // namespace wache::webhook
