// PlatformAdapter::Render and MarkRead for the four platforms: which shape a reply takes
// (reply buttons, list, quick replies, numbered text), the limits of platforms.md 1.7-1.8,
// 2.6-2.7, 3.5, 4.7-4.9, and long texts split on word boundaries. Bodies are parsed back with
// nlohmann::json and checked field by field.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "webhook/platform_adapter.h"
#include "webhook/text_split.h"

namespace wache::webhook {
namespace {

using nlohmann::json;

constexpr char kPhoneNumberId[] = "100000000000001";
constexpr char kPageId[] = "200000000000002";
constexpr char kInstagramId[] = "17841400000000003";
constexpr char kXUserId[] = "1400000000000000004";

bool IsValidUtf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0 && c >= 0xC2) {
      n = 1;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
    } else if ((c & 0xF8) == 0xF0 && c <= 0xF4) {
      n = 3;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (size_t k = 1; k <= n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n + 1;
  }
  return true;
}

std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

size_t Chars(const std::string& s) { return TextLength(s, LengthUnit::kCharacters); }

// "wort0 wort1 ..." up to at least `chars` characters, cut back to exactly `chars`
// at a word end where possible.
std::string LongText(size_t chars, const std::string& stem = "wort") {
  std::string text;
  for (int i = 0; Chars(text) < chars; ++i) text += stem + std::to_string(i) + " ";
  auto pop_char = [&] {
    while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) {
      text.pop_back();
    }
    if (!text.empty()) text.pop_back();
  };
  while (Chars(text) > chars) pop_char();
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

std::vector<bot::Button> Buttons(size_t n, const std::string& label_stem = "Wahl ") {
  std::vector<bot::Button> out;
  for (size_t i = 1; i <= n; ++i) {
    out.push_back({"w1|flow|frage|c" + std::to_string(i), label_stem + std::to_string(i),
                   "label.c" + std::to_string(i)});
  }
  return out;
}

OutboundMessage Message(const std::string& platform, const std::string& account_ref,
                        const std::string& recipient, const std::string& text,
                        std::vector<bot::Button> buttons = {}) {
  OutboundMessage m;
  m.platform = platform;
  m.account_id = "demo-" + platform;
  m.account_ref = account_ref;
  m.recipient = recipient;
  m.reply_to = "in-1";
  m.reply.text = text;
  m.reply.language = "de";
  m.reply.buttons = std::move(buttons);
  m.menu_label = "Auswahl";
  return m;
}

OutboundMessage WhatsApp(const std::string& text, std::vector<bot::Button> buttons = {}) {
  return Message("whatsapp", kPhoneNumberId, "4915112345678", text, std::move(buttons));
}
OutboundMessage Messenger(const std::string& text, std::vector<bot::Button> buttons = {}) {
  return Message("messenger", kPageId, "6000000000000001", text, std::move(buttons));
}
OutboundMessage Instagram(const std::string& text, std::vector<bot::Button> buttons = {}) {
  return Message("instagram", kInstagramId, "7000000000000001", text, std::move(buttons));
}
OutboundMessage X(const std::string& text, std::vector<bot::Button> buttons = {}) {
  return Message("x", kXUserId, "9876543210", text, std::move(buttons));
}

std::unique_ptr<PlatformAdapter> Adapter(const std::string& platform, AdapterOptions o = {}) {
  auto a = MakeAdapter(platform, o);
  EXPECT_TRUE(a) << platform;
  return a;
}

json Body(const PlatformRequest& r) {
  json j = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(j.is_discarded()) << r.body;
  return j;
}

std::string NumberedChoices(const std::string& text, const std::vector<bot::Button>& buttons) {
  std::string out = text + "\n";
  for (size_t i = 0; i < buttons.size(); ++i) {
    out += "\n" + std::to_string(i + 1) + ". " + buttons[i].label;
  }
  return out;
}

// ============================== WhatsApp ==============================

const std::string kWaPath = std::string("/v23.0/") + kPhoneNumberId + "/messages";

void ExpectWhatsAppEnvelope(const json& b) {
  EXPECT_EQ(b["messaging_product"], "whatsapp");
  EXPECT_EQ(b["recipient_type"], "individual");
  EXPECT_EQ(b["to"], "4915112345678");
}

TEST(WhatsAppRenderTest, PlainTextIsOneTextMessage) {
  auto reqs = Adapter("whatsapp")->Render(WhatsApp("Guten Tag! Wie können wir helfen?"));
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "POST");
  EXPECT_EQ(reqs[0].path, kWaPath);
  EXPECT_EQ(reqs[0].purpose, "message");
  json b = Body(reqs[0]);
  ExpectWhatsAppEnvelope(b);
  EXPECT_EQ(b["type"], "text");
  EXPECT_EQ(b["text"]["body"], "Guten Tag! Wie können wir helfen?");
  EXPECT_EQ(b["text"]["preview_url"], false);
}

TEST(WhatsAppRenderTest, OneToThreeShortChoicesBecomeOneReplyButtonMessage) {
  for (size_t n = 1; n <= 3; ++n) {
    SCOPED_TRACE(n);
    auto buttons = Buttons(n, "Wahl Nummer ");
    auto reqs = Adapter("whatsapp")->Render(WhatsApp("Worum geht es?", buttons));
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(reqs[0].path, kWaPath);
    json b = Body(reqs[0]);
    ExpectWhatsAppEnvelope(b);
    EXPECT_EQ(b["type"], "interactive");
    const json& i = b["interactive"];
    EXPECT_EQ(i["type"], "button");
    EXPECT_EQ(i["body"]["text"], "Worum geht es?");
    const json& list = i["action"]["buttons"];
    ASSERT_EQ(list.size(), n);
    for (size_t k = 0; k < n; ++k) {
      EXPECT_EQ(list[k]["type"], "reply");
      EXPECT_EQ(list[k]["reply"]["id"], buttons[k].payload);
      EXPECT_EQ(list[k]["reply"]["title"], buttons[k].label);
    }
  }
}

TEST(WhatsAppRenderTest, ALabelOfExactlyTwentyCharactersStillFitsAReplyButton) {
  auto buttons = Buttons(2);
  buttons[1].label = "Online-Anzeige jetzt";  // 20 characters
  ASSERT_EQ(Chars(buttons[1].label), 20u);
  json b = Body(Adapter("whatsapp")->Render(WhatsApp("Worum geht es?", buttons)).at(0));
  EXPECT_EQ(b["interactive"]["type"], "button");
  EXPECT_EQ(b["interactive"]["action"]["buttons"][1]["reply"]["title"], "Online-Anzeige jetzt");
}

TEST(WhatsAppRenderTest, FourChoicesBecomeAListWithTheMenuLabel) {
  auto buttons = Buttons(4);
  auto reqs = Adapter("whatsapp")->Render(WhatsApp("Bitte wählen Sie ein Thema.", buttons));
  ASSERT_EQ(reqs.size(), 1u);
  json b = Body(reqs[0]);
  ExpectWhatsAppEnvelope(b);
  EXPECT_EQ(b["type"], "interactive");
  const json& i = b["interactive"];
  EXPECT_EQ(i["type"], "list");
  EXPECT_EQ(i["body"]["text"], "Bitte wählen Sie ein Thema.");
  EXPECT_EQ(i["action"]["button"], "Auswahl");
  ASSERT_EQ(i["action"]["sections"].size(), 1u);
  const json& rows = i["action"]["sections"][0]["rows"];
  ASSERT_EQ(rows.size(), 4u);
  for (size_t k = 0; k < 4; ++k) {
    EXPECT_EQ(rows[k]["id"], buttons[k].payload);
    EXPECT_EQ(rows[k]["title"], buttons[k].label);
  }
}

TEST(WhatsAppRenderTest, TenChoicesBecomeAListWithTenRows) {
  auto buttons = Buttons(10);
  json b = Body(Adapter("whatsapp")->Render(WhatsApp("Thema?", buttons)).at(0));
  EXPECT_EQ(b["interactive"]["type"], "list");
  const json& rows = b["interactive"]["action"]["sections"][0]["rows"];
  ASSERT_EQ(rows.size(), 10u);
  EXPECT_EQ(rows[9]["id"], buttons[9].payload);
  EXPECT_EQ(rows[9]["title"], "Wahl 10");
}

TEST(WhatsAppRenderTest, ElevenChoicesBecomeNumberedText) {
  auto buttons = Buttons(11);
  auto reqs = Adapter("whatsapp")->Render(WhatsApp("Thema?", buttons));
  ASSERT_EQ(reqs.size(), 1u);
  json b = Body(reqs[0]);
  EXPECT_EQ(b["type"], "text");
  EXPECT_FALSE(b.contains("interactive"));
  const std::string body = b["text"]["body"];
  EXPECT_EQ(body, NumberedChoices("Thema?", buttons));
  EXPECT_NE(body.find("\n1. Wahl 1\n"), std::string::npos);
  EXPECT_NE(body.find("\n11. Wahl 11"), std::string::npos);
}

TEST(WhatsAppRenderTest, ALabelOfTwentyOneCharactersMakesAListInsteadOfReplyButtons) {
  auto buttons = Buttons(2);
  buttons[0].label = "Anzeige online machen";  // 21 characters
  ASSERT_EQ(Chars(buttons[0].label), 21u);
  json b = Body(Adapter("whatsapp")->Render(WhatsApp("Worum geht es?", buttons)).at(0));
  EXPECT_EQ(b["interactive"]["type"], "list");
  const json& rows = b["interactive"]["action"]["sections"][0]["rows"];
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["title"], "Anzeige online machen");  // fits a row title (24)
  EXPECT_EQ(rows[0]["id"], buttons[0].payload);
}

TEST(WhatsAppRenderTest, ListRowTitlesAreCutToTwentyFourCharacters) {
  auto buttons = Buttons(5);
  buttons[2].label = "Voraussetzungen für die Bewerbung im Polizeidienst";
  json b = Body(Adapter("whatsapp")->Render(WhatsApp("Thema?", buttons)).at(0));
  const json& rows = b["interactive"]["action"]["sections"][0]["rows"];
  ASSERT_EQ(rows.size(), 5u);
  for (const auto& row : rows) EXPECT_LE(Chars(row["title"]), 24u) << row.dump();
  EXPECT_EQ(rows[2]["title"], "Voraussetzungen für die…");
  EXPECT_EQ(rows[2]["id"], buttons[2].payload);  // the id is never cut
}

TEST(WhatsAppRenderTest, AListWithoutAMenuLabelUsesMenuAndALongOneIsCutToTwenty) {
  auto msg = WhatsApp("Thema?", Buttons(4));
  msg.menu_label = "";
  json b = Body(Adapter("whatsapp")->Render(msg).at(0));
  EXPECT_EQ(b["interactive"]["action"]["button"], "Menu");

  msg.menu_label = "Bitte hier auswählen, danke";
  b = Body(Adapter("whatsapp")->Render(msg).at(0));
  const std::string button = b["interactive"]["action"]["button"];
  EXPECT_LE(Chars(button), 20u);
  EXPECT_EQ(button, "Bitte hier auswähle…");
}

TEST(WhatsAppRenderTest, ChoicesWithoutPayloadAreNumberedText) {
  auto buttons = Buttons(2);
  buttons[1].payload = "";
  json b = Body(Adapter("whatsapp")->Render(WhatsApp("Thema?", buttons)).at(0));
  EXPECT_EQ(b["type"], "text");
  EXPECT_EQ(b["text"]["body"], NumberedChoices("Thema?", buttons));
}

TEST(WhatsAppRenderTest, FiveThousandCharactersSplitIntoTextPartsOnWordBoundaries) {
  const std::string text = LongText(5000);
  ASSERT_GE(Chars(text), 4995u);
  ASSERT_LE(Chars(text), 5000u);
  auto reqs = Adapter("whatsapp")->Render(WhatsApp(text));
  ASSERT_EQ(reqs.size(), 2u);
  std::vector<std::string> words;
  for (const auto& r : reqs) {
    json b = Body(r);
    EXPECT_EQ(b["type"], "text");
    const std::string part = b["text"]["body"];
    EXPECT_LE(Chars(part), 4096u);
    EXPECT_GT(Chars(part), 0u);
    for (auto& w : Words(part)) words.push_back(w);
  }
  EXPECT_EQ(words, Words(text));  // no word cut, lost or reordered
}

TEST(WhatsAppRenderTest, LongTextWithButtonsSendsPlainTextFirstAndAnInteractiveBodyWithinTheLimit) {
  const std::string text = LongText(3000);
  auto buttons = Buttons(2);
  auto reqs = Adapter("whatsapp")->Render(WhatsApp(text, buttons));
  ASSERT_GE(reqs.size(), 2u);
  std::vector<std::string> words;
  for (size_t k = 0; k + 1 < reqs.size(); ++k) {
    json b = Body(reqs[k]);
    EXPECT_EQ(b["type"], "text") << k;
    const std::string part = b["text"]["body"];
    EXPECT_LE(Chars(part), 4096u);
    for (auto& w : Words(part)) words.push_back(w);
  }
  json last = Body(reqs.back());
  EXPECT_EQ(last["type"], "interactive");
  EXPECT_EQ(last["interactive"]["type"], "button");
  const std::string body = last["interactive"]["body"]["text"];
  EXPECT_LE(Chars(body), 1024u);
  EXPECT_GT(Chars(body), 0u);
  for (auto& w : Words(body)) words.push_back(w);
  EXPECT_EQ(words, Words(text));
  EXPECT_EQ(last["interactive"]["action"]["buttons"].size(), 2u);
}

TEST(WhatsAppRenderTest, LongTextWithAListKeepsTheListBodyWithinTheLimit) {
  const std::string text = LongText(1500);
  auto reqs = Adapter("whatsapp")->Render(WhatsApp(text, Buttons(6)));
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(Body(reqs[0])["type"], "text");
  json last = Body(reqs[1]);
  EXPECT_EQ(last["interactive"]["type"], "list");
  EXPECT_LE(Chars(last["interactive"]["body"]["text"]), 1024u);
}

TEST(WhatsAppRenderTest, PreviewUrlIsTrueOnlyWithAnHttpsLink) {
  auto adapter = Adapter("whatsapp");
  auto preview = [&](const std::string& text) {
    return Body(adapter->Render(WhatsApp(text)).at(0))["text"]["preview_url"].get<bool>();
  };
  EXPECT_TRUE(preview("Online-Wache: https://internetwache.polizei.nrw"));
  EXPECT_FALSE(preview("Kein Link hier."));
  EXPECT_FALSE(preview("Unsicher: http://example.org"));
  EXPECT_FALSE(preview("internetwache.polizei.nrw ohne Schema"));
}

TEST(WhatsAppRenderTest, TheSendPathUsesTheConfiguredApiVersion) {
  AdapterOptions o;
  o.api_version = "v25.0";
  auto reqs = Adapter("whatsapp", o)->Render(WhatsApp("Hallo"));
  EXPECT_EQ(reqs.at(0).path, std::string("/v25.0/") + kPhoneNumberId + "/messages");
}

TEST(WhatsAppRenderTest, MarkReadSendsTheReadStatusOfTheMessage) {
  auto req = Adapter("whatsapp")->MarkRead(kPhoneNumberId, "wamid.HBgLNDkxNTE=");
  ASSERT_TRUE(req.has_value());
  EXPECT_EQ(req->method, "POST");
  EXPECT_EQ(req->path, kWaPath);
  EXPECT_EQ(req->purpose, "mark_read");
  json b = Body(*req);
  EXPECT_EQ(b, (json{{"messaging_product", "whatsapp"},
                     {"status", "read"},
                     {"message_id", "wamid.HBgLNDkxNTE="}}));
}

TEST(WhatsAppRenderTest, MarkReadIsOffWhenTheOptionSaysSo) {
  AdapterOptions o;
  o.mark_read = false;
  EXPECT_FALSE(Adapter("whatsapp", o)->MarkRead(kPhoneNumberId, "wamid.1").has_value());
}

TEST(WhatsAppRenderTest, MarkReadNeedsAMessageId) {
  EXPECT_FALSE(Adapter("whatsapp")->MarkRead(kPhoneNumberId, "").has_value());
}

TEST(MarkReadTest, OnlyWhatsAppMarksMessagesRead) {
  for (const char* p : {"messenger", "instagram", "x"}) {
    EXPECT_FALSE(Adapter(p)->MarkRead("1", "m1").has_value()) << p;
  }
}

// ============================== Messenger ==============================

const std::string kMessengerPath = std::string("/v23.0/") + kPageId + "/messages";

TEST(MessengerRenderTest, EveryMessageIsAResponseToTheRecipientFromThePage) {
  auto reqs = Adapter("messenger")->Render(Messenger("Hallo!"));
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "POST");
  EXPECT_EQ(reqs[0].path, kMessengerPath);
  EXPECT_EQ(reqs[0].purpose, "message");
  json b = Body(reqs[0]);
  EXPECT_EQ(b["messaging_type"], "RESPONSE");
  EXPECT_EQ(b["recipient"]["id"], "6000000000000001");
  EXPECT_EQ(b["message"]["text"], "Hallo!");
  EXPECT_FALSE(b["message"].contains("quick_replies"));
}

TEST(MessengerRenderTest, UpToThirteenChoicesBecomeQuickReplies) {
  auto buttons = Buttons(13);
  auto reqs = Adapter("messenger")->Render(Messenger("Thema?", buttons));
  ASSERT_EQ(reqs.size(), 1u);
  json b = Body(reqs[0]);
  EXPECT_EQ(b["message"]["text"], "Thema?");
  const json& qr = b["message"]["quick_replies"];
  ASSERT_EQ(qr.size(), 13u);
  for (size_t k = 0; k < 13; ++k) {
    EXPECT_EQ(qr[k]["content_type"], "text");
    EXPECT_EQ(qr[k]["title"], buttons[k].label);
    EXPECT_EQ(qr[k]["payload"], buttons[k].payload);
  }
}

TEST(MessengerRenderTest, QuickReplyTitlesAreCutToTwentyCharactersAndPayloadsKept) {
  auto buttons = Buttons(2);
  buttons[0].label = "Voraussetzungen für die Bewerbung";
  json b = Body(Adapter("messenger")->Render(Messenger("Thema?", buttons)).at(0));
  const json& qr = b["message"]["quick_replies"];
  ASSERT_EQ(qr.size(), 2u);
  EXPECT_EQ(qr[0]["title"], "Voraussetzungen für…");
  EXPECT_EQ(Chars(qr[0]["title"]), 20u);
  EXPECT_EQ(qr[0]["payload"], buttons[0].payload);
}

TEST(MessengerRenderTest, FourteenChoicesBecomeNumberedTextWithoutQuickReplies) {
  auto buttons = Buttons(14);
  auto reqs = Adapter("messenger")->Render(Messenger("Thema?", buttons));
  ASSERT_EQ(reqs.size(), 1u);
  json b = Body(reqs[0]);
  EXPECT_FALSE(b["message"].contains("quick_replies"));
  EXPECT_EQ(b["message"]["text"], NumberedChoices("Thema?", buttons));
}

TEST(MessengerRenderTest, TextIsSplitAtTwoThousandCharactersWithQuickRepliesOnTheLastPart) {
  const std::string text = LongText(4500);
  auto reqs = Adapter("messenger")->Render(Messenger(text, Buttons(3)));
  ASSERT_EQ(reqs.size(), 3u);
  std::vector<std::string> words;
  for (size_t k = 0; k < reqs.size(); ++k) {
    json b = Body(reqs[k]);
    EXPECT_EQ(b["messaging_type"], "RESPONSE");
    const std::string part = b["message"]["text"];
    EXPECT_LE(Chars(part), 2000u);
    for (auto& w : Words(part)) words.push_back(w);
    EXPECT_EQ(b["message"].contains("quick_replies"), k + 1 == reqs.size()) << k;
  }
  EXPECT_EQ(words, Words(text));
}

TEST(MessengerRenderTest, TheTextLimitCountsCharactersNotBytes) {
  // 1990 characters of umlaut words: about 3000 bytes, still one Messenger message.
  const std::string text = LongText(1990, "ää");
  ASSERT_GT(text.size(), 2000u);
  auto reqs = Adapter("messenger")->Render(Messenger(text));
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(Body(reqs[0])["message"]["text"], text);
}

// ============================== Instagram ==============================

TEST(InstagramRenderTest, CyrillicTextOfEightHundredCharactersSplitsIntoTwoPartsByBytes) {
  std::string text;
  for (int i = 0; i < 800; ++i) text += "ж";
  ASSERT_EQ(Chars(text), 800u);
  ASSERT_EQ(text.size(), 1600u);
  auto reqs = Adapter("instagram")->Render(Instagram(text));
  ASSERT_EQ(reqs.size(), 2u);
  std::string joined;
  for (const auto& r : reqs) {
    EXPECT_EQ(r.path, std::string("/v23.0/") + kInstagramId + "/messages");
    const std::string part = Body(r)["message"]["text"];
    EXPECT_LE(part.size(), 1000u);
    EXPECT_TRUE(IsValidUtf8(part));
    joined += part;
  }
  EXPECT_EQ(joined, text);
}

TEST(InstagramRenderTest, CyrillicWordsSplitOnSpacesWithQuickRepliesOnlyOnTheLastPart) {
  std::string text;
  for (int i = 0; Chars(text) < 790; ++i) text += "полиция" + std::to_string(i % 10) + " ";
  text.pop_back();
  ASSERT_GT(text.size(), 1000u);
  ASSERT_LE(text.size(), 2000u);
  auto buttons = Buttons(3, "Выбор ");
  auto reqs = Adapter("instagram")->Render(Instagram(text, buttons));
  ASSERT_EQ(reqs.size(), 2u);
  std::vector<std::string> words;
  for (size_t k = 0; k < reqs.size(); ++k) {
    json b = Body(reqs[k]);
    EXPECT_EQ(b["recipient"]["id"], "7000000000000001");
    const std::string part = b["message"]["text"];
    EXPECT_LE(part.size(), 1000u);
    EXPECT_TRUE(IsValidUtf8(part));
    for (auto& w : Words(part)) words.push_back(w);
    EXPECT_EQ(b["message"].contains("quick_replies"), k == 1) << k;
  }
  EXPECT_EQ(words, Words(text));
  const json qr = Body(reqs[1])["message"]["quick_replies"];
  ASSERT_EQ(qr.size(), 3u);
  EXPECT_EQ(qr[2]["title"], "Выбор 3");
  EXPECT_EQ(qr[2]["payload"], buttons[2].payload);
}

TEST(InstagramRenderTest, FourteenChoicesBecomeNumberedText) {
  auto buttons = Buttons(14);
  json b = Body(Adapter("instagram")->Render(Instagram("Thema?", buttons)).at(0));
  EXPECT_FALSE(b["message"].contains("quick_replies"));
  EXPECT_EQ(b["message"]["text"], NumberedChoices("Thema?", buttons));
}

// ============================== X ==============================

TEST(XRenderTest, V2SendsOnlyTextToTheConversationWithTheRecipient) {
  auto reqs = Adapter("x")->Render(X("Hallo aus Dortmund"));
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "POST");
  EXPECT_EQ(reqs[0].path, "/2/dm_conversations/with/9876543210/messages");
  EXPECT_EQ(reqs[0].purpose, "message");
  EXPECT_EQ(Body(reqs[0]), (json{{"text", "Hallo aus Dortmund"}}));
}

TEST(XRenderTest, V2IsTheDefaultAndRendersButtonsAsNumberedText) {
  auto buttons = Buttons(3);
  auto reqs = Adapter("x")->Render(X("Thema?", buttons));
  ASSERT_EQ(reqs.size(), 1u);
  json b = Body(reqs[0]);
  ASSERT_EQ(b.size(), 1u) << b.dump();  // additionalProperties: false in v2
  EXPECT_EQ(b["text"], NumberedChoices("Thema?", buttons));
}

TEST(XRenderTest, V2SplitsTextAtTenThousandCharacters) {
  const std::string text = LongText(12000);
  auto reqs = Adapter("x")->Render(X(text));
  ASSERT_EQ(reqs.size(), 2u);
  std::vector<std::string> words;
  for (const auto& r : reqs) {
    const std::string part = Body(r)["text"];
    EXPECT_LE(Chars(part), 10000u);
    for (auto& w : Words(part)) words.push_back(w);
  }
  EXPECT_EQ(words, Words(text));
}

AdapterOptions V11() {
  AdapterOptions o;
  o.x_send_api = "v1.1";
  return o;
}

TEST(XRenderTest, V11SendsQuickReplyOptionsWithThePayloadAsMetadata) {
  auto buttons = Buttons(3);
  auto reqs = Adapter("x", V11())->Render(X("Thema?", buttons));
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].path, "/1.1/direct_messages/events/new.json");
  json b = Body(reqs[0]);
  const json& ev = b["event"];
  EXPECT_EQ(ev["type"], "message_create");
  EXPECT_EQ(ev["message_create"]["target"]["recipient_id"], "9876543210");
  const json& data = ev["message_create"]["message_data"];
  EXPECT_EQ(data["text"], "Thema?");
  EXPECT_EQ(data["quick_reply"]["type"], "options");
  const json& options = data["quick_reply"]["options"];
  ASSERT_EQ(options.size(), 3u);
  for (size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(options[k]["label"], buttons[k].label);
    EXPECT_EQ(options[k]["metadata"], buttons[k].payload);
  }
}

TEST(XRenderTest, V11LabelsAreCutToThirtySixCharacters) {
  auto buttons = Buttons(2);
  buttons[1].label = "Voraussetzungen für die Bewerbung bei der Polizei NRW";
  json b = Body(Adapter("x", V11())->Render(X("Thema?", buttons)).at(0));
  const json& options = b["event"]["message_create"]["message_data"]["quick_reply"]["options"];
  ASSERT_EQ(options.size(), 2u);
  EXPECT_LE(Chars(options[1]["label"]), 36u);
  EXPECT_EQ(options[1]["label"], "Voraussetzungen für die Bewerbung b…");
  EXPECT_EQ(options[1]["metadata"], buttons[1].payload);
}

TEST(XRenderTest, V11TwentyChoicesAreOptionsButTwentyOneBecomeNumberedText) {
  json b20 = Body(Adapter("x", V11())->Render(X("Thema?", Buttons(20))).at(0));
  EXPECT_EQ(b20["event"]["message_create"]["message_data"]["quick_reply"]["options"].size(), 20u);

  auto buttons = Buttons(21);
  auto reqs = Adapter("x", V11())->Render(X("Thema?", buttons));
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].path, "/1.1/direct_messages/events/new.json");
  const json data = Body(reqs[0])["event"]["message_create"]["message_data"];
  EXPECT_FALSE(data.contains("quick_reply"));
  EXPECT_EQ(data["text"], NumberedChoices("Thema?", buttons));
}

TEST(XRenderTest, V11PutsTheOptionsOnlyOnTheLastPartOfALongText) {
  const std::string text = LongText(15000);
  auto reqs = Adapter("x", V11())->Render(X(text, Buttons(2)));
  ASSERT_EQ(reqs.size(), 2u);
  for (size_t k = 0; k < reqs.size(); ++k) {
    const json data = Body(reqs[k])["event"]["message_create"]["message_data"];
    EXPECT_LE(Chars(data["text"]), 10000u);
    EXPECT_EQ(data.contains("quick_reply"), k == 1) << k;
  }
}

// ============================== all platforms ==============================

TEST(RenderTest, EveryPlatformRendersAnEmptyReplyAsAtLeastOneRequest) {
  for (const char* p : {"whatsapp", "messenger", "instagram", "x"}) {
    auto reqs = Adapter(p)->Render(Message(p, "1", "2", ""));
    EXPECT_GE(reqs.size(), 1u) << p;
  }
}

TEST(RenderTest, AnUnknownPlatformHasNoAdapter) {
  EXPECT_EQ(MakeAdapter("telegram", AdapterOptions{}), nullptr);
}

}  // namespace
}  // namespace wache::webhook
