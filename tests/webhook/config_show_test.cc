// `wache config show ACCOUNT` on the shipped config, run as staff would: the effective
// values with their origin, the calendar, and the station's own flows and texts.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/serve_process.h"

namespace wache {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunWache;

const std::string kConfig = std::string(WACHE_SOURCE_DIR) + "/config/wache.yaml";

TEST(ConfigShowTest, ShowsEachValueWithTheLayerItComesFrom) {
  auto r = RunWache({"config", "show", "koeln-messenger", "--config", kConfig});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("station: koeln (Polizeipräsidium Köln)"));
  EXPECT_THAT(r.output, ::testing::ContainsRegex("station_name: \"Polizei Köln\" +# station koeln "
                                                 "\\(wache.yaml:[0-9]+\\)"));
  EXPECT_THAT(r.output, ::testing::ContainsRegex("emergency_number: \"110\" +# defaults "
                                                 "\\(wache.yaml:[0-9]+\\)"));
  EXPECT_THAT(r.output, HasSubstr("holidays: NW"));
}

TEST(ConfigShowTest, ListsTheStationsOwnFlowsAndTexts) {
  auto koeln = RunWache({"config", "show", "koeln-instagram", "--config", kConfig});
  ASSERT_EQ(koeln.exit_code, 0) << koeln.output;
  EXPECT_THAT(koeln.output, HasSubstr("flow: koeln_karneval"));
  EXPECT_THAT(koeln.output, HasSubstr("text: thanks.reply (de), instead of the text for everyone"));
  EXPECT_THAT(koeln.output, HasSubstr("text: koeln.karneval (en)"));

  auto dortmund = RunWache({"config", "show", "dortmund-x", "--config", kConfig});
  ASSERT_EQ(dortmund.exit_code, 0) << dortmund.output;
  EXPECT_THAT(dortmund.output, Not(HasSubstr("koeln_karneval")));
  EXPECT_THAT(dortmund.output, HasSubstr("none: the flows and texts for everyone"));
}

TEST(ConfigShowTest, AnUnknownAccountNamesTheLikelyOne) {
  auto r = RunWache({"config", "show", "koeln-mesenger", "--config", kConfig});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.output, HasSubstr("did you mean 'koeln-messenger'?"));
}

}  // namespace
}  // namespace wache
