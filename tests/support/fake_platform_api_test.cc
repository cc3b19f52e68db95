#include "tests/support/fake_platform_api.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace wache::testing {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

constexpr char kWaNumber[] = "100000000000001";
constexpr char kWaToken[] = "wa-token";
constexpr char kPage[] = "200000000000002";
constexpr char kPageToken[] = "page-token";
constexpr char kIg[] = "17841400000000003";
constexpr char kIgToken[] = "ig-token";
constexpr char kXUser[] = "9000000000000000001";  // the bot; larger than kXPerson
constexpr char kXToken[] = "x-oauth2-token";
constexpr char kXPerson[] = "12345";
constexpr char kConsumerKey[] = "ck-xvz1evFS4wEEPTGEFPHBog";
constexpr char kConsumerSecret[] = "cs-kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw";
constexpr char kAccessToken[] = "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb";
constexpr char kTokenSecret[] = "ts-LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE";
constexpr char kX1Path[] = "/1.1/direct_messages/events/new.json";

std::string Repeat(const std::string& unit, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += unit;
  return out;
}

json WaText(const std::string& text) {
  return {{"messaging_product", "whatsapp"},
          {"recipient_type", "individual"},
          {"to", "4915112345678"},
          {"type", "text"},
          {"text", {{"body", text}, {"preview_url", false}}}};
}

json WaButtons(size_t n, const std::string& title_prefix = "Option ") {
  json buttons = json::array();
  for (size_t i = 0; i < n; ++i) {
    buttons.push_back(
        {{"type", "reply"},
         {"reply",
          {{"id", "b" + std::to_string(i)}, {"title", title_prefix + std::to_string(i)}}}});
  }
  return {{"messaging_product", "whatsapp"},
          {"to", "4915112345678"},
          {"type", "interactive"},
          {"interactive",
           {{"type", "button"},
            {"body", {{"text", "Worum geht es?"}}},
            {"action", {{"buttons", buttons}}}}}};
}

// A list with the given number of rows in each section.
json WaList(const std::vector<size_t>& rows_per_section) {
  json sections = json::array();
  size_t n = 0;
  for (size_t s = 0; s < rows_per_section.size(); ++s) {
    json rows = json::array();
    for (size_t r = 0; r < rows_per_section[s]; ++r, ++n) {
      rows.push_back({{"id", "row" + std::to_string(n)},
                      {"title", "Row " + std::to_string(n)},
                      {"description", "Beschreibung"}});
    }
    sections.push_back({{"title", "Section " + std::to_string(s)}, {"rows", rows}});
  }
  return {{"messaging_product", "whatsapp"},
          {"to", "4915112345678"},
          {"type", "interactive"},
          {"interactive",
           {{"type", "list"},
            {"header", {{"type", "text"}, {"text", "Polizei"}}},
            {"body", {{"text", "Bitte wählen"}}},
            {"footer", {{"text", "110 im Notfall"}}},
            {"action", {{"button", "Themen"}, {"sections", sections}}}}}};
}

json QuickReplies(size_t n, const std::string& title_prefix = "QR ") {
  json replies = json::array();
  for (size_t i = 0; i < n; ++i) {
    replies.push_back({{"content_type", "text"},
                       {"title", title_prefix + std::to_string(i)},
                       {"payload", "p" + std::to_string(i)}});
  }
  return replies;
}

json X1Body(const json& message_data, const std::string& recipient = kXPerson) {
  return {{"event",
           {{"type", "message_create"},
            {"message_create",
             {{"target", {{"recipient_id", recipient}}}, {"message_data", message_data}}}}}};
}

json X1Options(size_t n, const std::string& label_prefix = "Option ") {
  json options = json::array();
  for (size_t i = 0; i < n; ++i) {
    options.push_back({{"label", label_prefix + std::to_string(i)},
                       {"description", "Beschreibung"},
                       {"metadata", "topic_" + std::to_string(i)}});
  }
  return {{"type", "options"}, {"options", options}};
}

class FakePlatformApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_.AddWhatsAppNumber(kWaNumber, kWaToken);
    fake_.AddMessengerPage(kPage, kPageToken);
    fake_.AddInstagramAccount(kIg, kIgToken);
    fake_.AddXUser(kXUser, kXToken);
    fake_.AddXOAuth1User(kXUser, kConsumerKey, kConsumerSecret, kAccessToken, kTokenSecret);
    ASSERT_TRUE(fake_.Start());
    client_ = std::make_unique<httplib::Client>(fake_.base_url());
    client_->set_read_timeout(std::chrono::seconds(5));
  }

  // Posts JSON with `auth` as the Authorization header ("" for none).
  httplib::Result Post(const std::string& path, const json& body, const std::string& auth) {
    httplib::Headers headers;
    if (!auth.empty()) headers.emplace("Authorization", auth);
    return client_->Post(path, headers, body.dump(), "application/json");
  }

  httplib::Result PostWhatsApp(const json& body, const std::string& token = kWaToken) {
    return Post(std::string("/v23.0/") + kWaNumber + "/messages", body, "Bearer " + token);
  }
  httplib::Result PostMessenger(const json& body) {
    return Post(std::string("/v23.0/") + kPage + "/messages", body,
                std::string("Bearer ") + kPageToken);
  }
  httplib::Result PostInstagram(const json& body) {
    return Post(std::string("/v23.0/") + kIg + "/messages", body,
                std::string("Bearer ") + kIgToken);
  }
  httplib::Result PostX2(const json& body, const std::string& participant = kXPerson,
                         const std::string& token = kXToken) {
    return Post("/2/dm_conversations/with/" + participant + "/messages", body,
                token.empty() ? "" : "Bearer " + token);
  }
  std::string SignX1(int64_t timestamp = 0, const std::string& secret = kConsumerSecret) {
    static std::atomic<int> nonce{0};
    if (timestamp == 0) {
      timestamp = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    }
    return oauth1::AuthorizationHeader("POST", fake_.base_url() + kX1Path, kConsumerKey, secret,
                                       kAccessToken, kTokenSecret,
                                       "nonce" + std::to_string(++nonce), timestamp);
  }
  httplib::Result PostX1(const json& body) { return Post(kX1Path, body, SignX1()); }

  static json Body(const httplib::Result& r) {
    return json::parse(r->body, nullptr, /*allow_exceptions=*/false);
  }

  FakePlatformApi fake_;
  std::unique_ptr<httplib::Client> client_;
};

// Asserts a Graph error envelope with the given status and code.
void ExpectGraphError(const httplib::Result& r, int status, int code) {
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, status) << r->body;
  json body = json::parse(r->body, nullptr, false);
  ASSERT_TRUE(body.contains("error")) << r->body;
  EXPECT_EQ(body["error"]["code"], code) << r->body;
  EXPECT_TRUE(body["error"]["message"].is_string());
  EXPECT_TRUE(body["error"]["type"].is_string());
  EXPECT_TRUE(body["error"]["fbtrace_id"].is_string());
}

void ExpectWhatsAppInvalid(const httplib::Result& r) {
  ExpectGraphError(r, 400, 100);
  json body = json::parse(r->body, nullptr, false);
  EXPECT_EQ(body["error"]["type"], "OAuthException");
  EXPECT_EQ(body["error"]["error_data"]["messaging_product"], "whatsapp");
  EXPECT_TRUE(body["error"]["error_data"]["details"].is_string());
}

void ExpectX2Invalid(const httplib::Result& r) {
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400) << r->body;
  json body = json::parse(r->body, nullptr, false);
  EXPECT_EQ(body["type"], "https://api.x.com/2/problems/invalid-request") << r->body;
  EXPECT_TRUE(body["title"].is_string());
  EXPECT_TRUE(body["detail"].is_string());
}

void ExpectX1Error(const httplib::Result& r, int status, int code) {
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, status) << r->body;
  json body = json::parse(r->body, nullptr, false);
  ASSERT_TRUE(body["errors"].is_array()) << r->body;
  EXPECT_EQ(body["errors"][0]["code"], code) << r->body;
}

// ---------------------------------------------------------------------------------------------
// Lifecycle.

TEST_F(FakePlatformApiTest, ListensOnLoopbackAndStopsTwice) {
  EXPECT_GT(fake_.port(), 0);
  EXPECT_EQ(fake_.base_url(), "http://127.0.0.1:" + std::to_string(fake_.port()));
  fake_.Stop();
  fake_.Stop();
  EXPECT_FALSE(PostWhatsApp(WaText("hallo")));
}

TEST_F(FakePlatformApiTest, UnknownPathIs404AndRecorded) {
  auto r = Post("/v23.0/" + std::string(kWaNumber) + "/media", json::object(), "Bearer x");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  ASSERT_EQ(fake_.Requests().size(), 1u);
  EXPECT_EQ(fake_.Requests()[0].status, 404);
  EXPECT_TRUE(fake_.Accepted().empty());
}

// ---------------------------------------------------------------------------------------------
// WhatsApp.

TEST_F(FakePlatformApiTest, WhatsAppTextIsAcceptedAndRecorded) {
  json body = WaText("Hallo, hier ist die Polizei.");
  body["context"] = {{"message_id", "wamid.inbound1"}};
  auto r = PostWhatsApp(body);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  json answer = Body(r);
  EXPECT_EQ(answer["messaging_product"], "whatsapp");
  EXPECT_EQ(answer["contacts"][0]["input"], "4915112345678");
  EXPECT_EQ(answer["contacts"][0]["wa_id"], "4915112345678");
  const std::string wamid = answer["messages"][0]["id"];
  EXPECT_EQ(wamid.rfind("wamid.", 0), 0u);

  ASSERT_TRUE(fake_.WaitForAccepted(1, milliseconds(1000)));
  RecordedRequest rec = fake_.Accepted()[0];
  EXPECT_EQ(rec.platform, "whatsapp");
  EXPECT_EQ(rec.api, "graph");
  EXPECT_EQ(rec.account, kWaNumber);
  EXPECT_EQ(rec.recipient, "4915112345678");
  EXPECT_EQ(rec.kind, "text");
  EXPECT_EQ(rec.status, 200);
  EXPECT_EQ(rec.error, "");
  EXPECT_EQ(rec.platform_message_id, wamid);
  EXPECT_EQ(rec.body, body);
  EXPECT_EQ(rec.headers["authorization"], std::string("Bearer ") + kWaToken);
  EXPECT_EQ(rec.path, std::string("/v23.0/") + kWaNumber + "/messages");
}

TEST_F(FakePlatformApiTest, WhatsAppEveryKindIsAccepted) {
  json tmpl = {{"messaging_product", "whatsapp"},
               {"to", "+4915112345678"},
               {"type", "template"},
               {"template",
                {{"name", "followup"},
                 {"language", {{"code", "de"}}},
                 {"components",
                  {{{"type", "body"}, {"parameters", {{{"type", "text"}, {"text", "Max"}}}}}}}}}};
  json mark_read = {{"messaging_product", "whatsapp"},
                    {"status", "read"},
                    {"message_id", "wamid.inbound1"},
                    {"typing_indicator", {{"type", "text"}}}};
  for (const json& body : {WaButtons(3), WaList({5, 5}), tmpl, mark_read}) {
    auto r = PostWhatsApp(body);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << body.dump() << " -> " << r->body;
  }
  auto records = fake_.Accepted();
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].kind, "button");
  EXPECT_EQ(records[1].kind, "list");
  EXPECT_EQ(records[2].kind, "template");
  EXPECT_EQ(records[3].kind, "mark_read");
  EXPECT_EQ(records[3].platform_message_id, "");
  // The leading '+' is kept in "input" and dropped in "wa_id", as in Meta's example.
  auto r = PostWhatsApp(tmpl);
  EXPECT_EQ(Body(r)["contacts"][0]["input"], "+4915112345678");
  EXPECT_EQ(Body(r)["contacts"][0]["wa_id"], "4915112345678");
  // Mark-read answers {"success":true}.
  EXPECT_EQ(Body(PostWhatsApp(mark_read)), json({{"success", true}}));
}

TEST_F(FakePlatformApiTest, WhatsAppTextLimitsCountCharacters) {
  EXPECT_EQ(PostWhatsApp(WaText(Repeat("ä", 4096)))->status, 200);
  ExpectWhatsAppInvalid(PostWhatsApp(WaText(Repeat("a", 4097))));
  ExpectWhatsAppInvalid(PostWhatsApp(WaText("")));
  json no_type = WaText("type defaults to text");
  no_type.erase("type");
  EXPECT_EQ(PostWhatsApp(no_type)->status, 200);
}

TEST_F(FakePlatformApiTest, WhatsAppButtonLimits) {
  ExpectWhatsAppInvalid(PostWhatsApp(WaButtons(4)));
  ExpectWhatsAppInvalid(PostWhatsApp(WaButtons(0)));
  // 21 characters: rejected; 20 umlauts (40 bytes): accepted.
  ExpectWhatsAppInvalid(PostWhatsApp(WaButtons(1, Repeat("x", 20))));
  EXPECT_EQ(PostWhatsApp(WaButtons(1, Repeat("ä", 19)))->status, 200);
  json same_titles = WaButtons(2);
  same_titles["interactive"]["action"]["buttons"][1]["reply"]["title"] = "Option 0";
  ExpectWhatsAppInvalid(PostWhatsApp(same_titles));
  json same_ids = WaButtons(2);
  same_ids["interactive"]["action"]["buttons"][1]["reply"]["id"] = "b0";
  ExpectWhatsAppInvalid(PostWhatsApp(same_ids));
  json spaced_id = WaButtons(1);
  spaced_id["interactive"]["action"]["buttons"][0]["reply"]["id"] = " b0";
  ExpectWhatsAppInvalid(PostWhatsApp(spaced_id));
  json long_id = WaButtons(1);
  long_id["interactive"]["action"]["buttons"][0]["reply"]["id"] = Repeat("i", 257);
  ExpectWhatsAppInvalid(PostWhatsApp(long_id));
  json long_body = WaButtons(1);
  long_body["interactive"]["body"]["text"] = Repeat("b", 1025);
  ExpectWhatsAppInvalid(PostWhatsApp(long_body));
  json wrong_type = WaButtons(1);
  wrong_type["interactive"]["action"]["buttons"][0]["type"] = "url";
  ExpectWhatsAppInvalid(PostWhatsApp(wrong_type));
}

TEST_F(FakePlatformApiTest, WhatsAppListLimits) {
  EXPECT_EQ(PostWhatsApp(WaList({10}))->status, 200);
  // 11 rows in total, even when no section has more than 10.
  ExpectWhatsAppInvalid(PostWhatsApp(WaList({6, 5})));
  ExpectWhatsAppInvalid(PostWhatsApp(WaList({11})));
  ExpectWhatsAppInvalid(PostWhatsApp(WaList({})));
  json untitled = WaList({2, 2});
  untitled["interactive"]["action"]["sections"][1].erase("title");
  ExpectWhatsAppInvalid(PostWhatsApp(untitled));
  json single_untitled = WaList({2});
  single_untitled["interactive"]["action"]["sections"][0].erase("title");
  EXPECT_EQ(PostWhatsApp(single_untitled)->status, 200);
  json long_row_title = WaList({1});
  long_row_title["interactive"]["action"]["sections"][0]["rows"][0]["title"] = Repeat("r", 25);
  ExpectWhatsAppInvalid(PostWhatsApp(long_row_title));
  json long_description = WaList({1});
  long_description["interactive"]["action"]["sections"][0]["rows"][0]["description"] =
      Repeat("d", 73);
  ExpectWhatsAppInvalid(PostWhatsApp(long_description));
  json no_button = WaList({1});
  no_button["interactive"]["action"].erase("button");
  ExpectWhatsAppInvalid(PostWhatsApp(no_button));
  json long_button = WaList({1});
  long_button["interactive"]["action"]["button"] = Repeat("x", 21);
  ExpectWhatsAppInvalid(PostWhatsApp(long_button));
  json long_header = WaList({1});
  long_header["interactive"]["header"]["text"] = Repeat("h", 61);
  ExpectWhatsAppInvalid(PostWhatsApp(long_header));
  json long_footer = WaList({1});
  long_footer["interactive"]["footer"]["text"] = Repeat("f", 61);
  ExpectWhatsAppInvalid(PostWhatsApp(long_footer));
  json duplicate_rows = WaList({1, 1});
  duplicate_rows["interactive"]["action"]["sections"][1]["rows"][0]["id"] = "row0";
  ExpectWhatsAppInvalid(PostWhatsApp(duplicate_rows));
}

TEST_F(FakePlatformApiTest, WhatsAppRejectsMalformedEnvelopes) {
  json unknown_key = WaText("x");
  unknown_key["quick_replies"] = json::array();
  ExpectWhatsAppInvalid(PostWhatsApp(unknown_key));
  json wrong_product = WaText("x");
  wrong_product["messaging_product"] = "messenger";
  ExpectWhatsAppInvalid(PostWhatsApp(wrong_product));
  json no_product = WaText("x");
  no_product.erase("messaging_product");
  ExpectWhatsAppInvalid(PostWhatsApp(no_product));
  json bad_to = WaText("x");
  bad_to["to"] = "0151-123";
  ExpectWhatsAppInvalid(PostWhatsApp(bad_to));
  json mismatched = WaText("x");
  mismatched["type"] = "interactive";
  ExpectWhatsAppInvalid(PostWhatsApp(mismatched));
  json bad_read = {{"messaging_product", "whatsapp"}, {"status", "delivered"}, {"message_id", "w"}};
  ExpectWhatsAppInvalid(PostWhatsApp(bad_read));
  auto r = client_->Post(std::string("/v23.0/") + kWaNumber + "/messages",
                         {{"Authorization", std::string("Bearer ") + kWaToken}}, "not json",
                         "application/json");
  ExpectWhatsAppInvalid(r);
  auto records = fake_.Requests();
  ASSERT_FALSE(records.empty());
  EXPECT_NE(records[0].error, "");
  EXPECT_EQ(records[0].status, 400);
}

TEST_F(FakePlatformApiTest, WhatsAppAuthAndPathErrors) {
  ExpectGraphError(PostWhatsApp(WaText("x"), "wrong-token"), 401, 190);
  ExpectGraphError(Post(std::string("/v23.0/") + kWaNumber + "/messages", WaText("x"), ""), 400,
                   2500);
  // WhatsApp wants the header; a token in the query counts as no token.
  ExpectGraphError(Post(std::string("/v23.0/") + kWaNumber + "/messages?access_token=" + kWaToken,
                        WaText("x"), ""),
                   400, 2500);
  // A valid token for an id the fake does not know, or for another account.
  ExpectGraphError(Post("/v23.0/999/messages", WaText("x"), std::string("Bearer ") + kWaToken), 400,
                   100);
  ExpectGraphError(PostWhatsApp(WaText("x"), kPageToken), 400, 100);
  ExpectGraphError(Post(std::string("/23.0/") + kWaNumber + "/messages", WaText("x"),
                        std::string("Bearer ") + kWaToken),
                   400, 2500);
  EXPECT_TRUE(fake_.Accepted().empty());
  EXPECT_EQ(fake_.Requests().size(), 6u);
}

// ---------------------------------------------------------------------------------------------
// Messenger and Instagram.

json MessengerText(const std::string& text) {
  return {{"recipient", {{"id", "6000000000000001"}}},
          {"messaging_type", "RESPONSE"},
          {"message", {{"text", text}}}};
}

TEST_F(FakePlatformApiTest, MessengerTextAndQuickRepliesAreAccepted) {
  auto r = PostMessenger(MessengerText("Hallo"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(Body(r)["recipient_id"], "6000000000000001");
  const std::string mid = Body(r)["message_id"];
  EXPECT_EQ(mid.rfind("m_", 0), 0u);

  json qr = MessengerText("Worum geht es?");
  qr["message"]["quick_replies"] = QuickReplies(13);
  EXPECT_EQ(PostMessenger(qr)->status, 200);
  // Token as query parameter instead of header.
  r = Post(std::string("/v23.0/") + kPage + "/messages?access_token=" + kPageToken,
           MessengerText("Hallo"), "");
  EXPECT_EQ(r->status, 200) << r->body;
  // /me resolves to the token's Page.
  r = Post("/v23.0/me/messages", MessengerText("Hallo"), std::string("Bearer ") + kPageToken);
  EXPECT_EQ(r->status, 200) << r->body;
  json typing = {{"recipient", {{"id", "6000000000000001"}}}, {"sender_action", "typing_on"}};
  r = PostMessenger(typing);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_FALSE(Body(r).contains("message_id"));

  auto records = fake_.Accepted();
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records[0].platform, "messenger");
  EXPECT_EQ(records[0].account, kPage);
  EXPECT_EQ(records[0].recipient, "6000000000000001");
  EXPECT_EQ(records[0].kind, "text");
  EXPECT_EQ(records[0].platform_message_id, mid);
  EXPECT_EQ(records[1].kind, "quick_replies");
  EXPECT_EQ(records[3].account, kPage);
  EXPECT_EQ(records[4].kind, "sender_action");
}

TEST_F(FakePlatformApiTest, MessengerLimits) {
  json qr14 = MessengerText("x");
  qr14["message"]["quick_replies"] = QuickReplies(14);
  ExpectGraphError(PostMessenger(qr14), 400, 100);
  json long_title = MessengerText("x");
  long_title["message"]["quick_replies"] = QuickReplies(1, Repeat("t", 20));
  ExpectGraphError(PostMessenger(long_title), 400, 100);
  json no_payload = MessengerText("x");
  no_payload["message"]["quick_replies"] = QuickReplies(1);
  no_payload["message"]["quick_replies"][0].erase("payload");
  ExpectGraphError(PostMessenger(no_payload), 400, 100);
  json long_payload = MessengerText("x");
  long_payload["message"]["quick_replies"] = QuickReplies(1);
  long_payload["message"]["quick_replies"][0]["payload"] = Repeat("p", 1001);
  ExpectGraphError(PostMessenger(long_payload), 400, 100);
  EXPECT_EQ(PostMessenger(MessengerText(Repeat("ä", 2000)))->status, 200);
  ExpectGraphError(PostMessenger(MessengerText(Repeat("a", 2001))), 400, 100);
  ExpectGraphError(PostMessenger(MessengerText("")), 400, 100);
  json no_type = MessengerText("x");
  no_type.erase("messaging_type");
  ExpectGraphError(PostMessenger(no_type), 400, 100);
  json tag_missing = MessengerText("x");
  tag_missing["messaging_type"] = "MESSAGE_TAG";
  ExpectGraphError(PostMessenger(tag_missing), 400, 100);
  json tagged = tag_missing;
  tagged["tag"] = "HUMAN_AGENT";
  EXPECT_EQ(PostMessenger(tagged)->status, 200);
  json both = MessengerText("x");
  both["sender_action"] = "typing_on";
  ExpectGraphError(PostMessenger(both), 400, 100);
  json no_recipient = MessengerText("x");
  no_recipient.erase("recipient");
  ExpectGraphError(PostMessenger(no_recipient), 400, 100);
  ExpectGraphError(
      Post(std::string("/v23.0/") + kPage + "/messages", MessengerText("x"), "Bearer nope"), 401,
      190);
  // Messenger errors carry no WhatsApp error_data.
  auto r = PostMessenger(qr14);
  EXPECT_FALSE(Body(r)["error"].contains("error_data"));
}

TEST_F(FakePlatformApiTest, InstagramCountsBytes) {
  json body = {{"recipient", {{"id", "IGSID1"}}}, {"message", {{"text", Repeat("a", 1000)}}}};
  auto r = PostInstagram(body);  // messaging_type is optional on Instagram
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  body["message"]["text"] = Repeat("a", 1001);
  ExpectGraphError(PostInstagram(body), 400, 100);
  body["message"]["text"] = Repeat("ä", 500);  // 500 characters, 1000 bytes
  EXPECT_EQ(PostInstagram(body)->status, 200);
  body["message"]["text"] = Repeat("ä", 501);  // 501 characters, 1002 bytes
  ExpectGraphError(PostInstagram(body), 400, 100);
  body["message"]["text"] = "Hallo";
  body["messaging_type"] = "RESPONSE";
  body["message"]["quick_replies"] = QuickReplies(13);
  EXPECT_EQ(PostInstagram(body)->status, 200);
  body["message"]["quick_replies"] = QuickReplies(14);
  ExpectGraphError(PostInstagram(body), 400, 100);
  body["message"]["quick_replies"] = {{{"content_type", "user_email"}}};
  ExpectGraphError(PostInstagram(body), 400, 100);

  auto accepted = fake_.Accepted();
  ASSERT_EQ(accepted.size(), 3u);
  EXPECT_EQ(accepted[0].platform, "instagram");
  EXPECT_EQ(accepted[0].account, kIg);
  EXPECT_EQ(accepted[2].kind, "quick_replies");
}

// ---------------------------------------------------------------------------------------------
// X API v2.

TEST_F(FakePlatformApiTest, X2TextIsCreated) {
  auto r = PostX2({{"text", "Hallo"}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;  // the spec's success code for this path
  json data = Body(r)["data"];
  EXPECT_EQ(data["dm_conversation_id"], std::string(kXPerson) + "-" + kXUser);
  const std::string event_id = data["dm_event_id"];
  EXPECT_TRUE(std::all_of(event_id.begin(), event_id.end(), ::isdigit)) << event_id;
  EXPECT_TRUE(r->has_header("x-rate-limit-remaining"));

  auto second = PostX2({{"text", "Noch einmal"}});
  EXPECT_NE(Body(second)["data"]["dm_event_id"], event_id);
  auto records = fake_.Accepted();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].platform, "x");
  EXPECT_EQ(records[0].api, "x2");
  EXPECT_EQ(records[0].account, kXUser);
  EXPECT_EQ(records[0].recipient, kXPerson);
  EXPECT_EQ(records[0].kind, "text");
  EXPECT_EQ(records[0].platform_message_id, event_id);
}

TEST_F(FakePlatformApiTest, X2RejectsWhatTheSchemaForbids) {
  ExpectX2Invalid(PostX2({{"text", "x"}, {"quick_reply", {{"type", "options"}}}}));
  ExpectX2Invalid(PostX2({{"text", ""}}));
  ExpectX2Invalid(PostX2(json::object()));
  ExpectX2Invalid(PostX2({{"text", Repeat("a", 10001)}}));
  EXPECT_EQ(PostX2({{"text", Repeat("ä", 10000)}})->status, 201);
  ExpectX2Invalid(PostX2({{"text", "x"}}, "not-a-number"));
  ExpectX2Invalid(PostX2({{"attachments", {{{"media_id", "abc"}}}}}));
  EXPECT_EQ(PostX2({{"attachments", {{{"media_id", "1455952740635586573"}}}}})->status, 201);

  for (const std::string& token : {std::string("wrong"), std::string("")}) {
    auto r = PostX2({{"text", "x"}}, kXPerson, token);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401);
    EXPECT_EQ(Body(r)["title"], "Unauthorized");
  }
}

TEST_F(FakePlatformApiTest, X2AcceptsOAuth1UserContext) {
  const std::string path = std::string("/2/dm_conversations/with/") + kXPerson + "/messages";
  const std::string auth =
      oauth1::AuthorizationHeader("POST", fake_.base_url() + path, kConsumerKey, kConsumerSecret,
                                  kAccessToken, kTokenSecret, "x2nonce",
                                  std::chrono::duration_cast<std::chrono::seconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count());
  auto r = Post(path, {{"text", "Hallo"}}, auth);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201) << r->body;
}

// ---------------------------------------------------------------------------------------------
// X API v1.1 and OAuth 1.0a.

TEST(FakePlatformApiOAuth1Test, MatchesXDocumentationVector) {
  // The worked example of X's "Creating a signature" page (form body parameters signed).
  std::vector<std::pair<std::string, std::string>> params = {
      {"status", "Hello Ladies + Gentlemen, a signed OAuth request!"},
      {"include_entities", "true"},
      {"oauth_consumer_key", "xvz1evFS4wEEPTGEFPHBog"},
      {"oauth_nonce", "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"},
      {"oauth_signature_method", "HMAC-SHA1"},
      {"oauth_timestamp", "1318622958"},
      {"oauth_token", "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"},
      {"oauth_version", "1.0"}};
  const std::string base = oauth1::SignatureBaseString(
      "post", "https://api.twitter.com/1.1/statuses/update.json", params);
  EXPECT_EQ(base,
            "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%"
            "3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%"
            "3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%"
            "26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-"
            "GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%"
            "2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%"
            "2521");
  EXPECT_EQ(oauth1::Sign(base, "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
                         "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"),
            "hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
  // RFC 5849 section 1.2 request (its printed signature is a known erratum; this is the
  // value of the corrected example).
  const std::string rfc = oauth1::SignatureBaseString("GET", "http://photos.example.net/photos",
                                                      {{"file", "vacation.jpg"},
                                                       {"size", "original"},
                                                       {"oauth_consumer_key", "dpf43f3p2l4k3l03"},
                                                       {"oauth_token", "nnch734d00sl2jdk"},
                                                       {"oauth_signature_method", "HMAC-SHA1"},
                                                       {"oauth_timestamp", "137131202"},
                                                       {"oauth_nonce", "chapoH"}});
  EXPECT_EQ(oauth1::Sign(rfc, "kd94hf93k423kf44", "pfkkdhi9sl3r4s00"),
            "MdpQcU8iPSUjWoN/UDMsK2sui9I=");
  EXPECT_EQ(oauth1::PercentEncode("a b+ä~"), "a%20b%2B%C3%A4~");
}

TEST_F(FakePlatformApiTest, X1SignedQuickRepliesAreAccepted) {
  json body = X1Body({{"text", "Worum geht es?"}, {"quick_reply", X1Options(20)}});
  auto r = PostX1(body);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  json event = Body(r)["event"];
  EXPECT_EQ(event["type"], "message_create");
  const std::string id = event["id"];
  EXPECT_TRUE(std::all_of(id.begin(), id.end(), ::isdigit));
  EXPECT_TRUE(event["created_timestamp"].is_string());
  EXPECT_EQ(event["message_create"]["target"]["recipient_id"], kXPerson);
  EXPECT_EQ(event["message_create"]["sender_id"], kXUser);
  EXPECT_EQ(event["message_create"]["message_data"]["text"], "Worum geht es?");

  auto records = fake_.Accepted();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].platform, "x");
  EXPECT_EQ(records[0].api, "x1.1");
  EXPECT_EQ(records[0].account, kXUser);
  EXPECT_EQ(records[0].recipient, kXPerson);
  EXPECT_EQ(records[0].kind, "quick_replies");
  EXPECT_EQ(records[0].platform_message_id, id);
  EXPECT_EQ(PostX1(X1Body({{"text", "Nur Text"}}))->status, 200);
}

TEST_F(FakePlatformApiTest, X1QuickReplyLimits) {
  json label37 = X1Options(1);
  label37["options"][0]["label"] = Repeat("l", 37);
  ExpectX1Error(PostX1(X1Body({{"text", "x"}, {"quick_reply", label37}})), 400, 214);
  json label36 = X1Options(1);
  label36["options"][0]["label"] = Repeat("ü", 36);
  EXPECT_EQ(PostX1(X1Body({{"text", "x"}, {"quick_reply", label36}}))->status, 200);
  ExpectX1Error(PostX1(X1Body({{"text", "x"}, {"quick_reply", X1Options(21)}})), 400, 214);
  ExpectX1Error(PostX1(X1Body({{"text", "x"}, {"quick_reply", X1Options(0)}})), 400, 214);
  for (const char* url : {"Mehr auf https://polizei.de", "www.polizei.de", "polizei.de"}) {
    json with_url = X1Options(1);
    with_url["options"][0]["label"] = url;
    ExpectX1Error(PostX1(X1Body({{"text", "x"}, {"quick_reply", with_url}})), 400, 214);
  }
  json partial_description = X1Options(2);
  partial_description["options"][1].erase("description");
  ExpectX1Error(PostX1(X1Body({{"text", "x"}, {"quick_reply", partial_description}})), 400, 214);
  json no_descriptions = X1Options(2);
  for (auto& o : no_descriptions["options"]) o.erase("description");
  EXPECT_EQ(PostX1(X1Body({{"text", "x"}, {"quick_reply", no_descriptions}}))->status, 200);
  json long_description = X1Options(1);
  long_description["options"][0]["description"] = Repeat("d", 73);
  ExpectX1Error(PostX1(X1Body({{"text", "x"}, {"quick_reply", long_description}})), 400, 214);
  json long_metadata = X1Options(1);
  long_metadata["options"][0]["metadata"] = Repeat("m", 1001);
  ExpectX1Error(PostX1(X1Body({{"text", "x"}, {"quick_reply", long_metadata}})), 400, 214);
  ExpectX1Error(PostX1(X1Body({{"text", "x"}}, "@someone")), 400, 214);
  ExpectX1Error(PostX1(X1Body({{"text", ""}})), 400, 214);
  ExpectX1Error(PostX1(X1Body({{"text", Repeat("a", 10001)}})), 400, 214);
}

TEST_F(FakePlatformApiTest, X1RejectsBadOAuth) {
  const json body = X1Body({{"text", "x"}});
  // Signed with the wrong consumer secret.
  ExpectX1Error(Post(kX1Path, body, SignX1(0, "wrong-secret")), 401, 32);
  // A valid header with one character of the signature changed.
  std::string tampered = SignX1();
  size_t at = tampered.find("oauth_signature=\"") + 17;
  tampered[at] = tampered[at] == 'A' ? 'B' : 'A';
  ExpectX1Error(Post(kX1Path, body, tampered), 401, 32);
  // Signed for another URL (a query parameter the request does not carry).
  const std::string other_url =
      oauth1::AuthorizationHeader("POST", fake_.base_url() + kX1Path + "?x=1", kConsumerKey,
                                  kConsumerSecret, kAccessToken, kTokenSecret, "othernonce",
                                  std::chrono::duration_cast<std::chrono::seconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count());
  ExpectX1Error(Post(kX1Path, body, other_url), 401, 32);
  // A header that worked once is refused the second time (its nonce is used up).
  const std::string good = SignX1();
  EXPECT_EQ(Post(kX1Path, body, good)->status, 200);
  ExpectX1Error(Post(kX1Path, body, good), 401, 32);
  // Old timestamp, unknown token, no header, bearer instead of OAuth.
  ExpectX1Error(Post(kX1Path, body, SignX1(1318622958)), 401, 135);
  ExpectX1Error(
      Post(kX1Path, body,
           oauth1::AuthorizationHeader("POST", fake_.base_url() + kX1Path, kConsumerKey,
                                       kConsumerSecret, "unknown-token", kTokenSecret, "n", 0)),
      401, 89);
  ExpectX1Error(Post(kX1Path, body, ""), 400, 215);
  ExpectX1Error(Post(kX1Path, body, std::string("Bearer ") + kXToken), 401, 32);

  auto records = fake_.Requests();
  ASSERT_EQ(records.size(), 9u);
  EXPECT_NE(records[1].error.find("signature mismatch"), std::string::npos) << records[1].error;
  EXPECT_EQ(fake_.Accepted().size(), 1u);
}

TEST_F(FakePlatformApiTest, X1ClockSkewCheckCanBeTurnedOff) {
  fake_.set_oauth1_max_clock_skew(std::chrono::seconds(0));
  EXPECT_EQ(Post(kX1Path, X1Body({{"text", "x"}}), SignX1(1318622958))->status, 200);
}

// ---------------------------------------------------------------------------------------------
// Faults.

TEST_F(FakePlatformApiTest, FaultsComeBackInOrderThenServiceResumes) {
  fake_.InjectFaults("whatsapp",
                     {Fault::GraphError(400, 130429), Fault::ServerError(),
                      Fault::GraphError(400, 131047), Fault::Timeout(milliseconds(400))});
  // Invalid bodies too: faults are served before validation.
  auto r = PostWhatsApp(WaButtons(4));
  ExpectGraphError(r, 400, 130429);
  EXPECT_EQ(Body(r)["error"]["error_data"]["messaging_product"], "whatsapp");
  EXPECT_EQ(Body(r)["error"]["is_transient"], true);
  r = PostWhatsApp(WaText("x"));
  ExpectGraphError(r, 500, 2);
  r = PostWhatsApp(WaText("x"));
  ExpectGraphError(r, 400, 131047);

  client_->set_read_timeout(milliseconds(100));
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(PostWhatsApp(WaText("x")));  // no answer within the client's timeout
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(350));
  client_->set_read_timeout(std::chrono::seconds(5));
  // The slow answer is recorded at once, while the fake still waits.
  ASSERT_TRUE(fake_.WaitForRequests(4, milliseconds(1000)));
  EXPECT_EQ(fake_.Requests()[3].status, 504);

  r = PostWhatsApp(WaText("wieder da"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;

  auto records = fake_.Requests();
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records[0].status, 400);
  EXPECT_EQ(records[0].kind, "button");
  EXPECT_EQ(records[0].recipient, "4915112345678");
  EXPECT_NE(records[0].error.find("injected"), std::string::npos);
  EXPECT_EQ(records[1].status, 500);
  EXPECT_EQ(records[4].status, 200);
  EXPECT_EQ(fake_.Accepted().size(), 1u);
}

TEST_F(FakePlatformApiTest, FaultsArePerPlatform) {
  fake_.InjectFaults("messenger", {Fault::GraphError(400, 10, 2018278)});
  EXPECT_EQ(PostWhatsApp(WaText("x"))->status, 200);
  auto r = PostMessenger(MessengerText("x"));
  ExpectGraphError(r, 400, 10);
  EXPECT_EQ(Body(r)["error"]["error_subcode"], 2018278);
  EXPECT_FALSE(Body(r)["error"].contains("error_data"));
  EXPECT_EQ(PostMessenger(MessengerText("x"))->status, 200);
}

TEST_F(FakePlatformApiTest, XRateLimitFaultCarriesHeaders) {
  fake_.InjectFaults("x", {Fault::XRateLimited(1700000000), Fault::XRateLimited(1700000001),
                           Fault::ServerError()});
  auto r = PostX2({{"text", "x"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 429);
  EXPECT_EQ(r->get_header_value("x-rate-limit-reset"), "1700000000");
  EXPECT_EQ(r->get_header_value("x-rate-limit-remaining"), "0");
  EXPECT_TRUE(r->has_header("x-rate-limit-limit"));
  EXPECT_EQ(Body(r), json({{"title", "Too Many Requests"},
                           {"detail", "Too Many Requests"},
                           {"type", "about:blank"},
                           {"status", 429}}));
  // On v1.1 the same fault has v1.1's body (code 88).
  r = PostX1(X1Body({{"text", "x"}}));
  ExpectX1Error(r, 429, 88);
  EXPECT_EQ(r->get_header_value("x-rate-limit-reset"), "1700000001");
  r = PostX1(X1Body({{"text", "x"}}));
  ExpectX1Error(r, 500, 131);
  EXPECT_EQ(PostX2({{"text", "x"}})->status, 201);
  auto records = fake_.Requests();
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].account, kXUser);
  EXPECT_EQ(records[0].status, 429);
}

TEST_F(FakePlatformApiTest, StopCutsInjectedDelaysShort) {
  fake_.InjectFaults("whatsapp", {Fault::Timeout(std::chrono::seconds(30))});
  std::thread caller([&] {
    httplib::Client c(fake_.base_url());
    c.set_read_timeout(std::chrono::seconds(60));
    c.Post(std::string("/v23.0/") + kWaNumber + "/messages",
           {{"Authorization", std::string("Bearer ") + kWaToken}}, WaText("x").dump(),
           "application/json");
  });
  ASSERT_TRUE(fake_.WaitForRequests(1, milliseconds(2000)));
  auto start = std::chrono::steady_clock::now();
  fake_.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  caller.join();
}

// ---------------------------------------------------------------------------------------------
// Recording under concurrency.

TEST_F(FakePlatformApiTest, ConcurrentSendsAreAllRecordedWithUniqueIds) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 10;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      httplib::Client c(fake_.base_url());
      for (int i = 0; i < kPerThread; ++i) {
        const std::string text = "t" + std::to_string(t) + "-" + std::to_string(i);
        if (t % 2 == 0) {
          c.Post(std::string("/v23.0/") + kWaNumber + "/messages",
                 {{"Authorization", std::string("Bearer ") + kWaToken}}, WaText(text).dump(),
                 "application/json");
        } else {
          c.Post(std::string("/2/dm_conversations/with/") + kXPerson + "/messages",
                 {{"Authorization", std::string("Bearer ") + kXToken}},
                 json({{"text", text}}).dump(), "application/json");
        }
      }
    });
  }
  EXPECT_TRUE(fake_.WaitForAccepted(kThreads * kPerThread, milliseconds(10000)));
  for (auto& t : threads) t.join();
  std::set<std::string> ids;
  for (const auto& r : fake_.Accepted()) ids.insert(r.platform_message_id);
  EXPECT_EQ(ids.size(), static_cast<size_t>(kThreads * kPerThread));
  EXPECT_FALSE(fake_.WaitForAccepted(kThreads * kPerThread + 1, milliseconds(50)));
  fake_.Clear();
  EXPECT_TRUE(fake_.Requests().empty());
}

}  // namespace
}  // namespace wache::testing
