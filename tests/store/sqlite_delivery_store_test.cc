// The SQLite inbox and outbox on a real file: dedupe, atomic completion, order within a
// conversation, emergency first, requeue after a crash, erasure and retention.
#include "store/sqlite_delivery_store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <filesystem>

namespace wache::store {
namespace {

namespace fs = std::filesystem;
using webhook::AcceptedMessage;
using webhook::OutboundMessage;

bot::TimePoint At(int64_t s) { return bot::TimePoint(std::chrono::seconds(s)); }

AcceptedMessage Msg(const std::string& id, const std::string& sender) {
  AcceptedMessage m;
  m.message.platform = "whatsapp";
  m.message.account = "wa";
  m.message.sender = sender;
  m.message.message_id = id;
  m.message.text = "Hallo " + id;
  m.message.time = At(1000);
  m.account_ref = "100";
  m.correlation_id = "c-" + id;
  return m;
}

OutboundMessage Reply(const AcceptedMessage& m, const std::string& text, bool emergency = false) {
  OutboundMessage o;
  o.platform = m.message.platform;
  o.account_id = m.message.account;
  o.account_ref = m.account_ref;
  o.recipient = m.message.sender;
  o.reply.text = text;
  o.reply.buttons.push_back({"w1|f|s|c", "Label", "key"});
  o.emergency = emergency;
  return o;
}

class SqliteDeliveryStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() /
            ("wache-delivery-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    fs::remove(path_);
    auto s = SqliteDeliveryStore::Open(path_.string());
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
  }
  void TearDown() override {
    store_.reset();
    for (auto suffix : {"", "-wal", "-shm"}) fs::remove(path_.string() + suffix);
  }
  fs::path path_;
  std::unique_ptr<SqliteDeliveryStore> store_;
};

TEST_F(SqliteDeliveryStoreTest, ASecondDeliveryOfTheSameMessageIsNotNew) {
  std::vector<AcceptedMessage> first = {Msg("m1", "a"), Msg("m2", "b")};
  auto r1 = store_->InsertInbound(first, At(1000));
  ASSERT_TRUE(r1.ok());
  EXPECT_EQ(r1.value(), (std::vector<bool>{true, true}));
  EXPECT_GT(first[0].inbox_id, 0);
  std::vector<AcceptedMessage> again = {Msg("m2", "b"), Msg("m3", "c")};
  auto r2 = store_->InsertInbound(again, At(1001));
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2.value(), (std::vector<bool>{false, true}));
  EXPECT_EQ(store_->PendingInbound().value().size(), 3u);
}

TEST_F(SqliteDeliveryStoreTest, CompletingStoresRepliesOnceAndTheySurviveReopening) {
  std::vector<AcceptedMessage> in = {Msg("m1", "a")};
  ASSERT_TRUE(store_->InsertInbound(in, At(1000)).ok());
  ASSERT_TRUE(
      store_->CompleteInbound(in[0], {Reply(in[0], "eins"), Reply(in[0], "zwei")}, At(1001)).ok());
  // A second completion (a replay) adds nothing.
  ASSERT_TRUE(store_->CompleteInbound(in[0], {Reply(in[0], "eins")}, At(1002)).ok());
  store_.reset();
  store_ = std::move(SqliteDeliveryStore::Open(path_.string())).value();
  EXPECT_TRUE(store_->PendingInbound().value().empty());
  EXPECT_EQ(store_->Counts().value().pending, 2);
  // One conversation: only the oldest reply is due until it is sent.
  auto due = store_->ClaimDue(At(2000), 10).value();
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].message.reply.text, "eins");
  EXPECT_EQ(due[0].message.reply.buttons.at(0).payload, "w1|f|s|c");
  EXPECT_TRUE(store_->ClaimDue(At(2000), 10).value().empty());
  ASSERT_TRUE(store_->MarkSent(due[0].id, "wamid.1", At(2001)).ok());
  auto next = store_->ClaimDue(At(2002), 10).value();
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].message.reply.text, "zwei");
}

TEST_F(SqliteDeliveryStoreTest, EmergencyRepliesAreClaimedFirstAndInFlightOnesComeBackAfterACrash) {
  std::vector<AcceptedMessage> in = {Msg("m1", "a"), Msg("m2", "b")};
  ASSERT_TRUE(store_->InsertInbound(in, At(1000)).ok());
  ASSERT_TRUE(store_->CompleteInbound(in[0], {Reply(in[0], "normal")}, At(1001)).ok());
  ASSERT_TRUE(store_->CompleteInbound(in[1], {Reply(in[1], "110", true)}, At(1002)).ok());
  auto due = store_->ClaimDue(At(2000), 1).value();
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].message.reply.text, "110");
  EXPECT_EQ(store_->RequeueInflight().value(), 1);
  EXPECT_EQ(store_->ClaimDue(At(2000), 10).value().size(), 2u);
}

TEST_F(SqliteDeliveryStoreTest, RetriesWaitForTheirTimeAndDeadLettersKeepTheReason) {
  std::vector<AcceptedMessage> in = {Msg("m1", "a")};
  ASSERT_TRUE(store_->InsertInbound(in, At(1000)).ok());
  ASSERT_TRUE(store_->CompleteInbound(in[0], {Reply(in[0], "x")}, At(1000)).ok());
  auto due = store_->ClaimDue(At(1000), 10).value();
  ASSERT_TRUE(store_->MarkRetry(due[0].id, At(1060), "500").ok());
  EXPECT_TRUE(store_->ClaimDue(At(1059), 10).value().empty());
  EXPECT_EQ(store_->NextDue().value(), At(1060));
  due = store_->ClaimDue(At(1060), 10).value();
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].attempts, 2);
  ASSERT_TRUE(store_->MarkDead(due[0].id, "outside the 24-hour window").ok());
  EXPECT_EQ(store_->Counts().value().dead, 1);
}

TEST_F(SqliteDeliveryStoreTest, ErasingAPersonRemovesTheirMessagesAndReplies) {
  std::vector<AcceptedMessage> in = {Msg("m1", "a"), Msg("m2", "b")};
  ASSERT_TRUE(store_->InsertInbound(in, At(1000)).ok());
  ASSERT_TRUE(store_->CompleteInbound(in[0], {Reply(in[0], "x")}, At(1000)).ok());
  EXPECT_EQ(store_->ErasePerson("whatsapp", "wa", "a").value(), 2);
  auto pending = store_->PendingInbound().value();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].message.message.sender, "b");
  EXPECT_EQ(store_->Counts().value().pending, 0);
}

TEST_F(SqliteDeliveryStoreTest, RetentionBlanksOldFinishedMessagesButKeepsTheDedupeKey) {
  std::vector<AcceptedMessage> in = {Msg("m1", "a"), Msg("m2", "b")};
  ASSERT_TRUE(store_->InsertInbound(in, At(1000)).ok());
  ASSERT_TRUE(store_->CompleteInbound(in[0], {Reply(in[0], "x")}, At(1000)).ok());
  auto due = store_->ClaimDue(At(1000), 10).value();
  ASSERT_TRUE(store_->MarkSent(due[0].id, "wamid", At(1000)).ok());
  // m2 is still unanswered: it keeps its text.
  EXPECT_EQ(store_->AnonymiseBefore(At(5000)).value(), 2);
  auto pending = store_->PendingInbound().value();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].message.message.text, "Hallo m2");
  std::vector<AcceptedMessage> late = {Msg("m1", "a")};
  EXPECT_EQ(store_->InsertInbound(late, At(6000)).value(), std::vector<bool>{false});
}

TEST_F(SqliteDeliveryStoreTest, PlatformStatusesKeepTheHighestReachedAndFailedWins) {
  std::vector<AcceptedMessage> in = {Msg("m1", "a")};
  ASSERT_TRUE(store_->InsertInbound(in, At(1000)).ok());
  ASSERT_TRUE(store_->CompleteInbound(in[0], {Reply(in[0], "x")}, At(1000)).ok());
  auto due = store_->ClaimDue(At(1000), 10).value();
  ASSERT_TRUE(store_->MarkSent(due[0].id, "wamid.9", At(1000)).ok());
  auto status = [&] {
    SQLite::Database db(path_.string());
    return db.execAndGet("SELECT platform_status FROM outbox WHERE platform_message_id = 'wamid.9'")
        .getString();
  };
  // Out of order, as WhatsApp delivers them: read before delivered.
  ASSERT_TRUE(store_->RecordPlatformStatus("whatsapp", "wamid.9", "read", "").ok());
  ASSERT_TRUE(store_->RecordPlatformStatus("whatsapp", "wamid.9", "delivered", "").ok());
  EXPECT_EQ(status(), "read");
  ASSERT_TRUE(store_->RecordPlatformStatus("whatsapp", "wamid.9", "failed", "131047").ok());
  EXPECT_EQ(status(), "failed");
  // Another platform's id of the same spelling is not touched.
  ASSERT_TRUE(store_->RecordPlatformStatus("messenger", "wamid.9", "sent", "").ok());
  EXPECT_EQ(status(), "failed");
}

}  // namespace
}  // namespace wache::store
