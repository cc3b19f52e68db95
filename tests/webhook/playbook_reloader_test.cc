// Live editing as staff do it: a copy of the shipped flows, templates and config is edited
// while an engine answers; good edits are swapped in, a broken edit is refused with its
// file and line while the old version keeps answering, and a conversation whose question
// vanished goes on sensibly.
#include "webhook/playbook_reloader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "bot/engine.h"
#include "bot/flow_loader.h"
#include "bot/templates.h"
#include "store/sqlite_state_store.h"

namespace wache::webhook {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class PlaybookReloaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("wache-reload-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    const fs::path src = WACHE_SOURCE_DIR;
    fs::create_directories(dir_ / "config");
    fs::copy(src / "flows", dir_ / "flows", fs::copy_options::recursive);
    fs::copy(src / "templates", dir_ / "templates", fs::copy_options::recursive);
    fs::copy_file(src / "config/wache.yaml", dir_ / "config/wache.yaml");
    bot::Diagnostics diags;
    config_ = bot::LoadConfig((dir_ / "config/wache.yaml").string(), diags);
    ASSERT_FALSE(diags.has_errors()) << diags.Format();
    auto pb = bot::Playbook::Load(config_.flows_dir, config_.templates_dir, diags);
    ASSERT_FALSE(diags.has_errors()) << diags.Format();
    state_ = std::move(store::SqliteStateStore::Open(":memory:")).value();
    engine_ = std::make_unique<bot::Engine>(pb, *state_, clock_);
    reloader_ = std::make_unique<PlaybookReloader>(config_, [this](auto playbook, auto config) {
      live_config_ = std::move(config);
      engine_->SetPlaybook(std::move(playbook));
    });
  }
  void TearDown() override {
    reloader_.reset();
    fs::remove_all(dir_);
  }

  bot::Decision Say(const std::string& text, const std::string& payload = "") {
    bot::InboundMessage m;
    m.platform = "messenger";
    m.account = "koeln-messenger";
    m.sender = "p1";
    m.message_id = "m" + std::to_string(++n_);
    m.text = text;
    m.button_payload = payload;
    const bot::GatewayConfig& cfg = live_config_ ? *live_config_ : config_;
    auto d = engine_->Handle(m, *cfg.FindAccount("koeln-messenger"));
    EXPECT_TRUE(d.ok());
    return d.ok() ? d.value() : bot::Decision{};
  }

  void Edit(const std::string& file, const std::string& from, const std::string& to) {
    const fs::path p = dir_ / file;
    std::string s = ReadFile(p);
    auto at = s.find(from);
    ASSERT_NE(at, std::string::npos) << from << " not in " << p;
    s.replace(at, from.size(), to);
    std::ofstream(p, std::ios::trunc) << s;
  }

  fs::path dir_;
  bot::GatewayConfig config_;
  std::shared_ptr<const bot::GatewayConfig> live_config_;  // what the reloader installed
  bot::FakeClock clock_;
  std::unique_ptr<store::SqliteStateStore> state_;
  std::unique_ptr<bot::Engine> engine_;
  std::unique_ptr<PlaybookReloader> reloader_;
  int n_ = 0;
};

TEST_F(PlaybookReloaderTest, ANewKeywordWorksAfterTheReloadWithoutARestart) {
  EXPECT_NE(Say("Grüezi").flow, "greeting");
  Edit("flows/greeting.yaml", "de: [hallo,", "de: [grüezi, hallo,");
  auto outcome = reloader_->Reload();
  EXPECT_TRUE(outcome.applied) << outcome.report;
  EXPECT_EQ(outcome.errors, 0);
  clock_.Advance(std::chrono::hours(1));  // a new conversation
  EXPECT_EQ(Say("Grüezi").flow, "greeting");
  EXPECT_EQ(reloader_->reloads(), 1u);
}

TEST_F(PlaybookReloaderTest, ABrokenEditIsRefusedWithFileAndLineAndTheOldVersionKeepsAnswering) {
  Edit("flows/greeting.yaml", "de: [hallo,", "de: [hallo, [unclosed,");
  Edit("templates/de/common.yaml", "{emergency_number}.\"", "{emergency_numbr}.\"");
  auto outcome = reloader_->Reload();
  EXPECT_FALSE(outcome.applied);
  EXPECT_GT(outcome.errors, 0);
  EXPECT_NE(outcome.report.find("greeting.yaml:"), std::string::npos) << outcome.report;
  EXPECT_EQ(reloader_->refused(), 1u);
  auto d = Say("Hallo");
  EXPECT_EQ(d.flow, "greeting");
  ASSERT_FALSE(d.replies.empty());
  EXPECT_NE(d.replies[0].text.find("110"), std::string::npos) << "the running version";
}

TEST_F(PlaybookReloaderTest, AConversationWhoseQuestionVanishedGoesOnSensibly) {
  auto menu = Say("Hallo");
  ASSERT_TRUE(menu.waiting_for_answer);
  ASSERT_FALSE(menu.replies[0].buttons.empty());
  const std::string old_button = menu.replies[0].buttons[0].payload;
  // Staff rename the menu step while the person looks at its buttons.
  Edit("flows/greeting.yaml", "  - id: menu\n", "  - id: start\n");
  ASSERT_TRUE(reloader_->Reload().applied);
  auto tap = Say("Anzeige erstatten", old_button);
  // The tap on the vanished menu is not lost: it is said to be out of date, or its words
  // are understood as a new message; never an answer to a question that no longer exists.
  ASSERT_FALSE(tap.replies.empty());
  const bool stale =
      std::find(tap.flags.begin(), tap.flags.end(), "stale_button") != tap.flags.end();
  EXPECT_TRUE(stale || tap.flow == "online_report") << tap.flow;
  EXPECT_FALSE(tap.flow == "greeting" && tap.step == "menu") << "the vanished question";
}

TEST_F(PlaybookReloaderTest, AStationsNewTextAndHoursApplyWithoutARestart) {
  Edit("config/wache.yaml", "station_name: \"Polizei Köln\"",
       "station_name: \"Polizei Köln-Mitte\"");
  ASSERT_TRUE(reloader_->Reload().applied);
  auto d = Say("Hallo");
  ASSERT_FALSE(d.replies.empty());
  EXPECT_NE(d.replies[0].text.find("Polizei Köln-Mitte"), std::string::npos) << d.replies[0].text;
}

TEST_F(PlaybookReloaderTest, AddingAnAccountNeedsARestartAndIsRefusedWithThatReason) {
  Edit("config/wache.yaml", "accounts:\n",
       "accounts:\n  - { id: neu, platform: messenger, platform_id: \"299\", station: koeln }\n");
  auto outcome = reloader_->Reload();
  EXPECT_FALSE(outcome.applied);
  EXPECT_NE(outcome.report.find("restart wache serve"), std::string::npos) << outcome.report;
  EXPECT_EQ(Say("Hallo").flow, "greeting");  // still answering with the running version
}

TEST_F(PlaybookReloaderTest, AChangedServerSectionNeedsARestartButAnEditedCommentDoesNot) {
  // Only a comment and the quoting change: the same settings, so the reload goes ahead.
  Edit("config/wache.yaml", "  port: 8080\n", "  port: \"8080\"   # the gateway's port\n");
  EXPECT_TRUE(reloader_->Reload().applied);
  Edit("config/wache.yaml", "  port: \"8080\"", "  port: 8081");
  auto outcome = reloader_->Reload();
  EXPECT_FALSE(outcome.applied);
  EXPECT_NE(outcome.report.find("server: or platforms: changed"), std::string::npos)
      << outcome.report;
}

TEST_F(PlaybookReloaderTest, TheWatcherReloadsWhenAFileIsSaved) {
  reloader_->Watch(std::chrono::milliseconds(20));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  Edit("flows/greeting.yaml", "de: [hallo,", "de: [grüezi, hallo,");
  for (int i = 0; i < 200 && reloader_->reloads() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  reloader_->Stop();
  EXPECT_EQ(reloader_->reloads(), 1u);
  clock_.Advance(std::chrono::hours(1));
  EXPECT_EQ(Say("Grüezi").flow, "greeting");
}

}  // namespace
}  // namespace wache::webhook
