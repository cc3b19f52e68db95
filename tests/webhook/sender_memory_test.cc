// Memory of the sender threads, measured on the real `wache serve` process: only the binary
// is linked with jemalloc, whose per-thread caches this is about (the test binaries use
// glibc's malloc).
//
// With a slow platform every send call in flight holds a sender thread, up to
// `server.senders` (256). A sender with jemalloc's thread cache held about 0.17 MB once it
// had sent, so 256 of them took 98 MB at a 100 ms platform (bench/README.md, "More senders
// for a slow platform"); senders beyond the first 32 now run without the cache.
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/fake_platform_api.h"
#include "tests/support/metrics_page.h"
#include "tests/support/serve_process.h"
#include "webhook/example_payloads.h"

namespace wache::webhook {
namespace {

namespace fs = std::filesystem;

constexpr char kAppSecret[] = "sender-memory-secret";
constexpr char kPhone[] = "100000000000001";

// A field of /proc/<pid>/status in kB ("VmHWM", "VmRSS"), or -1.
long StatusKb(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  }
  return -1;
}

TEST(SenderMemoryTest, TwoHundredFiftySixSendersToASlowPlatformAddLittleMemory) {
  constexpr int kSenders = 256;
  testing::FakePlatformApi fake(kSenders + 16);
  ASSERT_TRUE(fake.Start());
  fake.AddWhatsAppNumber(kPhone, "wa-token");

  const fs::path dir = fs::temp_directory_path() / ("wache-senders-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path config = testing::WriteWhatsAppServeConfig(
      dir, kAppSecret, kPhone, fake.base_url(),
      "host: 127.0.0.1, workers: 2, senders: " + std::to_string(kSenders) +
          ", send_timeout_seconds: 10");

  const int port = testing::FreePort();
  testing::ServeProcess serve(config, port, dir / "serve.log");
  ASSERT_TRUE(serve.Start());
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(5);

  // Warm: the first messages start the first senders and fill their caches, as a fast
  // platform's load would.
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  int sent = 0;
  auto post = [&] {
    ExampleMessage m;
    m.account_ref = kPhone;
    m.sender = "49151" + std::to_string(2000000 + sent);
    m.message_id = "wamid.senders" + std::to_string(sent);
    m.text = "Hallo zusammen";
    m.unix_seconds = now;
    ++sent;
    const std::string body = ExampleWebhookBody("whatsapp", m);
    auto [name, value] = SignatureHeader("whatsapp", kAppSecret, body);
    auto res = client.Post("/webhook/whatsapp", {{name, value}}, body, "application/json");
    return res && res->status == 200;
  };
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(post());
  ASSERT_TRUE(fake.WaitForAccepted(200, std::chrono::seconds(20)));
  const long before_kb = StatusKb(serve.pid(), "VmRSS");
  const long senders_before = testing::MetricsGauge(port, "wache_sender_threads");
  ASSERT_GT(before_kb, 0);
  ASSERT_LE(senders_before, 32) << "a fast platform should not need more senders";

  // Slow enough that every sender is in a call at once while the messages arrive, even on
  // a busy machine.
  fake.set_answer_delay(std::chrono::milliseconds(2000));
  constexpr int kSlow = 2 * kSenders;
  for (int i = 0; i < kSlow; ++i) ASSERT_TRUE(post());
  ASSERT_TRUE(fake.WaitForAccepted(200 + kSlow, std::chrono::seconds(60)))
      << fake.Accepted().size() << " replies; see " << dir / "serve.log";
  const long senders = testing::MetricsGauge(port, "wache_sender_threads");
  const long peak_kb = StatusKb(serve.pid(), "VmHWM");
  // Every sender ran: the platform's calls overlapped as far as the senders allow.
  EXPECT_EQ(senders, kSenders);
  EXPECT_GE(fake.max_calls_at_once(), kSenders / 2);
  // Measured: 15.7 MB more at the peak (the senders' stacks and connections, the replies in
  // flight); with every sender keeping its cache, 38.6 MB.
  const long added_kb = peak_kb - before_kb;
  EXPECT_LT(added_kb, 26 * 1024) << "peak " << peak_kb << " kB, before the slow load " << before_kb
                                 << " kB, " << senders << " senders";
  fs::remove_all(dir);
}

}  // namespace
}  // namespace wache::webhook
