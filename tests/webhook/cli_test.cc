// The operator's commands against a real `wache serve` process: `send-test` delivers a
// signed webhook and the reply reaches the API named by `--api-base-url`; `dead-letters`
// lists a reply the platform refused, with its reason and no personal data, and
// `--retry-all` sends it again; a reply waiting for its retry outlives a restart. The server's
// log says what an operator needs about each, and its "try it" hint works as printed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/support/fake_platform_api.h"
#include "tests/support/serve_process.h"

namespace wache::webhook {
namespace {

namespace fs = std::filesystem;
using testing::FakePlatformApi;
using testing::RunWache;

constexpr char kPhone[] = "100000000000001";

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fake_.Start());
    fake_.AddWhatsAppNumber(kPhone, "wa-token");
    dir_ = fs::temp_directory_path() /
           ("wache-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    port_ = testing::FreePort();
    // The config names the real Graph API; --api-base-url must redirect every send.
    config_ = testing::WriteWhatsAppServeConfig(
                  dir_, "cli-app-secret", kPhone, "https://graph.facebook.com",
                  "host: 127.0.0.1, port: " + std::to_string(port_) + ", send_timeout_seconds: 2")
                  .string();
    serve_ = std::make_unique<testing::ServeProcess>(
        config_, port_, dir_ / "serve.log",
        std::vector<std::string>{"--api-base-url", fake_.base_url()});
    ASSERT_TRUE(serve_->Start());
  }
  void TearDown() override {
    serve_.reset();
    fake_.Stop();
    if (!HasFailure()) fs::remove_all(dir_);
  }

  // Waits (up to 5 s) until the server's log (`file` in the test's folder) has `part`;
  // returns the log.
  std::string WaitForLog(const std::string& part, const std::string& file = "serve.log") {
    std::string log;
    for (int i = 0; i < 100; ++i) {
      std::ifstream in(dir_ / file);
      std::stringstream s;
      s << in.rdbuf();
      log = s.str();
      if (log.find(part) != std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return log;
  }

  FakePlatformApi fake_;
  fs::path dir_;
  std::string config_;
  int port_ = 0;
  std::unique_ptr<testing::ServeProcess> serve_;
};

TEST_F(CliTest, SendTestDeliversASignedWebhookAndTheReplyGoesToTheApiBaseUrl) {
  auto r = RunWache({"send-test", "--config", config_, "--platform", "whatsapp", "--text", "Notruf",
                     "--sender", "4915100000077"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("200"), std::string::npos) << r.output;
  ASSERT_TRUE(fake_.WaitForAccepted(3, std::chrono::seconds(10)));
  for (const auto& req : fake_.Accepted()) EXPECT_EQ(req.recipient, "4915100000077");
  // Each reply's log line says what happened in its message, not only in its fields.
  const std::string log = WaitForLog(R"("msg":"reply sent")");
  EXPECT_NE(log.find(R"("msg":"reply sent")"), std::string::npos) << log;
  EXPECT_EQ(log.find(R"("msg":"")"), std::string::npos) << log;

  auto bad =
      RunWache({"send-test", "--config", config_, "--platform", "whatsapp", "--bad-signature"});
  EXPECT_NE(bad.output.find("403"), std::string::npos) << bad.output;
}

TEST_F(CliTest, DeadLettersAreListedWithTheReasonAndCanBeSentAgain) {
  // The platform refuses the reply for good (not a WhatsApp user).
  fake_.InjectFaults("whatsapp", {testing::Fault::GraphError(400, 131026)});
  auto sent = RunWache({"send-test", "--config", config_, "--platform", "whatsapp", "--text",
                        "Danke schön", "--sender", "4915100000088"});
  ASSERT_EQ(sent.exit_code, 0) << sent.output;
  testing::CommandResult list;
  for (int i = 0; i < 100; ++i) {
    list = RunWache({"dead-letters", "--config", config_});
    if (list.output.find("131026") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(list.exit_code, 0) << list.output;
  EXPECT_NE(list.output.find("131026"), std::string::npos) << list.output;
  EXPECT_NE(list.output.find("whatsapp/wa"), std::string::npos) << list.output;
  EXPECT_NE(list.output.find("thanks."), std::string::npos) << "the template key" << list.output;
  EXPECT_EQ(list.output.find("4915100000088"), std::string::npos) << "no phone numbers";
  EXPECT_EQ(list.output.find("Danke"), std::string::npos) << "no texts";
  EXPECT_TRUE(fake_.Accepted().empty());
  // The log line names the account and the operator's next step.
  const std::string log = WaitForLog("dead-lettered");
  const size_t at = log.find("dead-lettered");
  ASSERT_NE(at, std::string::npos) << log;
  const size_t start = log.rfind('\n', at) + 1;  // npos + 1 == 0 on the first line
  const std::string line = log.substr(start, log.find('\n', at) - start);
  EXPECT_NE(line.find(R"("account":"wa")"), std::string::npos) << line;
  EXPECT_NE(line.find("once the cause is fixed, `wache dead-letters --retry "), std::string::npos)
      << line;

  auto retry = RunWache({"dead-letters", "--config", config_, "--retry-all"});
  EXPECT_EQ(retry.exit_code, 0) << retry.output;
  EXPECT_NE(retry.output.find("requeued 1"), std::string::npos) << retry.output;
  ASSERT_TRUE(fake_.WaitForAccepted(1, std::chrono::seconds(10)));
  EXPECT_EQ(fake_.Accepted()[0].recipient, "4915100000088");
  auto empty = RunWache({"dead-letters", "--config", config_});
  EXPECT_NE(empty.output.find("no dead letters"), std::string::npos) << empty.output;
}

TEST_F(CliTest, TheStartsTryItHintWorksAsPrintedAlsoWhenPortMovedTheServer) {
  // On the configured port the hint needs no address.
  std::string log = WaitForLog("try it: ");
  ASSERT_NE(log.find("try it: "), std::string::npos) << log;
  EXPECT_EQ(log.find("--url"), std::string::npos) << log;

  serve_->Kill(SIGTERM);
  const int moved = testing::FreePort();
  const std::string url = "http://127.0.0.1:" + std::to_string(moved);
  testing::ServeProcess elsewhere(config_, moved, dir_ / "moved.log",
                                  {"--api-base-url", fake_.base_url()});
  ASSERT_TRUE(elsewhere.Start());
  // The hint is logged after the server answers /healthz: wait for it.
  const std::string hint =
      "send-test --config " + config_ + " --url " + url + " --platform whatsapp";
  log = WaitForLog(hint, "moved.log");
  EXPECT_NE(log.find(hint), std::string::npos) << log;
  // The hint as printed reaches the moved server.
  auto r = RunWache({"send-test", "--config", config_, "--url", url, "--platform", "whatsapp",
                     "--text", "Hallo", "--sender", "4915100000066"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("200"), std::string::npos) << r.output;
  ASSERT_TRUE(fake_.WaitForAccepted(1, std::chrono::seconds(10)));
  EXPECT_EQ(fake_.Accepted()[0].recipient, "4915100000066");
}

TEST_F(CliTest, AReplyWaitingForItsRetryOutlivesARestartAndTheStartSaysItWaits) {
  // The platform fails the first attempt; the retry is due about 2 s later.
  fake_.InjectFaults("whatsapp", {testing::Fault::ServerError()});
  auto sent = RunWache({"send-test", "--config", config_, "--platform", "whatsapp", "--text",
                        "Danke schön", "--sender", "4915100000099"});
  ASSERT_EQ(sent.exit_code, 0) << sent.output;
  ASSERT_TRUE(fake_.WaitForRequests(1, std::chrono::seconds(10)));
  // A deploy: the clean stop does not wait for a retry that is not due, and loses nothing.
  serve_->Kill(SIGTERM);
  EXPECT_TRUE(fake_.Accepted().empty());
  ASSERT_TRUE(serve_->Start());
  // Otherwise the reply the restarted server sends would look like an answer to nothing.
  const std::string log = WaitForLog("replies stored before this start wait");
  EXPECT_NE(log.find("1 replies stored before this start wait to be sent"), std::string::npos)
      << log;
  ASSERT_TRUE(fake_.WaitForAccepted(1, std::chrono::seconds(10)));
  EXPECT_EQ(fake_.Accepted()[0].recipient, "4915100000099");
}

}  // namespace
}  // namespace wache::webhook
