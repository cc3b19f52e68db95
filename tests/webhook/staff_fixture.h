// The fixture of the hand-over and staff API tests: the real gateway (server on port 0,
// dispatcher, engine with the shipped flows, a real SQLite file with the hand-over store)
// against the fake platform API, with a clock the test moves (idle release, windows).
// Like tests/webhook/gateway_e2e_test.cc, with four accounts in three stations: wa
// (WhatsApp, station karriere), fb and ig (Messenger and Instagram, station koeln) and xx
// (X API v2, station dortmund); and four staff members with tokens in files:
//   Anna (agent, koeln), Dirk (agent, dortmund), Klaus (supervisor, koeln), Sabine
//   (supervisor, all).
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "bot/accounts.h"
#include "bot/playbook.h"
#include "store/sqlite_delivery_store.h"
#include "store/sqlite_handover_store.h"
#include "store/sqlite_state_store.h"
#include "tests/support/fake_platform_api.h"
#include "webhook/example_payloads.h"
#include "webhook/gateway.h"
#include "webhook/http_client.h"
#include "webhook/staff/staff_config.h"

namespace wache::webhook {

// A plain TCP connection to the local server (no HTTP client in between, so tests decide
// every byte and when the connection closes). -1 if it cannot connect.
inline int ConnectToLocalPort(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// A clock the test moves; read by the gateway's threads at the same time (hence atomic).
// Starts at the real time, so the platforms' timestamps look current.
class ManualClock final : public bot::Clock {
 public:
  ManualClock() : now_(bot::SystemClock().Now().time_since_epoch().count()) {}
  bot::TimePoint Now() const override { return bot::TimePoint(std::chrono::seconds(now_.load())); }
  void Advance(std::chrono::seconds by) { now_ += by.count(); }
  int64_t UnixSeconds() const { return now_.load(); }

 private:
  std::atomic<int64_t> now_;
};

struct StaffFixtureOptions {
  std::string server_extra;   // more `server:` keys, e.g. "handover_idle_minutes: 30, "
  std::string config_extra;   // more top-level sections (e.g. staff:)
  std::string fallback_flow;  // replaces flows/fallback.yaml ("" = the shipped one)
  std::chrono::milliseconds release_period = std::chrono::hours(1);
  std::map<std::string, std::string> files;  // more files in the test folder (tokens)
};

class StaffGatewayTest : public ::testing::Test {
 protected:
  static constexpr char kAppSecret[] = "test-app-secret";
  static constexpr char kConsumerSecret[] = "test-consumer-secret";
  static constexpr char kWhatsApp[] = "100000000000001";
  static constexpr char kPage[] = "200000000000002";
  static constexpr char kInstagram[] = "17841400000000003";
  static constexpr char kXUser[] = "1400000000000000004";
  static constexpr char kAnna[] = "anna-0123456789abcdef0123456789ab";
  static constexpr char kDirk[] = "dirk-0123456789abcdef0123456789ab";
  static constexpr char kKlaus[] = "klaus-0123456789abcdef0123456789a";
  static constexpr char kSabine[] = "sabine-0123456789abcdef012345678";

  void TearDown() override {
    if (gateway_) gateway_->Stop();
    gateway_.reset();
    fake_.Stop();
    std::filesystem::remove_all(dir_);
  }

  void Start(const StaffFixtureOptions& o = {}) {
    namespace fs = std::filesystem;
    ASSERT_TRUE(fake_.Start());
    fake_.AddWhatsAppNumber(kWhatsApp, "wa-token");
    fake_.AddMessengerPage(kPage, "fb-token");
    fake_.AddInstagramAccount(kInstagram, "ig-token");
    fake_.AddXUser(kXUser, "x-token");
    dir_ = fs::temp_directory_path() /
           ("wache-staff-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto write = [&](const std::string& name, const std::string& text) {
      std::ofstream(dir_ / name) << text << "\n";
    };
    write("app_secret", kAppSecret);
    write("verify_token", "test-verify-token");
    write("consumer_secret", kConsumerSecret);
    for (auto [name, token] : {std::pair{"wa_token", "wa-token"},
                               {"fb_token", "fb-token"},
                               {"ig_token", "ig-token"},
                               {"x_token", "x-token"}}) {
      write(name, token);
    }
    for (auto [name, token] : {std::pair{"anna_token", kAnna},
                               {"dirk_token", kDirk},
                               {"klaus_token", kKlaus},
                               {"sabine_token", kSabine}}) {
      write(name, token);
    }
    for (const auto& [name, text] : o.files) write(name, text);
    const std::string src = WACHE_SOURCE_DIR;
    std::string flows = src + "/flows";
    if (!o.fallback_flow.empty()) {
      fs::copy(flows, dir_ / "flows");
      write("flows/fallback.yaml", o.fallback_flow);
      flows = (dir_ / "flows").string();
    }
    const std::string meta =
        "    app_secret: { file: app_secret }\n"
        "    verify_token: { file: verify_token }\n"
        "    api_base_url: " +
        fake_.base_url() + "\n    api_version: v23.0\n";
    std::string config =
        "flows: " + flows + "\ntemplates: " + src + "/templates\n" +
        "server: { host: 127.0.0.1, port: 0, workers: 2, send_timeout_seconds: 2, " +
        o.server_extra + "retention_days: 0 }\n" + "platforms:\n  whatsapp:\n" + meta +
        "    pacing: off\n  messenger:\n" + meta + "  instagram:\n" + meta +
        "  x:\n    consumer_secret: { file: consumer_secret }\n    api_base_url: " +
        fake_.base_url() + "\n    send_api: v2\n    dm_budget: off\n" +
        "defaults:\n  language: de\n  variables:\n"
        "    station_name: Polizei Test\n    emergency_number: \"110\"\n"
        "    fire_medical_number: \"112\"\n    crisis_line_name: TelefonSeelsorge\n"
        "    crisis_line: \"0800 111 0 111\"\n    women_helpline: \"116 016\"\n"
        "    online_station_url: https://internetwache.polizei.nrw\n"
        "    recruiting_url: https://www.genau-mein-fall.de\n"
        "    recruiting_portal_url: https://jobs.polizei.nrw\n"
        "    recruiting_contact: \"0251 7795-5353\"\n    office_hours: \"07:30–16:00\"\n"
        "stations:\n  karriere: { name: Polizei NRW Karriere }\n"
        "  koeln: { name: Polizei Köln }\n  dortmund: { name: Polizei Dortmund }\n"
        "accounts:\n"
        "  - { id: wa, station: karriere, platform: whatsapp, platform_id: \"" +
        kWhatsApp +
        "\", credentials: { access_token: { file: wa_token } } }\n"
        "  - { id: fb, station: koeln, platform: messenger, platform_id: \"" +
        kPage +
        "\", credentials: { access_token: { file: fb_token } } }\n"
        "  - { id: ig, station: koeln, platform: instagram, platform_id: \"" +
        kInstagram +
        "\", credentials: { access_token: { file: ig_token } } }\n"
        "  - { id: xx, station: dortmund, platform: x, platform_id: \"" +
        kXUser + "\", credentials: { access_token: { file: x_token } } }\n" +
        "staff:\n"
        "  - { name: \"Anna (Köln)\", token: { file: anna_token }, role: agent, "
        "stations: [koeln] }\n"
        "  - { name: Dirk, token: { file: dirk_token }, role: agent, stations: [dortmund] }\n"
        "  - { name: Klaus, token: { file: klaus_token }, role: supervisor, stations: [koeln] }\n"
        "  - { name: Sabine, token: { env: WACHE_TEST_NO_SUCH_VARIABLE, file: sabine_token }, "
        "role: supervisor, stations: [all] }\n" +
        o.config_extra;
    write("wache.yaml", config);
    config_path_ = (dir_ / "wache.yaml").string();
    config_ = bot::LoadConfig(config_path_, diags_);
    webhook_ = LoadWebhookConfig(config_path_, config_, diags_);
    options_.staff = staff::LoadStaffConfig(config_path_, config_, diags_);
    playbook_ = bot::Playbook::Load(config_.flows_dir, config_.templates_dir, diags_);
    ASSERT_FALSE(diags_.has_errors()) << diags_.Format();
    const std::string db = (dir_ / "state.db").string();
    // One connection for the three stores, as `wache serve` opens them.
    auto database = store::OpenConnection(db);
    state_ = store::SqliteStateStore::OpenOn(database);
    delivery_ = std::move(store::SqliteDeliveryStore::OpenOn(database)).value();
    handovers_ = store::SqliteHandoverStore::OpenOn(database);
    options_.port = 0;
    options_.console = &console_;
    options_.outbox.retry_base = std::chrono::seconds(1);
    options_.outbox.retry_max = std::chrono::seconds(2);
    options_.handover_release_period = o.release_period;
    BeforeStart();
    auto g = Gateway::Start(config_, webhook_, playbook_, *state_, *delivery_, *handovers_, clock_,
                            http_, options_);
    ASSERT_TRUE(g.ok()) << g.status().message();
    gateway_ = std::move(g).value();
  }

  // Last changes to the options (and checks of the config) before the gateway starts.
  virtual void BeforeStart() {}

  static std::string AccountRef(const std::string& platform) {
    return platform == "whatsapp"    ? kWhatsApp
           : platform == "messenger" ? kPage
           : platform == "instagram" ? kInstagram
                                     : kXUser;
  }
  static std::string AccountId(const std::string& platform) {
    return platform == "whatsapp"    ? "wa"
           : platform == "messenger" ? "fb"
           : platform == "instagram" ? "ig"
                                     : "xx";
  }

  // Delivers one signed message, sent `age` before the clock's now, and waits until it is
  // handled and its replies are sent.
  void Send(const std::string& platform, const std::string& sender, const std::string& text,
            std::chrono::seconds age = std::chrono::seconds(0)) {
    ExampleMessage m;
    m.account_ref = AccountRef(platform);
    m.sender = sender;
    m.message_id = platform + "-msg-" + std::to_string(++next_id_);
    m.text = text;
    m.unix_seconds = clock_.UnixSeconds() - age.count();
    const std::string body = ExampleWebhookBody(platform, m);
    httplib::Client client("127.0.0.1", gateway_->port());
    auto [name, value] =
        SignatureHeader(platform, platform == "x" ? kConsumerSecret : kAppSecret, body);
    auto res = client.Post(("/webhook/" + platform).c_str(), httplib::Headers{{name, value}}, body,
                           "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200);
    ASSERT_TRUE(Idle());
  }

  bool Idle() { return gateway_->WaitIdle(std::chrono::seconds(20)); }

  // A staff API call with `token` ("" = no Authorization header) and a JSON body for POSTs.
  struct ApiAnswer {
    int status = 0;
    nlohmann::json body;
    httplib::Headers headers;
  };
  ApiAnswer Api(const std::string& method, const std::string& path, const std::string& token,
                const std::string& body = "") {
    httplib::Client client("127.0.0.1", gateway_->port());
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    httplib::Result res = method == "GET"
                              ? client.Get(path.c_str(), headers)
                              : client.Post(path.c_str(), headers, body, "application/json");
    EXPECT_TRUE(res) << method << " " << path;
    if (!res) return {};
    ApiAnswer a{res->status, nlohmann::json::parse(res->body, nullptr, false), res->headers};
    EXPECT_FALSE(a.body.is_discarded()) << res->body;
    return a;
  }

  // Accepted send requests (not mark-read) for `recipient`.
  std::vector<testing::RecordedRequest> RepliesTo(const std::string& recipient) {
    std::vector<testing::RecordedRequest> out;
    for (auto& r : fake_.Accepted()) {
      if (r.recipient == recipient && r.kind != "mark_read") out.push_back(r);
    }
    return out;
  }

  static std::string TextOf(const testing::RecordedRequest& r) {
    const nlohmann::json& b = r.body;
    if (b.contains("text") && b["text"].is_object()) return b["text"].value("body", "");
    if (b.contains("interactive")) return b["interactive"]["body"].value("text", "");
    if (b.contains("message")) return b["message"].value("text", "");
    return b.value("text", "");
  }

  std::optional<staff::Handover> OpenHandover(const std::string& platform,
                                              const std::string& sender) {
    auto h = handovers_->FindOpen(platform, AccountId(platform), sender);
    EXPECT_TRUE(h.ok()) << h.status().message();
    return h.ok() ? h.value() : std::nullopt;
  }

  std::vector<staff::AuditEntry> Audit() {
    auto a = handovers_->ListAudit({}, 1000);
    EXPECT_TRUE(a.ok());
    return a.ok() ? a.value() : std::vector<staff::AuditEntry>{};
  }

  // Opens a hand-over the way people do: "Hallo", then "3" (the greeting menu's "something
  // else", a hand-over step).
  void HandOver(const std::string& platform, const std::string& sender) {
    Send(platform, sender, "Hallo");
    Send(platform, sender, "3");
    ASSERT_TRUE(OpenHandover(platform, sender).has_value()) << "no hand-over opened";
  }

  testing::FakePlatformApi fake_;
  std::filesystem::path dir_;
  std::string config_path_;
  bot::Diagnostics diags_;
  bot::GatewayConfig config_;
  WebhookConfig webhook_;
  std::shared_ptr<const bot::Playbook> playbook_;
  std::unique_ptr<store::SqliteStateStore> state_;
  std::unique_ptr<store::SqliteDeliveryStore> delivery_;
  std::unique_ptr<store::SqliteHandoverStore> handovers_;
  ManualClock clock_;
  HttplibClient http_;
  std::ostringstream console_;
  GatewayOptions options_;
  std::unique_ptr<Gateway> gateway_;
  int next_id_ = 0;
};

}  // namespace wache::webhook
