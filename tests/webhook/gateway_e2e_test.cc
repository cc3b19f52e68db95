// End to end, the way a platform and an operator see it: the real `wache serve` gateway
// (server on port 0, dispatcher, engine with the shipped flows, a real SQLite file) receives
// signed webhooks from a real HTTP client, and its replies arrive at the local fake platform
// API (tests/support), which checks every request the way the platform does.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "bot/accounts.h"
#include "bot/playbook.h"
#include "store/sqlite_delivery_store.h"
#include "store/sqlite_handover_store.h"
#include "store/sqlite_state_store.h"
#include "tests/support/fake_platform_api.h"
#include "tests/support/metrics_page.h"
#include "webhook/example_payloads.h"
#include "webhook/gateway.h"
#include "webhook/http_client.h"
#include "webhook/x/x_adapter.h"

namespace wache::webhook {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::FakePlatformApi;

constexpr char kAppSecret[] = "test-app-secret";
constexpr char kVerifyToken[] = "test-verify-token";
constexpr char kConsumerSecret[] = "test-consumer-secret";
constexpr char kWhatsApp[] = "100000000000001";
constexpr char kPage[] = "200000000000002";
constexpr char kInstagram[] = "17841400000000003";
constexpr char kXUser[] = "1400000000000000004";
constexpr char kConsoleWhatsApp[] = "100000000000009";  // an account without a token

std::string ReadFixture(const std::string& rel) {
  std::ifstream in(fs::path(WACHE_SOURCE_DIR) / "tests/webhook/fixtures" / rel, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class GatewayE2ETest : public ::testing::Test {
 protected:
  void SetUp() override { StartAll("v2"); }
  void TearDown() override {
    if (gateway_) gateway_->Stop();
    gateway_.reset();
    fake_.Stop();
    fs::remove_all(dir_);
  }

  // `whatsapp_extra` and `x_extra`: more lines for those platforms' config sections.
  void StartAll(const std::string& x_send_api, const std::string& whatsapp_extra = "",
                const std::string& x_extra = "") {
    ASSERT_TRUE(fake_.Start());
    fake_.AddWhatsAppNumber(kWhatsApp, "wa-token");
    fake_.AddMessengerPage(kPage, "fb-token");
    fake_.AddInstagramAccount(kInstagram, "ig-token");
    fake_.AddXUser(kXUser, "x-token");
    fake_.AddXOAuth1User(kXUser, "x-consumer-key", kConsumerSecret, "x-oauth-token",
                         "x-oauth-secret");
    dir_ = fs::temp_directory_path() /
           ("wache-e2e-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    auto write = [&](const std::string& name, const std::string& text) {
      std::ofstream(dir_ / name) << text << "\n";
    };
    write("app_secret", kAppSecret);
    write("verify_token", kVerifyToken);
    write("consumer_secret", kConsumerSecret);
    write("consumer_key", "x-consumer-key");
    write("wa_token", "wa-token");
    write("fb_token", "fb-token");
    write("ig_token", "ig-token");
    write("x_token", "x-token");
    write("x_oauth_token", "x-oauth-token");
    write("x_oauth_secret", "x-oauth-secret");
    const std::string src = WACHE_SOURCE_DIR;
    const std::string meta =
        "    app_secret: { file: app_secret }\n"
        "    verify_token: { file: verify_token }\n"
        "    api_base_url: " +
        fake_.base_url() + "\n    api_version: v23.0\n";
    std::string config =
        "flows: " + src + "/flows\ntemplates: " + src + "/templates\n" +
        "server: { host: 127.0.0.1, port: 0, max_body_kb: 64, workers: 2, send_timeout_seconds: 2 "
        "}\n"
        "platforms:\n  whatsapp:\n" +
        meta + whatsapp_extra + "  messenger:\n" + meta + "  instagram:\n" + meta +
        "  x:\n    consumer_secret: { file: consumer_secret }\n    consumer_key: { file: "
        "consumer_key }\n"
        "    api_base_url: " +
        fake_.base_url() + "\n    send_api: " + x_send_api + "\n" + x_extra +
        "defaults:\n  language: de\n  variables:\n"
        "    station_name: Polizei Test\n    emergency_number: \"110\"\n    fire_medical_number: "
        "\"112\"\n"
        "    crisis_line_name: TelefonSeelsorge\n    crisis_line: \"0800 111 0 111\"\n"
        "    women_helpline: \"116 016\"\n    online_station_url: "
        "https://internetwache.polizei.nrw\n"
        "    recruiting_url: https://www.genau-mein-fall.de\n    recruiting_portal_url: "
        "https://jobs.polizei.nrw\n"
        "    recruiting_contact: \"0251 7795-5353\"\n    office_hours: \"07:30–16:00\"\n"
        "accounts:\n"
        "  - { id: wa, platform: whatsapp, platform_id: \"" +
        kWhatsApp +
        "\", credentials: { access_token: { file: wa_token } } }\n"
        "  - { id: fb, platform: messenger, platform_id: \"" +
        kPage +
        "\", credentials: { access_token: { file: fb_token } } }\n"
        "  - { id: ig, platform: instagram, platform_id: \"" +
        kInstagram +
        "\", credentials: { access_token: { file: ig_token } } }\n"
        "  - { id: xx, platform: x, platform_id: \"" +
        kXUser +
        "\", credentials: { access_token: { file: x_token }, "
        "oauth_token: { file: x_oauth_token }, oauth_token_secret: { file: x_oauth_secret } } }\n"
        "  - { id: wa-console, platform: whatsapp, platform_id: \"" +
        kConsoleWhatsApp + "\" }\n";
    write("wache.yaml", config);
    const std::string path = (dir_ / "wache.yaml").string();
    config_ = bot::LoadConfig(path, diags_);
    webhook_ = LoadWebhookConfig(path, config_, diags_);
    playbook_ = bot::Playbook::Load(config_.flows_dir, config_.templates_dir, diags_);
    ASSERT_FALSE(diags_.has_errors()) << diags_.Format();
    // One connection for the three stores, as `wache serve` opens them.
    auto database = store::OpenConnection((dir_ / "state.db").string());
    store_ = store::SqliteStateStore::OpenOn(database);
    auto delivery = store::SqliteDeliveryStore::OpenOn(database);
    ASSERT_TRUE(delivery.ok()) << delivery.status().message();
    delivery_ = std::move(delivery).value();
    handovers_ = store::SqliteHandoverStore::OpenOn(database);
    StartGateway();
  }

  // Starts the gateway on the stores of StartAll (again, after gateway_->Stop()).
  void StartGateway(size_t max_queued_messages = 5000) {
    GatewayOptions options;
    options.max_queued_messages = max_queued_messages;
    options.outbox.retry_base = std::chrono::seconds(1);
    options.outbox.retry_max = std::chrono::seconds(2);
    options.outbox.max_attempts = 4;
    options.outbox.max_ready_in_memory = max_ready_in_memory_;
    options.port = 0;
    options.console = &console_;
    webhook_.server.senders = senders_;  // server.senders in the config
    auto g = Gateway::Start(config_, webhook_, playbook_, *store_, *delivery_, *handovers_, clock_,
                            http_, options);
    ASSERT_TRUE(g.ok()) << g.status().message();
    gateway_ = std::move(g).value();
  }

  // Stops the gateway and leaves `texts` in the inbox as accepted and not yet handled, from
  // senders "<sender_prefix><i>", as a previous run that stopped would have left them.
  void LeaveUnhandled(const std::vector<std::string>& texts, const std::string& sender_prefix) {
    gateway_->Stop();
    gateway_.reset();
    std::vector<AcceptedMessage> left;
    for (size_t i = 0; i < texts.size(); ++i) {
      AcceptedMessage m;
      m.message.platform = "whatsapp";
      m.message.account = "wa";
      m.message.sender = sender_prefix + std::to_string(i);
      m.message.message_id = "wamid.left-" + sender_prefix + std::to_string(i);
      m.message.text = texts[i];
      m.account_ref = kWhatsApp;
      m.correlation_id = "left-" + std::to_string(i);
      m.received_ms = Now() * 1000;
      left.push_back(m);
    }
    ASSERT_TRUE(delivery_->InsertInbound(left, clock_.Now()).ok());
  }

  // Posts `body` to /webhook/<platform> signed like the platform, or with `headers` as given.
  httplib::Result Post(const std::string& platform, const std::string& body,
                       std::optional<httplib::Headers> headers = std::nullopt,
                       const std::string& content_type = "application/json") {
    httplib::Client client("127.0.0.1", gateway_->port());
    if (!headers) {
      auto [name, value] =
          SignatureHeader(platform, platform == "x" ? kConsumerSecret : kAppSecret, body);
      headers = httplib::Headers{{name, value}};
    }
    return client.Post(("/webhook/" + platform).c_str(), *headers, body, content_type.c_str());
  }

  std::string Message(const std::string& platform, const std::string& text,
                      const std::string& sender, const std::string& payload = "",
                      bool image = false) {
    ExampleMessage m;
    m.account_ref = platform == "whatsapp"    ? kWhatsApp
                    : platform == "messenger" ? kPage
                    : platform == "instagram" ? kInstagram
                                              : kXUser;
    m.sender = sender;
    m.message_id = platform + "-msg-" + std::to_string(++next_id_);
    m.text = text;
    m.button_payload = payload;
    m.image = image;
    m.unix_seconds = Now();
    return ExampleWebhookBody(platform, m);
  }

  // The accepted requests with a message (not mark-read) for `recipient`.
  std::vector<testing::RecordedRequest> RepliesTo(const std::string& recipient) {
    std::vector<testing::RecordedRequest> out;
    for (auto& r : fake_.Accepted()) {
      if (r.recipient == recipient && r.kind != "mark_read") out.push_back(r);
    }
    return out;
  }

  static std::string TextOf(const testing::RecordedRequest& r) {
    const json& b = r.body;
    if (b.contains("text") && b["text"].is_object()) return b["text"].value("body", "");
    if (b.contains("interactive")) return b["interactive"]["body"].value("text", "");
    if (b.contains("message")) return b["message"].value("text", "");
    if (b.contains("event")) return b["event"]["message_create"]["message_data"].value("text", "");
    return b.value("text", "");
  }

  static int64_t Now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  bool Idle() { return gateway_->WaitIdle(std::chrono::seconds(20)); }

  // Restarts the gateway with `senders` (server.senders) and `max_ready`
  // (OutboxOptions::max_ready_in_memory) against a fake platform that answers every send
  // call after `delay`.
  void RestartAgainstASlowPlatform(int senders, size_t max_ready, std::chrono::milliseconds delay) {
    gateway_->Stop();
    gateway_.reset();
    senders_ = senders;
    max_ready_in_memory_ = max_ready;
    StartGateway();
    fake_.set_answer_delay(delay);
  }

  // Posts "Hallo" on WhatsApp from `n` new senders "<prefix><i>".
  void PostHallos(int n, const std::string& prefix) {
    for (int i = 0; i < n; ++i) {
      ASSERT_EQ(Post("whatsapp", Message("whatsapp", "Hallo", prefix + std::to_string(i)))->status,
                200);
    }
  }

  // A gauge's value as GET /metrics shows it; -1 if it is not there.
  long MetricsGauge(const std::string& name) {
    return testing::MetricsGauge(gateway_->port(), name);
  }

  // Waits (up to 10 s) until the counter `name{labels}` reaches `n`.
  bool WaitForMetric(const std::string& name, const std::map<std::string, std::string>& labels,
                     long n) {
    for (int i = 0; i < 500; ++i) {
      if (gateway_->metrics().Get(name, labels) >= n) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  FakePlatformApi fake_;
  fs::path dir_;
  bot::Diagnostics diags_;
  bot::GatewayConfig config_;
  WebhookConfig webhook_;
  std::shared_ptr<const bot::Playbook> playbook_;
  std::unique_ptr<store::SqliteStateStore> store_;
  std::unique_ptr<store::SqliteDeliveryStore> delivery_;
  std::unique_ptr<store::SqliteHandoverStore> handovers_;
  bot::SystemClock clock_;
  HttplibClient http_;
  std::ostringstream console_;
  std::unique_ptr<Gateway> gateway_;
  int senders_ = ServerConfig{}.senders;  // for StartGateway
  size_t max_ready_in_memory_ = OutboxOptions{}.max_ready_in_memory;
  int next_id_ = 0;
};

TEST_F(GatewayE2ETest, EmergencyWordsGetTheEmergencyNumberOnEveryPlatform) {
  const std::vector<std::string> platforms = {"whatsapp", "messenger", "instagram", "x"};
  auto sender = [&](const std::string& p) {
    return "5550" +
           std::to_string(std::find(platforms.begin(), platforms.end(), p) - platforms.begin());
  };
  for (const auto& p : platforms) {
    auto res = Post(p, Message(p, "Hilfe, jemand bricht gerade bei mir ein", sender(p)));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << p;
  }
  ASSERT_TRUE(Idle());
  for (const auto& p : platforms) {
    auto replies = RepliesTo(sender(p));
    ASSERT_FALSE(replies.empty()) << p;
    EXPECT_EQ(replies.front().platform, p);
    EXPECT_NE(TextOf(replies.front()).find("110"), std::string::npos) << TextOf(replies.front());
  }
  EXPECT_EQ(gateway_->metrics().Total("wache_emergency_replies_total"), 4);
}

TEST_F(GatewayE2ETest, WhatsAppMenuTapComesBackAsTheSameButtonPress) {
  ASSERT_EQ(
      Post("whatsapp", Message("whatsapp", "Ich möchte mich bewerben", "4915111111111"))->status,
      200);
  ASSERT_TRUE(Idle());
  auto first = RepliesTo("4915111111111");
  ASSERT_EQ(first.size(), 1u);
  // Four choices do not fit three reply buttons: a list message, within WhatsApp's limits.
  EXPECT_EQ(first[0].kind, "list");
  const json& rows = first[0].body["interactive"]["action"]["sections"][0]["rows"];
  ASSERT_GE(rows.size(), 2u);
  EXPECT_EQ(first[0].body["interactive"]["action"]["button"], "Auswählen");
  // The person taps the first row; WhatsApp sends back its id and title.
  ExampleMessage tap;
  tap.account_ref = kWhatsApp;
  tap.sender = "4915111111111";
  tap.message_id = "wamid.tap1";
  tap.button_payload = rows[0]["id"];
  tap.text = rows[0]["title"];
  tap.unix_seconds = Now();
  ASSERT_EQ(Post("whatsapp", ExampleWebhookBody("whatsapp", tap))->status, 200);
  ASSERT_TRUE(Idle());
  auto all = RepliesTo("4915111111111");
  ASSERT_GT(all.size(), 1u);
  const std::string answer = TextOf(all[1]);
  EXPECT_EQ(answer.find("nicht verstanden"), std::string::npos) << answer;
  EXPECT_EQ(answer.find("nicht mehr aktuell"), std::string::npos) << answer;
  EXPECT_NE(answer, TextOf(first[0]));
  // Each answered message was marked read.
  int marked = 0;
  for (auto& r : fake_.Accepted()) marked += r.kind == "mark_read";
  EXPECT_EQ(marked, 2);
}

TEST_F(GatewayE2ETest, MessengerQuickReplyTapContinuesTheConversation) {
  ASSERT_EQ(Post("messenger", Message("messenger", "Hallo", "7001"))->status, 200);
  ASSERT_TRUE(Idle());
  auto first = RepliesTo("7001");
  ASSERT_FALSE(first.empty());
  const auto& last = first.back();
  ASSERT_EQ(last.kind, "quick_replies") << last.body.dump();
  EXPECT_EQ(last.body["messaging_type"], "RESPONSE");
  const json& qr = last.body["message"]["quick_replies"];
  std::string payload = qr[0]["payload"];
  ASSERT_EQ(Post("messenger", Message("messenger", qr[0]["title"], "7001", payload))->status, 200);
  ASSERT_TRUE(Idle());
  auto all = RepliesTo("7001");
  ASSERT_GT(all.size(), first.size());
  EXPECT_EQ(TextOf(all[first.size()]).find("nicht verstanden"), std::string::npos);
}

TEST_F(GatewayE2ETest, XVersion2GetsNumberedChoicesAndANumberAnswersThem) {
  ASSERT_EQ(Post("x", Message("x", "Ich möchte mich bewerben", "8001"))->status, 200);
  ASSERT_TRUE(Idle());
  auto first = RepliesTo("8001");
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].api, "x2");
  EXPECT_NE(TextOf(first[0]).find("\n1. "), std::string::npos) << TextOf(first[0]);
  ASSERT_EQ(Post("x", Message("x", "1", "8001"))->status, 200);
  ASSERT_TRUE(Idle());
  auto all = RepliesTo("8001");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(TextOf(all[1]).find("nicht verstanden"), std::string::npos) << TextOf(all[1]);
}

TEST_F(GatewayE2ETest, AWhatsAppBatchIsAnsweredItemByItem) {
  json body = json::parse(Message("whatsapp", "Hallo", "4915100000001"));
  json second = json::parse(Message("whatsapp", "Notruf!", "4915100000002"));
  json third = json::parse(Message("whatsapp", "Danke", "4915100000003"));
  body["entry"][0]["changes"][0]["value"]["messages"].push_back(
      second["entry"][0]["changes"][0]["value"]["messages"][0]);
  body["entry"].push_back(third["entry"][0]);
  ASSERT_EQ(Post("whatsapp", body.dump())->status, 200);
  ASSERT_TRUE(Idle());
  EXPECT_FALSE(RepliesTo("4915100000001").empty());
  EXPECT_FALSE(RepliesTo("4915100000002").empty());
  EXPECT_FALSE(RepliesTo("4915100000003").empty());
  EXPECT_EQ(gateway_->metrics().Get("wache_messages_accepted_total", {{"platform", "whatsapp"}}),
            3);
}

TEST_F(GatewayE2ETest, EchoesStatusesReadsAndOwnMessagesAreAcknowledgedAndNeverAnswered) {
  // Fixtures from tests/webhook/fixtures, with their account ids mapped to ours.
  auto with_account = [](std::string body, const std::string& from, const std::string& to) {
    for (size_t at = body.find(from); at != std::string::npos;
         at = body.find(from, at + to.size())) {
      body.replace(at, from.size(), to);
    }
    return body;
  };
  json wa_status = json::parse(ReadFixture("whatsapp/statuses.json"));
  std::string wa_ref = wa_status["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"];
  json fb_echo = json::parse(ReadFixture("messenger/echo.json"));
  std::string fb_ref = fb_echo["entry"][0]["id"];
  json x_own = json::parse(ReadFixture("x/dm_own_message.json"));
  std::string x_ref = x_own["for_user_id"];
  const std::vector<std::pair<std::string, std::string>> bodies = {
      {"whatsapp", with_account(ReadFixture("whatsapp/statuses.json"), wa_ref, kWhatsApp)},
      {"whatsapp", with_account(ReadFixture("whatsapp/reaction.json"), wa_ref, kWhatsApp)},
      {"messenger", with_account(ReadFixture("messenger/echo.json"), fb_ref, kPage)},
      {"messenger", with_account(ReadFixture("messenger/read.json"), fb_ref, kPage)},
      {"messenger", with_account(ReadFixture("messenger/delivery.json"), fb_ref, kPage)},
      {"x", with_account(ReadFixture("x/dm_own_message.json"), x_ref, kXUser)},
      {"x", with_account(ReadFixture("x/typing.json"), x_ref, kXUser)},
  };
  for (const auto& [platform, body] : bodies) {
    auto res = Post(platform, body);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << body;
  }
  ASSERT_TRUE(Idle());
  EXPECT_TRUE(fake_.Requests().empty()) << fake_.Requests().front().raw_body;
  EXPECT_EQ(gateway_->metrics().Total("wache_messages_accepted_total"), 0);
  EXPECT_GE(gateway_->metrics().Total("wache_events_ignored_total"), 7);
  EXPECT_GE(gateway_->metrics().Get("wache_events_ignored_total",
                                    {{"platform", "x"}, {"kind", "own_message"}}),
            1);
}

TEST_F(GatewayE2ETest, UnknownAccountGets200AndNoReply) {
  ExampleMessage m;
  m.account_ref = "999999999999999";
  m.sender = "4915122222222";
  m.message_id = "wamid.unknown";
  m.text = "Notruf";
  auto res = Post("whatsapp", ExampleWebhookBody("whatsapp", m));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  ASSERT_TRUE(Idle());
  EXPECT_TRUE(fake_.Requests().empty());
  EXPECT_EQ(gateway_->metrics().Get("wache_events_ignored_total",
                                    {{"platform", "whatsapp"}, {"kind", "unknown_account"}}),
            1);
}

TEST_F(GatewayE2ETest, BadSignaturesAreRefusedAndNothingIsProcessed) {
  const std::string body = Message("whatsapp", "Notruf", "4915133333333");
  const std::string xbody = Message("x", "Notruf", "8002");
  EXPECT_EQ(Post("whatsapp", body, httplib::Headers{})->status, 401);
  EXPECT_EQ(Post("whatsapp", body,
                 httplib::Headers{{"X-Hub-Signature-256", "sha256=" + std::string(64, '0')}})
                ->status,
            403);
  EXPECT_EQ(Post("whatsapp", body, httplib::Headers{{"X-Hub-Signature-256", "sha256=zz"}})->status,
            403);
  // The right HMAC in the wrong encoding: base64 where Meta uses hex, hex where X uses base64.
  auto [n1, x_sig] = SignatureHeader("x", kAppSecret, body);
  EXPECT_EQ(Post("whatsapp", body, httplib::Headers{{"X-Hub-Signature-256", x_sig}})->status, 403);
  auto [n2, meta_sig] = SignatureHeader("whatsapp", kConsumerSecret, xbody);
  EXPECT_EQ(Post("x", xbody, httplib::Headers{{"x-twitter-webhooks-signature", meta_sig}})->status,
            403);
  // Signed with the right secret, then changed on the way.
  auto [n3, good] = SignatureHeader("whatsapp", kAppSecret, body);
  std::string tampered = body;
  tampered.replace(tampered.find("Notruf"), 6, "Hallo!");
  EXPECT_EQ(Post("whatsapp", tampered, httplib::Headers{{n3, good}})->status, 403);
  ASSERT_TRUE(Idle());
  EXPECT_TRUE(fake_.Requests().empty());
  EXPECT_EQ(gateway_->metrics().Total("wache_messages_accepted_total"), 0);
  EXPECT_EQ(gateway_->metrics().Total("wache_webhooks_rejected_total"), 6);
}

TEST_F(GatewayE2ETest, BrokenBodiesGetClearStatusesAndTheServerLivesOn) {
  EXPECT_EQ(Post("whatsapp", "{\"object\": \"whatsapp_business_account\", \"entry\": [")->status,
            400);
  EXPECT_EQ(Post("messenger", "[1, 2, 3]")->status, 400);
  EXPECT_EQ(Post("x", std::string(10000, '[') + std::string(10000, ']'))->status, 400);
  EXPECT_EQ(Post("instagram", "{\"object\":\"page\",\"entry\":[]}")->status,
            400);  // wrong platform
  EXPECT_EQ(
      Post("whatsapp", Message("whatsapp", "Hallo", "4915144444444"), std::nullopt, "text/plain")
          ->status,
      415);
  EXPECT_EQ(Post("whatsapp", "")->status, 400);
  std::string huge = Message("whatsapp", std::string(100 * 1024, 'a'), "4915144444444");
  auto res = Post("whatsapp", huge);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  // Unknown fields and event kinds are ignored, not errors.
  json odd = json::parse(Message("whatsapp", "Hallo", "4915144444445"));
  odd["entry"][0]["new_field_2027"] = {{"x", 1}};
  odd["entry"][0]["changes"][0]["value"]["messages"][0]["brand_new"] = true;
  EXPECT_EQ(Post("whatsapp", odd.dump())->status, 200);
  // Still serving.
  httplib::Client client("127.0.0.1", gateway_->port());
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  ASSERT_TRUE(Idle());
  EXPECT_EQ(RepliesTo("4915144444444").size(), 0u);
  EXPECT_EQ(RepliesTo("4915144444445").size(), 1u);
}

TEST_F(GatewayE2ETest, SubscriptionChecksAnswerLikeThePlatformsRequire) {
  httplib::Client client("127.0.0.1", gateway_->port());
  auto ok = client.Get(std::string("/webhook/whatsapp?hub.mode=subscribe&hub.verify_token=") +
                       kVerifyToken + "&hub.challenge=1158201444");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body, "1158201444");
  auto wrong =
      client.Get("/webhook/messenger?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 403);
  EXPECT_EQ(wrong->body.find('1'), std::string::npos);
  auto crc = client.Get("/webhook/x?crc_token=abc123");
  ASSERT_TRUE(crc);
  EXPECT_EQ(crc->status, 200);
  EXPECT_EQ(crc->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(json::parse(crc->body)["response_token"],
            XSignatureHeaderValue(kConsumerSecret, "abc123"));
}

TEST_F(GatewayE2ETest, PicturesWithoutWordsGetARequestToWriteTextWithTheEmergencyNumber) {
  ASSERT_EQ(Post("instagram", Message("instagram", "", "9001", "", /*image=*/true))->status, 200);
  ASSERT_TRUE(Idle());
  auto replies = RepliesTo("9001");
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_NE(TextOf(replies[0]).find("Text"), std::string::npos);
  EXPECT_NE(TextOf(replies[0]).find("110"), std::string::npos);
}

TEST_F(GatewayE2ETest, AccountWithoutTokenPrintsRepliesToTheConsoleSink) {
  ExampleMessage m;
  m.account_ref = kConsoleWhatsApp;
  m.sender = "4915155555555";
  m.message_id = "wamid.console";
  m.text = "Notruf";
  m.unix_seconds = Now();
  ASSERT_EQ(Post("whatsapp", ExampleWebhookBody("whatsapp", m))->status, 200);
  ASSERT_TRUE(Idle());
  EXPECT_TRUE(fake_.Requests().empty());
  std::string line = console_.str().substr(0, console_.str().find('\n'));
  json j = json::parse(line);
  EXPECT_EQ(j["account"], "wa-console");
  EXPECT_NE(j["text"].get<std::string>().find("110"), std::string::npos);
  // The person's number is not printed in clear, not even in the request that would be sent.
  EXPECT_EQ(console_.str().find("4915155555555"), std::string::npos) << console_.str();
  EXPECT_EQ(j["would_send"][0]["body"]["to"], j["to"]);
}

TEST_F(GatewayE2ETest, MetricsAreServedInPrometheusFormat) {
  ASSERT_EQ(Post("whatsapp", Message("whatsapp", "Hallo", "4915166666666"))->status, 200);
  ASSERT_TRUE(Idle());
  httplib::Client client("127.0.0.1", gateway_->port());
  auto res = client.Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find("wache_messages_accepted_total{platform=\"whatsapp\"} 1"),
            std::string::npos)
      << res->body;
  EXPECT_NE(res->body.find("# TYPE wache_replies_total counter"), std::string::npos);
}

// A slow platform: the send calls of different conversations wait for their answers side by
// side, one per sender thread and never more (with 8 senders one after another, a 100 ms
// platform allowed 57 replies/s); mark-read calls take at most half of them, so replies
// do not wait behind blue ticks.
TEST_F(GatewayE2ETest, SendersWaitForASlowPlatformSideBySideUpToTheirNumber) {
  RestartAgainstASlowPlatform(4, OutboxOptions{}.max_ready_in_memory,
                              std::chrono::milliseconds(500));
  PostHallos(8, "49151300000");
  ASSERT_TRUE(Idle());
  for (int i = 0; i < 8; ++i) EXPECT_EQ(RepliesTo("49151300000" + std::to_string(i)).size(), 1u);
  EXPECT_EQ(fake_.max_calls_at_once(), 4);
  EXPECT_EQ(fake_.max_mark_reads_at_once(), 2);
  EXPECT_EQ(MetricsGauge("wache_sender_threads"), 4);
}

// More replies than may wait in memory (a flood and a slow platform): the rest stay pending
// in the store and are claimed from there; each message is answered once, a conversation's
// replies in order.
TEST_F(GatewayE2ETest, RepliesBeyondTheMemoryBoundAreSentFromTheStore) {
  RestartAgainstASlowPlatform(2, 1, std::chrono::milliseconds(200));
  PostHallos(6, "49151320000");
  const std::string same = "491513299999";
  ASSERT_EQ(Post("whatsapp", Message("whatsapp", "Hallo", same))->status, 200);
  ASSERT_EQ(Post("whatsapp", Message("whatsapp", "danke", same))->status, 200);
  ASSERT_TRUE(Idle());
  for (int i = 0; i < 6; ++i) EXPECT_EQ(RepliesTo("49151320000" + std::to_string(i)).size(), 1u);
  auto both = RepliesTo(same);
  ASSERT_EQ(both.size(), 2u);
  EXPECT_NE(TextOf(both[0]), TextOf(both[1]));
  EXPECT_EQ(gateway_->metrics().Total("wache_replies_dead_total"), 0);
}

// The bound itself: while both senders are in a slow call, about one more message's replies
// wait in memory for a sender; the others wait pending in the store. Without the bound, the
// four not being sent all waited in memory.
TEST_F(GatewayE2ETest, BeyondTheMemoryBoundRepliesWaitInTheStoreNotInMemory) {
  RestartAgainstASlowPlatform(2, 1, std::chrono::milliseconds(1500));
  PostHallos(6, "49151330000");
  for (int i = 0; i < 200 && MetricsGauge("wache_inbox_queue_depth") != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(MetricsGauge("wache_inbox_queue_depth"), 0);  // all six handled, replies stored
  // One, or two when both dispatcher workers found room at the same moment (the look at the
  // bound and the claim are not one step).
  EXPECT_LE(MetricsGauge("wache_replies_waiting_for_sender"), 2);
  fake_.set_answer_delay(std::chrono::milliseconds(0));
  ASSERT_TRUE(Idle());
  EXPECT_EQ(MetricsGauge("wache_replies_waiting_for_sender"), 0);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(RepliesTo("49151330000" + std::to_string(i)).size(), 1u);
}

// A message's mark-read call goes out after its reply, from the sender that sent the reply:
// waking a second sender for it was a hand-off per message (bench/README.md).
TEST_F(GatewayE2ETest, AMessagesMarkReadFollowsItsReplyFromTheSameSender) {
  RestartAgainstASlowPlatform(2, OutboxOptions{}.max_ready_in_memory,
                              std::chrono::milliseconds(200));
  // The first sender's claim at start is over once a message has been answered.
  PostHallos(1, "491513400000");
  ASSERT_TRUE(Idle());
  fake_.Clear();
  const std::string person = "491513410000";
  ASSERT_EQ(Post("whatsapp", Message("whatsapp", "Hallo", person))->status, 200);
  ASSERT_TRUE(Idle());
  EXPECT_EQ(RepliesTo(person).size(), 1u);
  EXPECT_EQ(fake_.max_mark_reads_at_once(), 1);  // it was sent
  EXPECT_EQ(fake_.max_calls_at_once(), 1);       // not beside the reply
}

// A clean stop (SIGTERM) sends what is due before it returns: every part of an answer whose
// first part is on its way, the replies waiting for a sender, and the mark-read calls. Before,
// the senders stopped after their current call, and the rest of a three-part emergency answer
// went out only after the next start.
TEST_F(GatewayE2ETest, AStopSendsEveryReplyAndMarkReadThatIsDueBeforeItReturns) {
  RestartAgainstASlowPlatform(2, OutboxOptions{}.max_ready_in_memory,
                              std::chrono::milliseconds(300));
  fake_.Clear();
  ASSERT_EQ(Post("whatsapp", Message("whatsapp", "Notruf", "491513500000"))->status, 200);
  PostHallos(2, "49151351000");
  gateway_->Stop();
  EXPECT_EQ(RepliesTo("491513500000").size(), 3u);  // the emergency answer's three parts
  EXPECT_EQ(RepliesTo("491513510000").size(), 1u);
  EXPECT_EQ(RepliesTo("491513510001").size(), 1u);
  int marked = 0;
  for (auto& r : fake_.Accepted()) marked += r.kind == "mark_read";
  EXPECT_EQ(marked, 3);
  auto counts = delivery_->Counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts.value().pending, 0);
  EXPECT_EQ(counts.value().inflight, 0);
  EXPECT_EQ(counts.value().sent, 5);
}

// Sender threads start when the load needs them: messages answered one after another need
// one or two (a message's reply and its mark-read call go out one after the other), not
// all 256.
TEST_F(GatewayE2ETest, SenderThreadsStartOnlyWhenTheLoadNeedsThem) {
  ASSERT_EQ(senders_, 256);
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(
        Post("whatsapp", Message("whatsapp", "Hallo", "49151310000" + std::to_string(i)))->status,
        200);
    ASSERT_TRUE(Idle());
  }
  EXPECT_EQ(RepliesTo("491513100009").size(), 1u);
  const long threads = MetricsGauge("wache_sender_threads");
  EXPECT_GE(threads, 1);
  EXPECT_LE(threads, 4);
}

TEST_F(GatewayE2ETest, ADuplicateStormGetsOneAnswer) {
  const std::string body = Message("whatsapp", "Hallo", "4915177777777");
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 5; ++j) {
        auto res = Post("whatsapp", body);
        if (res && res->status == 200) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 40);  // every copy is acknowledged, so the platform stops retrying
  ASSERT_TRUE(Idle());
  EXPECT_EQ(RepliesTo("4915177777777").size(), 1u);
  EXPECT_EQ(gateway_->metrics().Get("wache_messages_duplicate_total", {{"platform", "whatsapp"}}),
            39);
}

TEST_F(GatewayE2ETest, RepliesAreRetriedThroughServerErrorsAndRateLimitsAndSentOnce) {
  fake_.InjectFaults("whatsapp",
                     {testing::Fault::ServerError(), testing::Fault::GraphError(400, 130429),
                      testing::Fault::GraphError(400, 131056)});
  fake_.InjectFaults("x", {testing::Fault::XRateLimited(Now() + 1), testing::Fault::ServerError()});
  ASSERT_EQ(Post("whatsapp", Message("whatsapp", "Notruf", "4915188888888"))->status, 200);
  ASSERT_EQ(Post("x", Message("x", "Notruf", "8201"))->status, 200);
  ASSERT_TRUE(Idle());
  // Every reply of the emergency answer arrived exactly once, in order, after the faults.
  auto wa = RepliesTo("4915188888888");
  auto x = RepliesTo("8201");
  std::vector<std::string> wa_texts, x_texts;
  for (auto& r : wa) wa_texts.push_back(TextOf(r));
  for (auto& r : x) x_texts.push_back(TextOf(r));
  ASSERT_EQ(wa_texts.size(), 3u);
  EXPECT_NE(wa_texts[0].find("110"), std::string::npos);
  EXPECT_EQ(std::set<std::string>(wa_texts.begin(), wa_texts.end()).size(), 3u);
  EXPECT_EQ(x_texts, wa_texts);
  int faulted = 0;
  for (auto& r : fake_.Requests()) faulted += r.status >= 400;
  EXPECT_EQ(faulted, 5);  // every injected fault was met (one of them by the mark-read call)
  EXPECT_EQ(gateway_->metrics().Get("wache_mark_reads_total",
                                    {{"outcome", "failed"}, {"platform", "whatsapp"}}),
            1);  // not retried, but counted
  EXPECT_GE(gateway_->metrics().Total("wache_replies_retried_total"), 4);
  EXPECT_EQ(gateway_->metrics().Total("wache_replies_dead_total"), 0);
}

TEST_F(GatewayE2ETest, PermanentErrorsAreDeadLetteredAndOutagesEndAfterMaxAttempts) {
  // The window is closed for this person: permanent, no retry.
  fake_.InjectFaults("messenger", {testing::Fault::GraphError(400, 10, 2018278)});
  ASSERT_EQ(Post("messenger", Message("messenger", "Danke", "7301"))->status, 200);
  ASSERT_TRUE(Idle());
  EXPECT_EQ(gateway_->metrics().Get("wache_replies_dead_total",
                                    {{"platform", "messenger"}, {"reason", "permanent"}}),
            1);
  // A platform that keeps failing: retried max_attempts (4) times, then dead, not forever.
  std::vector<testing::Fault> outage(10, testing::Fault::ServerError());
  fake_.InjectFaults("instagram", outage);
  ASSERT_EQ(Post("instagram", Message("instagram", "Danke", "7302"))->status, 200);
  ASSERT_TRUE(Idle());
  int attempts = 0;
  for (auto& r : fake_.Requests()) attempts += r.recipient == "7302";
  EXPECT_EQ(attempts, 4);
  EXPECT_EQ(gateway_->metrics().Get("wache_replies_dead_total",
                                    {{"platform", "instagram"}, {"reason", "attempts"}}),
            1);
}

TEST_F(GatewayE2ETest, RepliesToAMessageOlderThanTheWindowAreNotSentFreeForm) {
  ExampleMessage m;
  m.account_ref = kWhatsApp;
  m.sender = "4915199999999";
  m.message_id = "wamid.late";
  m.text = "Hallo";
  m.unix_seconds = Now() - 25 * 3600;  // delivered by a platform retry a day later
  ASSERT_EQ(Post("whatsapp", ExampleWebhookBody("whatsapp", m))->status, 200);
  ASSERT_TRUE(Idle());
  EXPECT_TRUE(RepliesTo("4915199999999").empty());
  EXPECT_EQ(gateway_->metrics().Get("wache_replies_dead_total",
                                    {{"platform", "whatsapp"}, {"reason", "window"}}),
            1);
}

TEST_F(GatewayE2ETest, ReadinessChecksTheStoreAndMetricsShowTheOutbox) {
  httplib::Client client("127.0.0.1", gateway_->port());
  auto ready = client.Get("/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200);
  ASSERT_EQ(Post("whatsapp", Message("whatsapp", "Danke", "4915100000042"))->status, 200);
  ASSERT_TRUE(Idle());
  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("wache_outbox_replies{state=\"sent\"} 1"), std::string::npos)
      << metrics->body;
  EXPECT_NE(metrics->body.find("wache_inbox_queue_depth 0"), std::string::npos);
}

TEST_F(GatewayE2ETest, WhatsAppStatusWebhooksUpdateTheStoredReply) {
  ASSERT_EQ(Post("whatsapp", Message("whatsapp", "Danke", "4915100000043"))->status, 200);
  ASSERT_TRUE(Idle());
  auto replies = RepliesTo("4915100000043");
  ASSERT_EQ(replies.size(), 1u);
  const std::string wamid = replies[0].platform_message_id;
  json status = {
      {"object", "whatsapp_business_account"},
      {"entry",
       json::array(
           {{{"id", "900"},
             {"changes",
              json::array(
                  {{{"field", "messages"},
                    {"value",
                     {{"messaging_product", "whatsapp"},
                      {"metadata", {{"phone_number_id", kWhatsApp}}},
                      {"statuses",
                       json::array({{{"id", wamid},
                                     {"status", "failed"},
                                     {"timestamp", std::to_string(Now())},
                                     {"recipient_id", "4915100000043"},
                                     {"errors", json::array({{{"code", 131047}}})}}})}}}}})}}})}};
  ASSERT_EQ(Post("whatsapp", status.dump())->status, 200);
  ASSERT_TRUE(Idle());
  SQLite::Database db((dir_ / "state.db").string());
  SQLite::Statement q(
      db, "SELECT platform_status, last_error FROM outbox WHERE platform_message_id = ?");
  q.bind(1, wamid);
  ASSERT_TRUE(q.executeStep());
  EXPECT_EQ(q.getColumn(0).getString(), "failed");
  EXPECT_NE(q.getColumn(1).getString().find("131047"), std::string::npos);
  EXPECT_EQ(gateway_->metrics().Total("wache_replies_failed_after_send_total"), 1);
  EXPECT_EQ(RepliesTo("4915100000043").size(), 1u);  // a status is never answered
}

class GatewayXQuickRepliesTest : public GatewayE2ETest {
 protected:
  void SetUp() override { StartAll("v1.1"); }
};

TEST_F(GatewayXQuickRepliesTest, XVersion11SendsSignedQuickRepliesAndTheTapComesBack) {
  ASSERT_EQ(Post("x", Message("x", "Ich möchte mich bewerben", "8101"))->status, 200);
  ASSERT_TRUE(Idle());
  auto first = RepliesTo("8101");
  ASSERT_EQ(first.size(), 1u) << (fake_.Requests().empty() ? "" : fake_.Requests().front().error);
  EXPECT_EQ(first[0].api, "x1.1");  // the fake verified the OAuth 1.0a signature
  const json& options =
      first[0].body["event"]["message_create"]["message_data"]["quick_reply"]["options"];
  ASSERT_GE(options.size(), 2u);
  std::string label = options[1]["label"], metadata = options[1]["metadata"];
  ASSERT_EQ(Post("x", Message("x", label, "8101", metadata))->status, 200);
  ASSERT_TRUE(Idle());
  auto all = RepliesTo("8101");
  ASSERT_GE(all.size(), 2u);
  EXPECT_EQ(TextOf(all[1]).find("nicht verstanden"), std::string::npos) << TextOf(all[1]);
}

TEST_F(GatewayE2ETest, ASendThatTimesOutIsRetriedAndDeliveredOnce) {
  // The fake answers only after 3 s; the gateway gives up after send_timeout_seconds (2).
  fake_.InjectFaults("messenger", {testing::Fault::Timeout(std::chrono::milliseconds(3000))});
  ASSERT_EQ(Post("messenger", Message("messenger", "Danke", "7401"))->status, 200);
  ASSERT_TRUE(Idle());
  EXPECT_EQ(RepliesTo("7401").size(), 1u);
  int tries = 0;
  for (auto& r : fake_.Requests()) tries += r.recipient == "7401";
  EXPECT_EQ(tries, 2);
  EXPECT_EQ(gateway_->metrics().Get("wache_replies_retried_total", {{"platform", "messenger"}}), 1);
  EXPECT_EQ(gateway_->metrics().Total("wache_replies_dead_total"), 0);
}

TEST_F(GatewayE2ETest, MetricsHaveTheWebhookToSendLatencyHistogram) {
  ASSERT_EQ(Post("whatsapp", Message("whatsapp", "Danke", "4915100000044"))->status, 200);
  ASSERT_EQ(Post("whatsapp", Message("whatsapp", "Notruf", "4915100000045"))->status, 200);
  ASSERT_TRUE(Idle());
  httplib::Client client("127.0.0.1", gateway_->port());
  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  const std::string& body = metrics->body;
  EXPECT_NE(body.find("# TYPE wache_webhook_to_send_seconds histogram"), std::string::npos);
  // One ordinary reply and three emergency replies, each observed once.
  EXPECT_NE(body.find("wache_webhook_to_send_seconds_count{emergency=\"no\",platform=\"whatsapp\"} "
                      "1\n"),
            std::string::npos)
      << body;
  EXPECT_NE(
      body.find("wache_webhook_to_send_seconds_bucket{emergency=\"yes\",platform=\"whatsapp\","
                "le=\"+Inf\"} 3\n"),
      std::string::npos)
      << body;
  // Sent within the test's 20 s, so every observation is in the 30 s bucket.
  EXPECT_EQ(gateway_->metrics().CountAtMost("wache_webhook_to_send_seconds",
                                            {{"emergency", "yes"}, {"platform", "whatsapp"}}, 30),
            3);
}

// Platform policies configured as an operator would: a WhatsApp template for replies outside
// the 24-hour window, strict pacing, and a small X budget with a reserve for emergencies.
class GatewayPolicyTest : public GatewayE2ETest {
 protected:
  void SetUp() override {
    StartAll("v2",
             "    window_template: { name: wache_follow_up, languages: [de, en] }\n"
             "    pacing: { messages: 1, minutes: 10 }\n",
             "    dm_budget: [{ messages: 4, minutes: 15 }]\n    emergency_reserve: 3\n");
  }
};

TEST_F(GatewayPolicyTest, OutsideTheWindowWhatsAppGetsTheTemplateOnceInsteadOfTheReplies) {
  ExampleMessage m;
  m.account_ref = kWhatsApp;
  m.sender = "4915199999990";
  m.message_id = "wamid.late-emergency";
  m.text = "Notruf";                   // three replies
  m.unix_seconds = Now() - 25 * 3600;  // delivered by a platform retry a day later
  ASSERT_EQ(Post("whatsapp", ExampleWebhookBody("whatsapp", m))->status, 200);
  ASSERT_TRUE(Idle());
  auto replies = RepliesTo("4915199999990");
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].kind, "template");  // the fake checked it against the spec
  EXPECT_EQ(replies[0].body["template"]["name"], "wache_follow_up");
  EXPECT_EQ(replies[0].body["template"]["language"]["code"], "de");
  EXPECT_EQ(gateway_->metrics().Get("wache_replies_dead_total",
                                    {{"platform", "whatsapp"}, {"reason", "window"}}),
            2);
}

TEST_F(GatewayPolicyTest, PacingHoldsASecondReplyToTheSamePersonButNeverAnEmergency) {
  // Pacing: 1 message per 10 minutes to one person. Wait until the first reply is recorded
  // as sent (the count pacing reads), not just until the fake API saw something (mark-read
  // calls arrive there too).
  ASSERT_EQ(Post("whatsapp", Message("whatsapp", "Danke", "4915100000050"))->status, 200);
  ASSERT_TRUE(WaitForMetric("wache_replies_sent_total", {{"platform", "whatsapp"}}, 1));
  ASSERT_EQ(Post("whatsapp", Message("whatsapp", "Danke", "4915100000050"))->status, 200);
  ASSERT_EQ(Post("whatsapp", Message("whatsapp", "Notruf", "4915100000050"))->status, 200);
  ASSERT_EQ(Post("whatsapp", Message("whatsapp", "Danke", "4915100000051"))->status, 200);
  // The emergency answer (3 messages) passes the held thanks of the same conversation; a
  // different person is not held either.
  ASSERT_TRUE(WaitForMetric("wache_replies_sent_total", {{"platform", "whatsapp"}}, 5));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // a wrongly sent one would show
  auto same = RepliesTo("4915100000050");
  ASSERT_EQ(same.size(), 4u);
  EXPECT_EQ(TextOf(same[0]), TextOf(RepliesTo("4915100000051")[0]));  // the first thanks
  EXPECT_NE(TextOf(same[1]).find("110"), std::string::npos);
  EXPECT_EQ(
      gateway_->metrics().Get("wache_emergency_replies_sent_total", {{"platform", "whatsapp"}}), 3);
  EXPECT_GE(gateway_->metrics().Get("wache_replies_held_total", {{"platform", "whatsapp"}}), 1);
}

// A stop sends what is due, but does not wait for a reply held until later: that one stays
// stored for the next start.
TEST_F(GatewayPolicyTest, AStopLeavesAHeldReplyStoredInsteadOfWaitingForIt) {
  ASSERT_EQ(Post("whatsapp", Message("whatsapp", "Danke", "4915100000060"))->status, 200);
  ASSERT_TRUE(WaitForMetric("wache_replies_sent_total", {{"platform", "whatsapp"}}, 1));
  ASSERT_EQ(Post("whatsapp", Message("whatsapp", "Danke", "4915100000060"))->status, 200);
  ASSERT_TRUE(WaitForMetric("wache_replies_held_total", {{"platform", "whatsapp"}}, 1));
  const auto before = std::chrono::steady_clock::now();
  gateway_->Stop();
  // Pacing holds it for 10 minutes; the stop's grace is 10 s and it must not use it up.
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(5));
  EXPECT_EQ(RepliesTo("4915100000060").size(), 1u);
  auto counts = delivery_->Counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts.value().pending, 1);
  EXPECT_EQ(counts.value().inflight, 0);
}

TEST_F(GatewayPolicyTest, TheXBudgetHoldsOrdinaryRepliesAndKeepsRoomForEmergencies) {
  // Budget 4 per 15 min, 3 kept for emergencies: one ordinary reply may go.
  // Wait until the first reply is recorded as sent: the budget counts the store.
  ASSERT_EQ(Post("x", Message("x", "Danke", "8301"))->status, 200);
  ASSERT_TRUE(WaitForMetric("wache_replies_sent_total", {{"platform", "x"}}, 1));
  ASSERT_EQ(Post("x", Message("x", "Danke", "8302"))->status, 200);
  ASSERT_EQ(Post("x", Message("x", "Notruf", "8303"))->status, 200);
  ASSERT_TRUE(WaitForMetric("wache_replies_sent_total", {{"platform", "x"}}, 4));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // a wrongly sent one would show
  EXPECT_EQ(RepliesTo("8301").size(), 1u);
  EXPECT_EQ(RepliesTo("8302").size(), 0u) << "held: the budget's rest is the emergency reserve";
  EXPECT_EQ(RepliesTo("8303").size(), 3u);
  EXPECT_GE(gateway_->metrics().Get("wache_replies_held_total", {{"platform", "x"}}), 1);
}

// A flood bigger than the in-memory queue: the messages wait in the durable inbox and are
// read back as the queue drains, each answered exactly once.
TEST_F(GatewayE2ETest, MessagesLeftInTheInboxBeyondTheMemoryBoundAreReadBackAndAnsweredOnce) {
  // Twelve messages a previous run accepted and did not handle; memory holds two at a time.
  LeaveUnhandled(std::vector<std::string>(12, "Hallo"), "4917600000");
  StartGateway(/*max_queued_messages=*/2);
  ASSERT_TRUE(WaitForMetric("wache_replies_sent_total", {{"platform", "whatsapp"}}, 12));
  ASSERT_TRUE(Idle());
  for (int i = 0; i < 12; ++i) {
    EXPECT_EQ(RepliesTo("4917600000" + std::to_string(i)).size(), 1u) << i;
  }
  EXPECT_GE(gateway_->metrics().Get("wache_messages_read_back_total", {}), 10);
  EXPECT_TRUE(delivery_->PendingInbound().value().empty());
}

TEST_F(GatewayE2ETest, AFloodOverHttpBeyondTheMemoryBoundIsAnsweredOnceEach) {
  gateway_->Stop();
  gateway_.reset();
  StartGateway(/*max_queued_messages=*/1);
  constexpr int kThreads = 4, kEach = 6;
  std::vector<std::thread> posters;
  std::atomic<int> ok{0};
  for (int t = 0; t < kThreads; ++t) {
    std::vector<std::string> bodies;  // built here: Message() is not thread-safe
    for (int i = 0; i < kEach; ++i) {
      bodies.push_back(
          Message("whatsapp", "Danke", "4917700000" + std::to_string(100 + t * kEach + i)));
    }
    posters.emplace_back([this, &ok, bodies] {
      for (const auto& b : bodies) {
        auto r = Post("whatsapp", b);
        if (r && r->status == 200) ++ok;
      }
    });
  }
  for (auto& p : posters) p.join();
  ASSERT_EQ(ok.load(), kThreads * kEach);
  ASSERT_TRUE(
      WaitForMetric("wache_replies_sent_total", {{"platform", "whatsapp"}}, kThreads * kEach));
  ASSERT_TRUE(Idle());
  for (int i = 0; i < kThreads * kEach; ++i) {
    EXPECT_EQ(RepliesTo("4917700000" + std::to_string(100 + i)).size(), 1u) << i;
  }
  // Whatever did not fit in memory was read back from the inbox, and nothing else.
  EXPECT_EQ(gateway_->metrics().Get("wache_messages_read_back_total", {}),
            gateway_->metrics().Get("wache_messages_spilled_total", {{"platform", "whatsapp"}}));
  EXPECT_TRUE(delivery_->PendingInbound().value().empty());
}

// Under a flood, "call 110" must not wait behind the backlog: the emergency goes to the
// front of the line, even while ordinary messages wait in the inbox only.
TEST_F(GatewayE2ETest, AnEmergencyDuringAFloodIsAnsweredBeforeTheBacklog) {
  constexpr int kBacklog = 300;
  LeaveUnhandled(std::vector<std::string>(kBacklog, "Wie lange dauert die Bewerbung?"),
                 "4917800000");
  StartGateway(/*max_queued_messages=*/20);
  auto r = Post("whatsapp",
                Message("whatsapp", "Hilfe, da ist ein Mann mit einem Messer", "4915900000001"));
  ASSERT_TRUE(r && r->status == 200);
  ASSERT_TRUE(WaitForMetric("wache_replies_sent_total", {{"platform", "whatsapp"}}, kBacklog + 3));
  // The position of the first emergency reply among everything sent.
  int position = -1, index = 0;
  for (const auto& req : fake_.Accepted()) {
    if (req.kind == "mark_read") continue;
    if (req.recipient == "4915900000001") {
      position = index;
      break;
    }
    ++index;
  }
  ASSERT_GE(position, 0);
  // Without the urgent lane it would come after most of the 300 (it arrived last); a few
  // replies may be on the wire or handled before it is accepted.
  EXPECT_LT(position, 60) << "the emergency reply was number " << position;
  EXPECT_EQ(gateway_->metrics().Get("wache_messages_urgent_lane_total", {{"platform", "whatsapp"}}),
            1);
}

}  // namespace
}  // namespace wache::webhook
