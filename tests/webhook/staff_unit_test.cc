// The staff API's parts on their own: the `staff:` config with its diagnostics, the token
// directory, the staff reply window per platform, and the HUMAN_AGENT tag in the Messenger
// and Instagram renderers.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "webhook/platform_adapter.h"
#include "webhook/staff/auth.h"
#include "webhook/staff/reply_window.h"
#include "webhook/staff/staff_config.h"

namespace wache::webhook::staff {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class StaffConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("wache-staffcfg-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    gateway_.stations = {"koeln", "dortmund"};
    bot::Account a;
    a.id = "koeln-messenger";
    a.station = "koeln";
    gateway_.accounts.push_back(a);
    a.id = "solo";  // an account without a station is a station of its own
    a.station = "";
    gateway_.accounts.push_back(a);
  }
  void TearDown() override { fs::remove_all(dir_); }

  StaffConfig Load(const std::string& yaml) {
    std::ofstream(dir_ / "wache.yaml") << yaml;
    diags_ = bot::Diagnostics();
    return LoadStaffConfig((dir_ / "wache.yaml").string(), gateway_, diags_);
  }
  void Token(const std::string& name, const std::string& value) {
    std::ofstream(dir_ / name) << value << "\n";
  }

  fs::path dir_;
  bot::GatewayConfig gateway_;
  bot::Diagnostics diags_;
};

TEST_F(StaffConfigTest, ReadsMembersWithTokensRolesAndStations) {
  StaffConfig c = Load(
      "staff:\n"
      "  - name: \"Anna (Köln)\"\n"
      "    token: { env: WACHE_STAFF_TOKEN_ANNA, file: secrets/anna }\n"
      "    role: agent\n"
      "    stations: [koeln, solo]\n"
      "  - { name: Sabine, token: { file: /abs/sabine }, role: supervisor, stations: all }\n");
  EXPECT_EQ(diags_.Format(), "");
  ASSERT_EQ(c.members.size(), 2u);
  EXPECT_EQ(c.members[0].name, "Anna (Köln)");
  EXPECT_EQ(c.members[0].role, Role::kAgent);
  EXPECT_EQ(c.members[0].stations, (std::vector<std::string>{"koeln", "solo"}));
  EXPECT_EQ(c.members[0].token.env, "WACHE_STAFF_TOKEN_ANNA");
  EXPECT_EQ(c.members[0].token.file, (dir_ / "secrets/anna").string()) << "relative to the config";
  EXPECT_EQ(c.members[1].role, Role::kSupervisor);
  EXPECT_EQ(c.members[1].stations, (std::vector<std::string>{"all"}));
  EXPECT_EQ(c.members[1].token.file, "/abs/sabine");
  EXPECT_TRUE(Load("flows: x\n").members.empty()) << "no staff: is fine";
  EXPECT_FALSE(diags_.has_errors());
}

TEST_F(StaffConfigTest, MistakesAreErrorsWithFileAndLine) {
  Load(
      "staff:\n"
      "  - name: Anna\n"
      "    token: anna-token-in-the-config\n"
      "    role: admin\n"
      "    stations: [koln]\n"
      "  - { name: Anna, token: { file: x }, role: agent, stations: [koeln], pasword: y }\n"
      "  - { token: { file: y }, role: agent }\n");
  const std::string out = diags_.Format();
  EXPECT_NE(out.find("wache.yaml:3:12: error: token is a secret"), std::string::npos) << out;
  EXPECT_NE(out.find("wache.yaml:4:11: error: role is 'agent' or 'supervisor', not 'admin'"),
            std::string::npos)
      << out;
  EXPECT_NE(
      out.find("wache.yaml:5:16: error: unknown station 'koln' (did you mean 'koeln'?); known: "
               "dortmund, koeln, solo, all"),
      std::string::npos)
      << out;
  EXPECT_NE(out.find("'Anna' is listed twice"), std::string::npos) << out;
  EXPECT_NE(out.find("pasword"), std::string::npos) << out;
  EXPECT_NE(out.find("needs a name"), std::string::npos) << out;
  EXPECT_NE(out.find("needs stations"), std::string::npos) << out;
  Load("staff: { name: Anna }\n");
  EXPECT_NE(diags_.Format().find("staff: is a list"), std::string::npos) << diags_.Format();
}

TEST_F(StaffConfigTest, TheDirectoryResolvesTokensAndRefusesWeakOrSharedOnes) {
  Token("anna", "anna-0123456789abcdef");
  Token("bert", "bert-0123456789abcdef");
  Token("short", "1234");
  auto config = [&](const std::string& anna_file, const std::string& bert_file) {
    return Load("staff:\n  - { name: Anna, token: { file: " + anna_file +
                " }, role: agent, stations: [koeln] }\n"
                "  - { name: Bert, token: { env: WACHE_TEST_UNSET_TOKEN, file: " +
                bert_file + " }, role: supervisor, stations: [all] }\n");
  };
  auto good = StaffDirectory::Build(config("anna", "bert"));
  ASSERT_TRUE(good.ok()) << good.status().message();
  const StaffDirectory& d = good.value();
  EXPECT_EQ(d.size(), 2u);
  const StaffIdentity* anna = d.Authenticate("Bearer anna-0123456789abcdef");
  ASSERT_NE(anna, nullptr);
  EXPECT_EQ(anna->name, "Anna");
  EXPECT_TRUE(anna->MaySee("koeln"));
  EXPECT_FALSE(anna->MaySee("dortmund"));
  EXPECT_FALSE(anna->supervisor());
  const StaffIdentity* bert = d.Authenticate("BEARER   bert-0123456789abcdef ");
  ASSERT_NE(bert, nullptr);
  EXPECT_TRUE(bert->all_stations);
  EXPECT_TRUE(bert->MaySee("anything"));
  EXPECT_TRUE(bert->supervisor());
  for (const char* bad :
       {"", "Bearer", "Bearer ", "Bearer anna-0123456789abcde", "Bearer anna-0123456789abcdef0",
        "Basic anna-0123456789abcdef", "anna-0123456789abcdef"}) {
    EXPECT_EQ(d.Authenticate(bad), nullptr) << bad;
  }

  // A token that resolves to nothing: that member cannot log in; the others can.
  auto missing = StaffDirectory::Build(config("anna", "nowhere"));
  ASSERT_TRUE(missing.ok()) << missing.status().message();
  EXPECT_EQ(missing.value().size(), 1u);
  EXPECT_NE(missing.value().Authenticate("Bearer anna-0123456789abcdef"), nullptr);
  auto weak = StaffDirectory::Build(config("short", "bert"));
  ASSERT_FALSE(weak.ok());
  EXPECT_NE(weak.status().message().find("shorter than 16"), std::string::npos);
  auto shared = StaffDirectory::Build(config("anna", "anna"));
  ASSERT_FALSE(shared.ok());
  EXPECT_NE(shared.status().message().find("the same token"), std::string::npos);
  // The environment wins over the file.
  ::setenv("WACHE_TEST_UNSET_TOKEN", "from-the-environment-0123", 1);
  auto env = StaffDirectory::Build(config("anna", "bert"));
  ::unsetenv("WACHE_TEST_UNSET_TOKEN");
  ASSERT_TRUE(env.ok());
  EXPECT_NE(env.value().Authenticate("Bearer from-the-environment-0123"), nullptr);
  EXPECT_EQ(env.value().Authenticate("Bearer bert-0123456789abcdef"), nullptr);
}

TEST(StaffReplyWindowTest, PerPlatform) {
  const bot::TimePoint now(std::chrono::seconds(2'000'000'000));
  auto at = [&](std::chrono::seconds ago) { return std::optional(now - ago); };
  ReplyWindow wa = StaffReplyWindow("whatsapp", at(23h), now);
  EXPECT_TRUE(wa.open);
  EXPECT_EQ(wa.left, std::chrono::seconds(1h));
  EXPECT_FALSE(wa.human_agent);
  EXPECT_FALSE(StaffReplyWindow("whatsapp", at(24h), now).open);

  ReplyWindow fresh = StaffReplyWindow("messenger", at(1h), now);
  EXPECT_TRUE(fresh.open);
  EXPECT_FALSE(fresh.human_agent);
  EXPECT_EQ(fresh.left, std::chrono::seconds(7 * 24h - 1h));
  ReplyWindow tagged = StaffReplyWindow("instagram", at(24h), now);
  EXPECT_TRUE(tagged.open);
  EXPECT_TRUE(tagged.human_agent);
  ReplyWindow late = StaffReplyWindow("messenger", at(7 * 24h), now);
  EXPECT_FALSE(late.open);
  EXPECT_FALSE(late.human_agent);
  EXPECT_EQ(late.left, std::chrono::seconds(0));

  ReplyWindow x = StaffReplyWindow("x", at(24h * 365), now);
  EXPECT_TRUE(x.open);
  EXPECT_FALSE(x.left.has_value());
  // Nothing stored about the person's last message (erased): no reply on Meta platforms.
  EXPECT_FALSE(StaffReplyWindow("whatsapp", std::nullopt, now).open);
  EXPECT_FALSE(StaffReplyWindow("messenger", std::nullopt, now).open);
  EXPECT_TRUE(StaffReplyWindow("x", std::nullopt, now).open);
}

TEST(HumanAgentTagTest, MessengerAndInstagramTagAPersonsLateReplyOnly) {
  for (const std::string platform : {"messenger", "instagram"}) {
    auto adapter = MakeAdapter(platform, AdapterOptions{});
    OutboundMessage m;
    m.platform = platform;
    m.account_ref = "200";
    m.recipient = "7001";
    m.reply.text = std::string(2500, 'a');  // split in parts: every part is tagged
    m.author = "staff:Anna";
    m.human_agent = true;
    auto requests = adapter->Render(m);
    ASSERT_GE(requests.size(), 2u);
    for (const auto& r : requests) {
      auto body = nlohmann::json::parse(r.body);
      EXPECT_EQ(body["messaging_type"], "MESSAGE_TAG") << platform;
      EXPECT_EQ(body["tag"], "HUMAN_AGENT") << platform;
    }
    m.human_agent = false;
    auto body = nlohmann::json::parse(adapter->Render(m).front().body);
    EXPECT_EQ(body["messaging_type"], "RESPONSE");
    EXPECT_FALSE(body.contains("tag"));
  }
}

}  // namespace
}  // namespace wache::webhook::staff
