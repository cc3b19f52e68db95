// SendPolicy on a real SQLite outbox: pacing per person, budgets per account and per app
// with a reserve for emergencies, and a budget the platform reports as used up.
#include "webhook/send_policy.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "store/sqlite_delivery_store.h"

namespace wache::webhook {
namespace {

namespace fs = std::filesystem;
using std::chrono::minutes;
using std::chrono::seconds;

bot::TimePoint At(int64_t s) { return bot::TimePoint(seconds(s)); }

class SendPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() /
            ("wache-policy-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    fs::remove(path_);
    store_ = std::move(store::SqliteDeliveryStore::Open(path_.string())).value();
  }
  void TearDown() override {
    store_.reset();
    for (auto suffix : {"", "-wal", "-shm"}) fs::remove(path_.string() + suffix);
  }

  // Records a reply from `account` to `recipient` as sent at `t`.
  void Sent(const std::string& platform, const std::string& account, const std::string& recipient,
            int64_t t) {
    AcceptedMessage m;
    m.message.platform = platform;
    m.message.account = account;
    m.message.sender = recipient;
    m.message.message_id = "m" + std::to_string(++n_);
    m.message.time = At(t);
    std::vector<AcceptedMessage> batch = {m};
    ASSERT_TRUE(store_->InsertInbound(batch, At(t)).ok());
    ASSERT_TRUE(
        store_->CompleteInbound(batch[0], {Reply(platform, account, recipient)}, At(t)).ok());
    auto due = store_->ClaimDue(At(t), 1).value();
    ASSERT_EQ(due.size(), 1u);
    ASSERT_TRUE(store_->MarkSent(due[0].id, "id" + std::to_string(n_), At(t)).ok());
  }

  static OutboundMessage Reply(const std::string& platform, const std::string& account,
                               const std::string& recipient, bool emergency = false) {
    OutboundMessage o;
    o.platform = platform;
    o.account_id = account;
    o.recipient = recipient;
    o.reply.text = "x";
    o.emergency = emergency;
    return o;
  }

  static OutboxRecord Next(const std::string& platform, const std::string& account,
                           const std::string& recipient, bool emergency = false) {
    OutboxRecord r;
    r.message = Reply(platform, account, recipient, emergency);
    return r;
  }

  fs::path path_;
  std::unique_ptr<store::SqliteDeliveryStore> store_;
  int n_ = 0;
};

TEST_F(SendPolicyTest, PacingHoldsTheNextMessageToAPersonButNotToOthers) {
  PlatformPolicy p;
  p.pacing = {2, seconds(10)};
  SendPolicy policy(*store_, {{"whatsapp", p}});
  Sent("whatsapp", "wa", "anna", 1000);
  EXPECT_FALSE(policy.Check(Next("whatsapp", "wa", "anna"), At(1001)));
  Sent("whatsapp", "wa", "anna", 1001);
  auto hold = policy.Check(Next("whatsapp", "wa", "anna"), At(1002));
  ASSERT_TRUE(hold);
  EXPECT_EQ(hold->until, At(1007));  // 10 s / 2 messages
  EXPECT_NE(hold->reason.find("pacing"), std::string::npos);
  EXPECT_FALSE(policy.Check(Next("whatsapp", "wa", "ben"), At(1002)));
  EXPECT_FALSE(policy.Check(Next("whatsapp", "wa", "anna"), At(1011)));  // period passed
}

TEST_F(SendPolicyTest, EmergencyRepliesAreNeverHeld) {
  PlatformPolicy p;
  p.pacing = {1, seconds(60)};
  p.budgets = {{1, minutes(15), false}};
  SendPolicy policy(*store_, {{"x", p}});
  Sent("x", "xx", "anna", 1000);
  EXPECT_TRUE(policy.Check(Next("x", "xx", "anna"), At(1001)));
  EXPECT_FALSE(policy.Check(Next("x", "xx", "anna", /*emergency=*/true), At(1001)));
}

TEST_F(SendPolicyTest, TheBudgetKeepsItsReserveForEmergencies) {
  PlatformPolicy p;
  p.budgets = {{5, minutes(15), false}};
  p.emergency_reserve = 3;
  SendPolicy policy(*store_, {{"x", p}});
  Sent("x", "xx", "a", 1000);
  EXPECT_FALSE(policy.Check(Next("x", "xx", "b"), At(1001)));
  Sent("x", "xx", "b", 1001);
  // 2 sent, 5 - 3 reserved: the third ordinary reply waits.
  auto hold = policy.Check(Next("x", "xx", "c"), At(1002));
  ASSERT_TRUE(hold);
  EXPECT_EQ(hold->until, At(1002 + 900 / 5));
  EXPECT_NE(hold->reason.find("budget 5 per 900 s"), std::string::npos);
  // Another account has its own budget...
  EXPECT_FALSE(policy.Check(Next("x", "other", "c"), At(1002)));
  // ...and after the period the budget is free again.
  EXPECT_FALSE(policy.Check(Next("x", "xx", "c"), At(1000 + 901 + 1)));
}

TEST_F(SendPolicyTest, AnAppWideBudgetCountsEveryAccount) {
  PlatformPolicy p;
  p.budgets = {{2, minutes(60), true}};
  SendPolicy policy(*store_, {{"x", p}});
  Sent("x", "one", "a", 1000);
  Sent("x", "two", "b", 1000);
  auto hold = policy.Check(Next("x", "three", "c"), At(1001));
  ASSERT_TRUE(hold);
  EXPECT_NE(hold->reason.find("(app)"), std::string::npos);
}

TEST_F(SendPolicyTest, ABudgetThePlatformReportsUsedUpHoldsUntilItsReset) {
  SendPolicy policy(*store_, {{"x", PlatformPolicy{}}});
  SendResult ok;
  ok.outcome = SendResult::Outcome::kSent;
  ok.budget_resets_in = seconds(120);
  policy.Observe(Next("x", "xx", "a"), ok, At(1000));
  auto hold = policy.Check(Next("x", "xx", "b"), At(1010));
  ASSERT_TRUE(hold);
  EXPECT_EQ(hold->until, At(1120));
  EXPECT_FALSE(policy.Check(Next("x", "other", "b"), At(1010)));
  EXPECT_FALSE(policy.Check(Next("x", "xx", "b"), At(1120)));
}

TEST_F(SendPolicyTest, PlatformsWithoutRulesAreNeverHeld) {
  SendPolicy policy(*store_, {});
  for (int i = 0; i < 20; ++i) Sent("messenger", "fb", "a", 1000);
  EXPECT_FALSE(policy.Check(Next("messenger", "fb", "a"), At(1000)));
}

}  // namespace
}  // namespace wache::webhook
