// Editing the config while `wache serve` runs, for the sections beyond flows and texts: a
// staff member removed from `staff:` can no longer sign in after the reload (a withdrawn
// token must not keep working until a restart), and a change to `server:` is refused with
// the reason, while the running version keeps serving.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/support/serve_process.h"

namespace wache {
namespace {

namespace fs = std::filesystem;

constexpr char kAnna[] = "anna-token-0123456789abcdef";
constexpr char kBert[] = "bert-token-0123456789abcdef";

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class LiveStaffReloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("wache-live-staff-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::ofstream(dir_ / "app_secret") << "live-app-secret\n";
    std::ofstream(dir_ / "verify_token") << "v\n";
    std::ofstream(dir_ / "anna") << kAnna << "\n";
    std::ofstream(dir_ / "bert") << kBert << "\n";
    port_ = testing::FreePort();
    WriteConfig(/*with_anna=*/true, port_);
    serve_ =
        std::make_unique<testing::ServeProcess>(dir_ / "wache.yaml", port_, dir_ / "serve.log");
    ASSERT_TRUE(serve_->Start());
  }
  void TearDown() override {
    serve_.reset();
    if (!HasFailure()) fs::remove_all(dir_);
  }

  void WriteConfig(bool with_anna, int port) {
    const std::string src = WACHE_SOURCE_DIR;
    std::ofstream out(dir_ / "wache.yaml", std::ios::trunc);
    out << "flows: " << src << "/flows\ntemplates: " << src << "/templates\ndatabase: state.db\n"
        << "server: { host: 127.0.0.1, port: " << port << ", reload_watch_seconds: 0 }\n"
        << "platforms:\n  whatsapp:\n    app_secret: { file: app_secret }\n"
        << "    verify_token: { file: verify_token }\n"
        << "defaults:\n  variables:\n    station_name: Test\n    emergency_number: \"110\"\n"
        << "    fire_medical_number: \"112\"\n    crisis_line_name: T\n    crisis_line: \"0800\"\n"
        << "    women_helpline: \"116 016\"\n    online_station_url: https://example.org\n"
        << "    recruiting_url: https://example.org\n    recruiting_portal_url: "
           "https://example.org\n"
        << "    recruiting_contact: \"0\"\n    office_hours: \"8-16\"\n"
        << "stations:\n  bonn: { name: Bonn }\n"
        << "accounts:\n  - { id: wa, platform: whatsapp, platform_id: \"100000000000001\", "
           "station: bonn }\n"
        << "staff:\n";
    if (with_anna) {
      out << "  - { name: Anna, token: { file: anna }, role: agent, stations: [bonn] }\n";
    }
    out << "  - { name: Bert, token: { file: bert }, role: supervisor, stations: [all] }\n";
  }

  int Me(const char* token) {
    httplib::Client c("127.0.0.1", port_);
    auto r = c.Get("/staff/api/me", {{"Authorization", std::string("Bearer ") + token}});
    return r ? r->status : -1;
  }

  // SIGHUP, then waits (up to 5 s) until the log has `line` once more than before.
  bool ReloadAndWaitFor(const std::string& line) {
    auto count = [&] {
      const std::string log = ReadFile(dir_ / "serve.log");
      size_t n = 0;
      for (size_t at = log.find(line); at != std::string::npos; at = log.find(line, at + 1)) ++n;
      return n;
    };
    const size_t before = count();
    serve_->Signal(SIGHUP);
    for (int i = 0; i < 250; ++i) {
      if (count() > before) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  fs::path dir_;
  int port_ = 0;
  std::unique_ptr<testing::ServeProcess> serve_;
};

TEST_F(LiveStaffReloadTest, AStaffMemberRemovedFromTheConfigCannotSignInAfterTheReload) {
  ASSERT_EQ(Me(kAnna), 200);
  ASSERT_EQ(Me(kBert), 200);
  WriteConfig(/*with_anna=*/false, port_);
  ASSERT_TRUE(ReloadAndWaitFor("staff list reloaded")) << ReadFile(dir_ / "serve.log");
  EXPECT_EQ(Me(kAnna), 401);
  EXPECT_EQ(Me(kBert), 200);
}

TEST_F(LiveStaffReloadTest, AServerChangeIsRefusedWithTheReasonAndTheOldVersionKeepsServing) {
  WriteConfig(/*with_anna=*/false, testing::FreePort());
  ASSERT_TRUE(ReloadAndWaitFor("reload refused")) << ReadFile(dir_ / "serve.log");
  const std::string log = ReadFile(dir_ / "serve.log");
  EXPECT_NE(log.find("server: or platforms: changed"), std::string::npos) << log;
  EXPECT_NE(log.find("restart wache serve"), std::string::npos) << log;
  // Nothing of the refused edit was applied: Anna (removed in it) can still sign in.
  EXPECT_EQ(Me(kAnna), 200);
}

}  // namespace
}  // namespace wache
