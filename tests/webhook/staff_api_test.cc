// The staff API driven from outside, over HTTP, with good and bad tokens: authentication
// (no token, a wrong one), stations and roles, replies that arrive at the platform (inside
// the window, refused outside it, with HUMAN_AGENT after 24 hours on Messenger and
// Instagram), release and close, and the audit log (every action, never a text).
#include <gtest/gtest.h>

#include "tests/webhook/staff_fixture.h"

namespace wache::webhook {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class StaffApiTest : public StaffGatewayTest {
 protected:
  void SetUp() override { Start(); }

  // Hands a conversation over and returns its id.
  int64_t Waiting(const std::string& platform, const std::string& sender,
                  std::chrono::seconds age = 0s) {
    Send(platform, sender, "Hallo", age);
    Send(platform, sender, "3", age);
    auto h = OpenHandover(platform, sender);
    EXPECT_TRUE(h.has_value());
    return h ? h->id : 0;
  }

  static std::string Conv(int64_t id, const std::string& action = "") {
    return "/staff/api/conversations/" + std::to_string(id) + (action.empty() ? "" : "/" + action);
  }

  static std::string Reply(const std::string& text) { return json{{"text", text}}.dump(); }

  std::vector<std::string> Ids(const json& list) {
    std::vector<std::string> out;
    for (const auto& c : list["conversations"]) out.push_back(std::to_string(c["id"].get<int>()));
    return out;
  }
};

TEST_F(StaffApiTest, WithoutATokenEverythingIs401AndNothingHappens) {
  const int64_t id = Waiting("messenger", "7001");
  fake_.Clear();
  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/staff/api/me"},
           {"GET", "/staff/api/conversations"},
           {"GET", Conv(id)},
           {"POST", Conv(id, "take")},
           {"POST", Conv(id, "reply")},
           {"POST", Conv(id, "close")},
           {"GET", "/staff/api/audit"},
           {"GET", "/staff/api/no/such/path"},  // no hint which paths exist
       }) {
    auto a = Api(method, path, "", Reply("Hallo"));
    EXPECT_EQ(a.status, 401) << method << " " << path;
    EXPECT_TRUE(a.headers.count("WWW-Authenticate")) << path;
    EXPECT_EQ(a.headers.find("WWW-Authenticate")->second.rfind("Bearer", 0), 0u);
  }
  ASSERT_TRUE(Idle());
  EXPECT_TRUE(RepliesTo("7001").empty());
  EXPECT_EQ(OpenHandover("messenger", "7001")->state, staff::HandoverState::kWaiting);
  EXPECT_EQ(Audit().size(), 1u) << "only the opening";
}

TEST_F(StaffApiTest, AWrongTokenIs401) {
  Waiting("messenger", "7001");
  for (const std::string& token :
       {std::string("not-a-token-at-all-0000000000000"), std::string(kAnna) + "x",
        std::string(kAnna).substr(1), std::string("anna")}) {
    EXPECT_EQ(Api("GET", "/staff/api/conversations", token).status, 401) << token;
  }
  // Another scheme, or the token without one.
  httplib::Client client("127.0.0.1", gateway_->port());
  auto basic = client.Get("/staff/api/me", {{"Authorization", std::string("Basic ") + kAnna}});
  EXPECT_EQ(basic->status, 401);
  auto bare = client.Get("/staff/api/me", {{"Authorization", kAnna}});
  EXPECT_EQ(bare->status, 401);
  // The scheme's case does not matter (RFC 9110).
  auto lower = client.Get("/staff/api/me", {{"Authorization", std::string("bearer ") + kAnna}});
  EXPECT_EQ(lower->status, 200);
  EXPECT_EQ(gateway_->metrics().Get("wache_staff_api_requests_total", {{"status", "401"}}), 6);
}

// The count `wache serve` logs at start follows the staff list in use, also after a reload.
TEST_F(StaffApiTest, TheGatewayCountsTheStaffWhoCanSignInNowAlsoAfterAReload) {
  EXPECT_EQ(gateway_->StaffWhoCanSignIn(), 4u);
  staff::StaffConfig fewer = options_.staff;
  fewer.members.resize(1);  // Anna only
  auto directory = staff::StaffDirectory::Build(fewer);
  ASSERT_TRUE(directory.ok()) << directory.status().message();
  gateway_->SetStaff(std::move(directory).value());
  EXPECT_EQ(gateway_->StaffWhoCanSignIn(), 1u);
  EXPECT_EQ(Api("GET", "/staff/api/me", kDirk).status, 401);
}

TEST_F(StaffApiTest, MeTellsNameRoleAndStations) {
  auto anna = Api("GET", "/staff/api/me", kAnna);
  ASSERT_EQ(anna.status, 200);
  EXPECT_EQ(anna.body["name"], "Anna (Köln)");
  EXPECT_EQ(anna.body["role"], "agent");
  EXPECT_EQ(anna.body["stations"], json::array({"koeln"}));
  auto sabine = Api("GET", "/staff/api/me", kSabine);
  EXPECT_EQ(sabine.body["role"], "supervisor");
  EXPECT_EQ(sabine.body["stations"], "all");
  // The names for the inbox's station filter: one's own stations, or every one for "all".
  EXPECT_EQ(anna.body["station_names"], json({{"koeln", "Polizei Köln"}}));
  EXPECT_EQ(sabine.body["station_names"].size(), 3u);
  EXPECT_EQ(sabine.body["station_names"]["dortmund"], "Polizei Dortmund");
}

TEST_F(StaffApiTest, AnAgentSeesAndActsOnlyOnTheirStations) {
  const int64_t koeln = Waiting("messenger", "7001");
  const int64_t koeln_ig = Waiting("instagram", "9001");
  const int64_t dortmund = Waiting("x", "8001");

  auto list = Api("GET", "/staff/api/conversations", kAnna);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(Ids(list.body),
            (std::vector<std::string>{std::to_string(koeln), std::to_string(koeln_ig)}));
  EXPECT_EQ(Ids(Api("GET", "/staff/api/conversations", kDirk).body),
            (std::vector<std::string>{std::to_string(dortmund)}));
  EXPECT_EQ(Ids(Api("GET", "/staff/api/conversations", kSabine).body).size(), 3u);

  // Another station: refused, and each refusal is audited.
  EXPECT_EQ(Api("GET", "/staff/api/conversations?station=dortmund", kAnna).status, 403);
  EXPECT_EQ(Api("GET", Conv(dortmund), kAnna).status, 403);
  EXPECT_EQ(Api("POST", Conv(dortmund, "take"), kAnna).status, 403);
  EXPECT_EQ(Api("POST", Conv(dortmund, "reply"), kAnna, Reply("Hallo aus Köln")).status, 403);
  EXPECT_EQ(Api("POST", Conv(dortmund, "close"), kAnna).status, 403);
  EXPECT_EQ(Api("GET", Conv(koeln), kDirk).status, 403);
  ASSERT_TRUE(Idle());
  fake_.Clear();
  ASSERT_TRUE(Idle());
  EXPECT_TRUE(RepliesTo("8001").empty());
  EXPECT_EQ(OpenHandover("x", "8001")->state, staff::HandoverState::kWaiting);
  int denied = 0;
  for (const auto& e : Audit()) {
    if (e.action != "denied") continue;
    ++denied;
    EXPECT_TRUE(e.staff == "Anna (Köln)" || e.staff == "Dirk") << e.staff;
    EXPECT_EQ(e.detail.find("Hallo aus Köln"), std::string::npos) << e.detail;
  }
  EXPECT_EQ(denied, 6);
  // Unknown conversations are 404 for everyone.
  EXPECT_EQ(Api("GET", Conv(999), kSabine).status, 404);
  EXPECT_EQ(Api("POST", Conv(999, "take"), kAnna).status, 404);
}

TEST_F(StaffApiTest, ListsShowAPseudonymNotThePersonsId) {
  Waiting("whatsapp", "4915112345678");
  auto list = Api("GET", "/staff/api/conversations", kSabine);
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.body["conversations"].size(), 1u);
  const json& c = list.body["conversations"][0];
  EXPECT_EQ(list.body.dump().find("4915112345678"), std::string::npos) << list.body.dump();
  EXPECT_EQ(c["person"], gateway_->pseudonym()("4915112345678"));
  EXPECT_EQ(c["platform"], "whatsapp");
  EXPECT_EQ(c["station"], "karriere");
  EXPECT_EQ(c["state"], "waiting");
  EXPECT_EQ(c["urgent"], false);
  EXPECT_EQ(c["reason"], "flow:greeting");
  EXPECT_TRUE(c["assignee"].is_null());
  EXPECT_TRUE(c["reply_window"]["open"].get<bool>());
  const int64_t left = c["reply_window"]["seconds_left"];
  EXPECT_GT(left, 24 * 3600 - 60);
  EXPECT_LE(left, 24 * 3600);
}

TEST_F(StaffApiTest, OnlySupervisorsReadTheAuditLogOfTheirStations) {
  const int64_t koeln = Waiting("messenger", "7001");
  const int64_t dortmund = Waiting("x", "8001");
  auto agent = Api("GET", "/staff/api/audit", kAnna);
  EXPECT_EQ(agent.status, 403);
  auto klaus = Api("GET", "/staff/api/audit", kKlaus);
  ASSERT_EQ(klaus.status, 200);
  std::set<int64_t> seen;
  for (const auto& e : klaus.body["entries"]) {
    EXPECT_EQ(e["station"], "koeln") << e.dump();
    if (!e["conversation"].is_null()) seen.insert(e["conversation"].get<int64_t>());
  }
  EXPECT_TRUE(seen.count(koeln));
  EXPECT_FALSE(seen.count(dortmund));
  // Anna's refused look at the audit log is in it, under her station.
  EXPECT_EQ(klaus.body["entries"][0]["action"], "denied");
  EXPECT_EQ(klaus.body["entries"][0]["staff"], "Anna (Köln)");
  auto sabine = Api("GET", "/staff/api/audit?limit=2", kSabine);
  ASSERT_EQ(sabine.status, 200);
  EXPECT_EQ(sabine.body["entries"].size(), 2u);
}

TEST_F(StaffApiTest, AStaffReplyArrivesAtThePlatformAndTheTranscriptShowsWhoSaidWhat) {
  const int64_t id = Waiting("messenger", "7001");
  Send("messenger", "7001", "Ich wurde gestern bedroht und brauche Rat");
  fake_.Clear();

  auto view = Api("GET", Conv(id), kAnna);
  ASSERT_EQ(view.status, 200);
  const json& t = view.body["transcript"];
  ASSERT_EQ(t.size(), 5u) << t.dump();
  EXPECT_EQ(t[0]["who"], "person");
  EXPECT_EQ(t[0]["text"], "Hallo");
  EXPECT_EQ(t[1]["who"], "bot");
  EXPECT_EQ(t[1]["template"], "greeting.menu");
  EXPECT_EQ(t[1]["flow"], "greeting");
  EXPECT_EQ(view.body["station_name"], "Polizei Köln");
  EXPECT_EQ(t[1]["status"], "sent");
  EXPECT_EQ(t[3]["template"], "menu.other");
  EXPECT_FALSE(t[0].contains("flow")) << "the person's messages have none";
  EXPECT_EQ(t[4]["text"], "Ich wurde gestern bedroht und brauche Rat");
  EXPECT_EQ(view.body.dump().find("\"7001\""), std::string::npos) << "no platform id";

  auto sent = Api("POST", Conv(id, "reply"), kAnna,
                  Reply("Guten Tag, hier ist Anna von der Polizei Köln. Wie kann ich helfen?"));
  ASSERT_EQ(sent.status, 202) << sent.body.dump();
  EXPECT_GT(sent.body["outbox_id"].get<int64_t>(), 0);
  EXPECT_EQ(sent.body["human_agent_tag"], false);
  ASSERT_TRUE(Idle());
  auto replies = RepliesTo("7001");
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(TextOf(replies[0]),
            "Guten Tag, hier ist Anna von der Polizei Köln. Wie kann ich helfen?");
  EXPECT_EQ(replies[0].body["messaging_type"], "RESPONSE");
  EXPECT_FALSE(replies[0].body.contains("tag"));

  auto h = OpenHandover("messenger", "7001");
  EXPECT_EQ(h->state, staff::HandoverState::kInProgress);
  EXPECT_EQ(h->assignee, "Anna (Köln)");
  auto again = Api("GET", Conv(id), kKlaus);
  EXPECT_EQ(again.body["transcript"].back()["who"], "staff");
  EXPECT_EQ(again.body["transcript"].back()["staff"], "Anna (Köln)");
  EXPECT_EQ(again.body["transcript"].back()["status"], "sent");
  EXPECT_EQ(again.body["assignee"], "Anna (Köln)");
  EXPECT_EQ(again.body["state"], "in_progress");
  EXPECT_EQ(gateway_->metrics().Get("wache_staff_replies_total", {{"platform", "messenger"}}), 1);

  // The person answers: still with staff, the bot stays silent.
  fake_.Clear();
  Send("messenger", "7001", "Danke, das war gestern Abend am Bahnhof");
  EXPECT_TRUE(RepliesTo("7001").empty());
}

TEST_F(StaffApiTest, AReplyThatWasNotDeliveredSaysWhyWithoutItsText) {
  const int64_t id = Waiting("messenger", "7001");
  ASSERT_TRUE(Idle());
  fake_.InjectFaults("messenger", {testing::Fault::GraphError(400, 551)});
  ASSERT_EQ(Api("POST", Conv(id, "reply"), kAnna, Reply("Rückruf morgen um 9 Uhr")).status, 202);
  ASSERT_TRUE(Idle());
  auto view = Api("GET", Conv(id), kAnna);
  ASSERT_EQ(view.status, 200);
  const json& dead = view.body["transcript"].back();
  EXPECT_EQ(dead["who"], "staff");
  EXPECT_EQ(dead["status"], "dead");
  ASSERT_TRUE(dead.contains("reason")) << dead.dump();
  const std::string reason = dead["reason"];
  EXPECT_EQ(reason, "recipient cannot be reached (551)");
  EXPECT_EQ(reason.find("Rückruf"), std::string::npos);
  // Delivered replies carry no reason.
  for (const auto& e : view.body["transcript"]) {
    if (e.value("status", "") == "sent") {
      EXPECT_FALSE(e.contains("reason")) << e.dump();
    }
  }
}

TEST_F(StaffApiTest, OutsideThePlatformsWindowAReplyIs409) {
  // WhatsApp: 24 hours.
  const int64_t wa = Waiting("whatsapp", "4915100000009", 25h);
  auto refused = Api("POST", Conv(wa, "reply"), kSabine, Reply("Entschuldigung für die Wartezeit"));
  EXPECT_EQ(refused.status, 409) << refused.body.dump();
  EXPECT_NE(refused.body["error"].get<std::string>().find("24 hours"), std::string::npos);
  // Messenger: 7 days with the HUMAN_AGENT tag, and not a day longer.
  const int64_t fb = Waiting("messenger", "7009", 24h * 8);
  EXPECT_EQ(Api("POST", Conv(fb, "reply"), kAnna, Reply("Hallo")).status, 409);
  auto list = Api("GET", "/staff/api/conversations", kSabine);
  for (const auto& c : list.body["conversations"]) {
    EXPECT_FALSE(c["reply_window"]["open"].get<bool>()) << c.dump();
    EXPECT_EQ(c["reply_window"]["seconds_left"], 0);
  }
  ASSERT_TRUE(Idle());
  for (const auto& r : fake_.Accepted()) {
    EXPECT_EQ(TextOf(r).find("Wartezeit"), std::string::npos);
  }
  // X has no window.
  const int64_t x = Waiting("x", "8009", 24h * 30);
  EXPECT_EQ(Api("POST", Conv(x, "reply"), kDirk, Reply("Hallo")).status, 202);
}

TEST_F(StaffApiTest, MessengerAndInstagramRepliesAfter24HoursCarryTheHumanAgentTag) {
  const int64_t fb = Waiting("messenger", "7010", 30h);
  const int64_t ig = Waiting("instagram", "9010", 6 * 24h);
  fake_.Clear();
  auto list = Api("GET", "/staff/api/conversations", kAnna);
  for (const auto& c : list.body["conversations"]) {
    EXPECT_TRUE(c["reply_window"]["open"].get<bool>());
    EXPECT_TRUE(c["reply_window"]["human_agent_tag"].get<bool>());
  }
  auto a = Api("POST", Conv(fb, "reply"), kAnna, Reply("Entschuldigung, wir melden uns jetzt."));
  ASSERT_EQ(a.status, 202) << a.body.dump();
  EXPECT_EQ(a.body["human_agent_tag"], true);
  ASSERT_EQ(Api("POST", Conv(ig, "reply"), kAnna, Reply("Hallo aus Köln")).status, 202);
  ASSERT_TRUE(Idle());
  for (const std::string person : {"7010", "9010"}) {
    auto replies = RepliesTo(person);
    ASSERT_EQ(replies.size(), 1u) << person;
    EXPECT_EQ(replies[0].body["messaging_type"], "MESSAGE_TAG") << replies[0].raw_body;
    EXPECT_EQ(replies[0].body["tag"], "HUMAN_AGENT");
  }
  bool audited = false;
  for (const auto& e : Audit())
    audited |= e.action == "reply" && e.detail.ends_with("HUMAN_AGENT tag");
  EXPECT_TRUE(audited);
}

TEST_F(StaffApiTest, ReleaseGivesTheConversationBackToTheBot) {
  const int64_t id = Waiting("messenger", "7001");
  ASSERT_EQ(Api("POST", Conv(id, "take"), kAnna).status, 200);
  auto released = Api("POST", Conv(id, "release"), kAnna);
  ASSERT_EQ(released.status, 200) << released.body.dump();
  EXPECT_EQ(released.body["state"], "closed");
  EXPECT_EQ(released.body["outcome"], "released");
  EXPECT_FALSE(OpenHandover("messenger", "7001").has_value());
  fake_.Clear();
  Send("messenger", "7001", "Ich möchte mich bewerben");
  EXPECT_EQ(RepliesTo("7001").size(), 1u) << "the bot answers again";
  // Closed: no more replies, takes or closes by staff.
  EXPECT_EQ(Api("POST", Conv(id, "reply"), kAnna, Reply("Noch etwas")).status, 409);
  EXPECT_EQ(Api("POST", Conv(id, "take"), kAnna).status, 409);
  EXPECT_EQ(Api("POST", Conv(id, "release"), kAnna).status, 409);
  // Closed hand-overs stay readable (with their transcript up to the close).
  auto closed = Api("GET", "/staff/api/conversations?state=closed", kAnna);
  EXPECT_EQ(Ids(closed.body), (std::vector<std::string>{std::to_string(id)}));
  EXPECT_TRUE(Api("GET", "/staff/api/conversations", kAnna).body["conversations"].empty());
  EXPECT_EQ(gateway_->metrics().Get("wache_handovers_closed_total",
                                    {{"platform", "messenger"}, {"outcome", "released"}}),
            1);
}

TEST_F(StaffApiTest, CloseEndsTheHandoverAndTakingOverIsRecorded) {
  const int64_t id = Waiting("x", "8001");
  ASSERT_EQ(Api("POST", Conv(id, "take"), kDirk).status, 200);
  auto waiting = Api("GET", "/staff/api/conversations?state=waiting", kSabine);
  EXPECT_TRUE(waiting.body["conversations"].empty());
  auto taken = Api("POST", Conv(id, "take"), kSabine);  // a supervisor takes over
  ASSERT_EQ(taken.status, 200);
  EXPECT_EQ(taken.body["assignee"], "Sabine");
  EXPECT_EQ(taken.body["state"], "in_progress");
  auto closed = Api("POST", Conv(id, "close"), kSabine);
  ASSERT_EQ(closed.status, 200);
  EXPECT_EQ(closed.body["outcome"], "closed");
  EXPECT_EQ(Api("POST", Conv(id, "close"), kSabine).status, 409);
  auto audit = Audit();
  ASSERT_GE(audit.size(), 3u);
  EXPECT_EQ(audit[0].action, "close");
  EXPECT_EQ(audit[0].detail, "was in_progress");
  EXPECT_EQ(audit[1].action, "take");
  EXPECT_EQ(audit[1].detail, "was with Dirk");
  EXPECT_EQ(audit[2].action, "take");
  EXPECT_EQ(audit[2].staff, "Dirk");
  EXPECT_EQ(audit[2].detail, "was waiting");
}

TEST_F(StaffApiTest, BadRequestsAre400) {
  const int64_t id = Waiting("messenger", "7001");
  for (const std::string& body :
       {std::string("not json"), std::string("[\"text\"]"), std::string("{}"),
        std::string("{\"text\": 5}"), std::string("{\"text\": \"   \\n \"}"),
        json{{"text", std::string(StaffGatewayTest::kAnna) + std::string(5000, 'a')}}.dump()}) {
    EXPECT_EQ(Api("POST", Conv(id, "reply"), kAnna, body).status, 400) << body.substr(0, 40);
  }
  EXPECT_EQ(Api("GET", "/staff/api/conversations?state=everything", kAnna).status, 400);
  EXPECT_EQ(Api("GET", "/staff/api/audit?limit=0", kSabine).status, 400);
  EXPECT_EQ(Api("GET", "/staff/api/audit?limit=abc", kSabine).status, 400);
  EXPECT_EQ(Api("GET", Conv(id, "reply"), kAnna).status, 405);
  EXPECT_EQ(Api("POST", "/staff/api/conversations", kAnna).status, 405);
  EXPECT_EQ(Api("GET", "/staff/api/conversations/abc", kAnna).status, 404);
  EXPECT_EQ(Api("GET", "/staff/api/whatever", kAnna).status, 404);
  ASSERT_TRUE(Idle());
  fake_.Clear();
  ASSERT_TRUE(Idle());
  EXPECT_EQ(OpenHandover("messenger", "7001")->state, staff::HandoverState::kWaiting);
}

TEST_F(StaffApiTest, EveryActionIsAuditedAndTheLogHoldsNoTexts) {
  const int64_t id = Waiting("messenger", "7001");
  Send("messenger", "7001", "Meine Nummer ist 0171 5550123");
  ASSERT_EQ(Api("GET", Conv(id), kAnna).status, 200);
  ASSERT_EQ(Api("POST", Conv(id, "take"), kAnna).status, 200);
  ASSERT_EQ(Api("POST", Conv(id, "reply"), kAnna, Reply("Geheimer Rückruf um 15 Uhr")).status, 202);
  ASSERT_EQ(Api("POST", Conv(id, "release"), kAnna).status, 200);
  ASSERT_TRUE(Idle());

  auto log = Api("GET", "/staff/api/audit", kSabine);
  ASSERT_EQ(log.status, 200);
  std::vector<std::string> actions;
  for (const auto& e : log.body["entries"]) {
    if (e["conversation"] == id) actions.push_back(e["action"]);
    EXPECT_FALSE(e["at"].get<std::string>().empty());
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"release", "reply", "take", "view", "opened"}));
  const std::string dump = log.body.dump();
  for (const char* secret : {"Geheimer", "Rückruf", "0171", "5550123", "7001", "Hallo"}) {
    EXPECT_EQ(dump.find(secret), std::string::npos) << secret << " in " << dump;
  }
  const json& reply = log.body["entries"][1];
  EXPECT_EQ(reply["staff"], "Anna (Köln)");
  EXPECT_EQ(reply["role"], "agent");
  EXPECT_EQ(reply["station"], "koeln");
  EXPECT_EQ(reply["detail"].get<std::string>().rfind("outbox ", 0), 0u);
  // Neither do the metrics.
  std::string metrics = gateway_->metrics().RenderPrometheus();
  EXPECT_EQ(metrics.find("Geheimer"), std::string::npos);
  EXPECT_EQ(metrics.find("7001"), std::string::npos);
}

TEST_F(StaffApiTest, MetricsShowOpenHandoversByState) {
  Waiting("messenger", "7001");
  const int64_t taken = Waiting("x", "8001");
  ASSERT_EQ(Api("POST", Conv(taken, "take"), kDirk).status, 200);
  httplib::Client client("127.0.0.1", gateway_->port());
  auto res = client.Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find("wache_handovers_open{state=\"waiting\"} 1"), std::string::npos)
      << res->body;
  EXPECT_NE(res->body.find("wache_handovers_open{state=\"in_progress\"} 1"), std::string::npos);
}

}  // namespace
}  // namespace wache::webhook
