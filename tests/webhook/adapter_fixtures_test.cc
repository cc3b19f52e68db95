// Every payload fixture in tests/webhook/fixtures/<platform>/ is parsed by its platform's
// adapter and compared with its .expect.json: kind, account, sender, message id, time,
// text, button payload, detail and error code per item (for ignored items: kind, account
// and detail). The fixtures were written from shared/docs/platforms.md independently of the
// parsers; see tests/webhook/fixtures/README.md.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "webhook/json_body.h"
#include "webhook/platform_adapter.h"

namespace wache::webhook {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class AdapterFixtureTest : public ::testing::TestWithParam<std::string> {};

TEST_P(AdapterFixtureTest, EveryFixtureParsesToItsExpectedEvents) {
  const std::string platform = GetParam();
  auto adapter = MakeAdapter(platform, AdapterOptions{});
  ASSERT_TRUE(adapter);
  fs::path dir = fs::path(WACHE_SOURCE_DIR) / "tests/webhook/fixtures" / platform;
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.size() < 5 || name.find(".expect.json") != std::string::npos ||
        entry.path().extension() != ".json") {
      continue;
    }
    SCOPED_TRACE(platform + "/" + name);
    auto body = ParseJsonBody(ReadFile(entry.path()));
    ASSERT_TRUE(body.ok()) << body.status().message();
    fs::path expect_path = entry.path();
    expect_path.replace_extension(".expect.json");
    auto expected = ParseJsonBody(ReadFile(expect_path));
    ASSERT_TRUE(expected.ok()) << "missing or broken " << expect_path;
    auto parsed = adapter->Parse(body.value());
    ASSERT_TRUE(parsed.ok()) << parsed.status().message();
    const auto& events = parsed.value().events;
    ASSERT_EQ(events.size(), expected.value().size());
    for (size_t i = 0; i < events.size(); ++i) {
      const auto& e = events[i];
      const auto& x = expected.value()[i];
      SCOPED_TRACE("item " + std::to_string(i));
      EXPECT_EQ(EventKindName(e.kind), x["kind"].get<std::string>());
      EXPECT_EQ(e.account_ref, x["account_ref"].get<std::string>());
      EXPECT_EQ(e.detail, x["detail"].get<std::string>());
      if (e.kind == EventKind::kIgnored) continue;
      EXPECT_EQ(e.sender, x["sender"].get<std::string>());
      EXPECT_EQ(e.message_id, x["message_id"].get<std::string>());
      EXPECT_EQ(e.text, x["text"].get<std::string>());
      EXPECT_EQ(e.button_payload, x["button_payload"].get<std::string>());
      EXPECT_EQ(e.error_code, x["error_code"].get<std::string>());
      if (x["time"].is_null()) {
        EXPECT_FALSE(e.time.has_value());
      } else {
        ASSERT_TRUE(e.time.has_value());
        EXPECT_EQ(e.time->time_since_epoch().count(), x["time"].get<int64_t>());
      }
    }
    ++checked;
  }
  EXPECT_GE(checked, 10) << "fixtures missing for " << platform;
}

INSTANTIATE_TEST_SUITE_P(AllPlatforms, AdapterFixtureTest,
                         ::testing::Values("whatsapp", "messenger", "instagram", "x"));

}  // namespace
}  // namespace wache::webhook
