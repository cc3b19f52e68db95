#include "webhook/json_log.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <sstream>

namespace wache::webhook {
namespace {

// Logs one message through a logger with the JSON formatter and parses the line it wrote.
nlohmann::json LogLine(const std::string& message, spdlog::level::level_enum level) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  spdlog::logger logger("json-test", sink);
  logger.set_formatter(std::make_unique<JsonLineFormatter>());
  logger.log(level, message);
  logger.flush();
  std::string line = out.str();
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line per message";
  return nlohmann::json::parse(line);
}

TEST(JsonLog, LeadingKnownFieldsBecomeMembers) {
  auto j = LogLine("correlation=wh-abc-7 platform=whatsapp account=koeln replies=2 message handled",
                   spdlog::level::info);
  EXPECT_EQ(j["level"], "info");
  EXPECT_EQ(j["correlation"], "wh-abc-7");
  EXPECT_EQ(j["platform"], "whatsapp");
  EXPECT_EQ(j["account"], "koeln");
  EXPECT_EQ(j["replies"], "2");
  EXPECT_EQ(j["msg"], "message handled");
  EXPECT_TRUE(j["ts"].get<std::string>().ends_with("Z"));
}

TEST(JsonLog, StopsAtTheFirstWordThatIsNotAKnownField) {
  // "detail=" is not a known field, and a later "platform=" belongs to the message.
  auto j = LogLine("correlation=c1 detail=x platform=y rest", spdlog::level::warn);
  EXPECT_EQ(j["correlation"], "c1");
  EXPECT_FALSE(j.contains("detail"));
  EXPECT_FALSE(j.contains("platform"));
  EXPECT_EQ(j["msg"], "detail=x platform=y rest");
  EXPECT_EQ(j["level"], "warning");
}

TEST(JsonLog, QuotesNewlinesAndBrokenUtf8StayOneValidLine) {
  auto j = LogLine("account id \"a\nb\" \xff\xfe is odd", spdlog::level::err);
  EXPECT_EQ(j["level"], "error");
  EXPECT_NE(j["msg"].get<std::string>().find("\"a\nb\""), std::string::npos);
}

TEST(JsonLog, ControlBytesAndEveryKindOfBrokenUtf8AreEscapedOrReplaced) {
  // A control byte; a lone continuation byte; an overlong "/"; a UTF-16 surrogate; a
  // sequence cut off at the end. Valid UTF-8 (ü, an emoji) stays as it is.
  auto j =
      LogLine("tab\there \x01 \x80 \xc0\xaf \xed\xa0\x80 ü 🚓 end\xe2\x82", spdlog::level::info);
  const std::string replacement = "\xef\xbf\xbd";
  EXPECT_EQ(j["msg"], "tab\there \x01 " + replacement + " " + replacement + replacement + " " +
                          replacement + replacement + replacement + " ü 🚓 end" + replacement +
                          replacement);
}

TEST(JsonLog, AFieldGivenTwiceAppearsOnceWithItsLastValue) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  spdlog::logger logger("json-test", sink);
  logger.set_formatter(std::make_unique<JsonLineFormatter>());
  logger.info("platform=x correlation=c platform=y done");
  const std::string line = out.str();
  EXPECT_EQ(line.find("\"platform\""), line.rfind("\"platform\"")) << line;
  auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["platform"], "y");
  EXPECT_EQ(j["correlation"], "c");
  EXPECT_EQ(j["msg"], "done");
}

TEST(JsonLog, FieldAtTheEndOfTheMessage) {
  auto j = LogLine("correlation=only", spdlog::level::info);
  EXPECT_EQ(j["correlation"], "only");
  EXPECT_EQ(j["msg"], "");
}

TEST(JsonLog, FormatNamesAreCheckedAndTextFormatStaysAvailable) {
  EXPECT_TRUE(SetLogFormat("json"));
  EXPECT_TRUE(SetLogFormat("text"));
  EXPECT_FALSE(SetLogFormat("xml"));
}

}  // namespace
}  // namespace wache::webhook
