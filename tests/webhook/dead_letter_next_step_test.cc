// The next step a dead letter's log line gives the operator, by what the platform said.
#include <gtest/gtest.h>

#include "webhook/stored_outbox.h"

namespace wache::webhook {
namespace {

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(DeadLetterNextStepTest, ARefusedTokenNamesTheAccountToCheckAndTheRetry) {
  const std::string step = DeadLetterNextStep("nrw-recruiting", 7, SendResult::Cause::kCredentials);
  EXPECT_TRUE(Has(step, "credentials of account nrw-recruiting")) << step;
  EXPECT_TRUE(Has(step, "`wache config show nrw-recruiting`")) << step;
  EXPECT_TRUE(Has(step, "`wache dead-letters --retry 7`")) << step;
}

TEST(DeadLetterNextStepTest, AClosedWindowIsNotWorthARetry) {
  const std::string step = DeadLetterNextStep("wa", 7, SendResult::Cause::kWindowClosed);
  EXPECT_TRUE(Has(step, "person writes again")) << step;
  EXPECT_FALSE(Has(step, "--retry")) << step;
}

TEST(DeadLetterNextStepTest, AnythingElseIsRetriedOnceFixed) {
  const std::string step = DeadLetterNextStep("wa", 12, SendResult::Cause::kOther);
  EXPECT_TRUE(Has(step, "once the cause is fixed")) << step;
  EXPECT_TRUE(Has(step, "`wache dead-letters --retry 12`")) << step;
  EXPECT_FALSE(Has(step, "credentials")) << step;
}

}  // namespace
}  // namespace wache::webhook
