// The SQLite inbox and outbox on a real file: dedupe, atomic completion, order within a
// conversation, emergency first, requeue after a crash, erasure and retention.
#include "store/sqlite_delivery_store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "store/sqlite_state_store.h"

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

TEST_F(SqliteDeliveryStoreTest, AnEmergencyReplyDoesNotWaitBehindAHeldOrdinaryReply) {
  std::vector<AcceptedMessage> in = {Msg("m1", "a"), Msg("m2", "a")};
  ASSERT_TRUE(store_->InsertInbound(in, At(1000)).ok());
  ASSERT_TRUE(store_->CompleteInbound(in[0], {Reply(in[0], "thanks")}, At(1000)).ok());
  ASSERT_TRUE(
      store_
          ->CompleteInbound(in[1], {Reply(in[1], "110", true), Reply(in[1], "112", true)}, At(1000))
          .ok());
  // The ordinary reply is held back (pacing): pending until much later.
  auto due = store_->ClaimDue(At(1000), 1).value();
  ASSERT_EQ(due.size(), 1u);
  ASSERT_EQ(due[0].message.reply.text, "110") << "emergencies are claimed first";
  ASSERT_TRUE(store_->MarkSent(due[0].id, "w1", At(1000)).ok());
  due = store_->ClaimDue(At(1000), 1).value();
  ASSERT_EQ(due.size(), 1u);
  ASSERT_EQ(due[0].message.reply.text, "112");
  ASSERT_TRUE(store_->Defer(due[0].id, At(1000), "test").ok());
  // Hold the ordinary one: the emergency reply after it in the conversation still goes.
  due = store_->ClaimDue(At(1000), 10).value();
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].message.reply.text, "112");
  EXPECT_EQ(due[1].message.reply.text, "thanks");
  ASSERT_TRUE(store_->Defer(due[1].id, At(5000), "pacing").ok());
  ASSERT_TRUE(store_->Defer(due[0].id, At(1000), "again").ok());
  due = store_->ClaimDue(At(1000), 10).value();
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].message.reply.text, "112");
}

TEST_F(SqliteDeliveryStoreTest, ConcurrentWebhooksShareCommitsAndEachDuplicateIsSeenOnce) {
  // 8 threads deliver 50 messages each; every message is delivered by two threads at once
  // (the platform's retry racing the original). Each message must be new exactly once.
  constexpr int kThreads = 8, kPerThread = 50;
  std::vector<std::thread> threads;
  std::atomic<int> fresh{0}, duplicates{0}, errors{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        // Threads 2k and 2k+1 send the same ids.
        std::vector<AcceptedMessage> batch = {
            Msg("t" + std::to_string(t / 2) + "-" + std::to_string(i), "p")};
        auto r = store_->InsertInbound(batch, At(1000));
        if (!r.ok()) {
          ++errors;
          continue;
        }
        if (r.value()[0]) {
          ++fresh;
          EXPECT_GT(batch[0].inbox_id, 0);
        } else {
          ++duplicates;
          EXPECT_EQ(batch[0].inbox_id, 0);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors, 0);
  EXPECT_EQ(fresh, kThreads / 2 * kPerThread);
  EXPECT_EQ(duplicates, kThreads / 2 * kPerThread);
  EXPECT_EQ(store_->PendingInbound().value().size(), size_t(kThreads / 2 * kPerThread));
}

TEST_F(SqliteDeliveryStoreTest, ADeferredReplyWaitsWithoutUsingAnAttempt) {
  std::vector<AcceptedMessage> in = {Msg("m1", "a")};
  ASSERT_TRUE(store_->InsertInbound(in, At(1000)).ok());
  ASSERT_TRUE(store_->CompleteInbound(in[0], {Reply(in[0], "x")}, At(1000)).ok());
  auto due = store_->ClaimDue(At(1000), 10).value();
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].attempts, 1);
  ASSERT_TRUE(store_->Defer(due[0].id, At(1060), "budget").ok());
  EXPECT_TRUE(store_->ClaimDue(At(1059), 10).value().empty());
  due = store_->ClaimDue(At(1060), 10).value();
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].attempts, 1) << "a deferral is not a failed attempt";
}

TEST_F(SqliteDeliveryStoreTest, SentRepliesAreCountedPerAccountAndRecipientSinceATime) {
  std::vector<AcceptedMessage> in = {Msg("m1", "a"), Msg("m2", "a"), Msg("m3", "b")};
  in[2].message.account = "other";
  ASSERT_TRUE(store_->InsertInbound(in, At(1000)).ok());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(store_->CompleteInbound(in[i], {Reply(in[i], "x")}, At(1000)).ok());
  }
  // Sent one at a time (a conversation's second reply is due after its first): m1 at 1000,
  // m2 at 1100, m3 at 1200.
  for (int64_t t : {1000, 1100, 1200}) {
    auto due = store_->ClaimDue(At(t), 1).value();
    ASSERT_EQ(due.size(), 1u);
    ASSERT_TRUE(store_->MarkSent(due[0].id, "wamid." + std::to_string(t), At(t)).ok());
  }
  EXPECT_EQ(store_->CountSent("whatsapp", "", "", At(0)).value(), 3);
  EXPECT_EQ(store_->CountSent("whatsapp", "wa", "", At(0)).value(), 2);
  EXPECT_EQ(store_->CountSent("whatsapp", "wa", "a", At(0)).value(), 2);
  EXPECT_EQ(store_->CountSent("whatsapp", "wa", "b", At(0)).value(), 0);
  EXPECT_EQ(store_->CountSent("whatsapp", "", "", At(1101)).value(), 1);
  EXPECT_EQ(store_->CountSent("whatsapp", "wa", "", At(1100)).value(), 1);
  EXPECT_EQ(store_->CountSent("x", "", "", At(0)).value(), 0);
}

TEST_F(SqliteDeliveryStoreTest, ClaimedRepliesCarryTheMomentTheWebhookWasTaken) {
  std::vector<AcceptedMessage> in = {Msg("m1", "a")};
  in[0].received_ms = 1'800'000'000'123;
  ASSERT_TRUE(store_->InsertInbound(in, At(1000)).ok());
  ASSERT_TRUE(store_->CompleteInbound(in[0], {Reply(in[0], "x")}, At(1000)).ok());
  auto due = store_->ClaimDue(At(1000), 10).value();
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].received_ms, 1'800'000'000'123);
}

TEST_F(SqliteDeliveryStoreTest, RepliesAreClaimedWhenStoredUnlessTheirConversationIsWaiting) {
  std::vector<AcceptedMessage> in = {Msg("m1", "a"), Msg("m2", "a"), Msg("m3", "b")};
  in[0].received_ms = 1'800'000'000'123;
  ASSERT_TRUE(store_->InsertInbound(in, At(1000)).ok());
  // Nothing of the conversation is unsent: both replies are claimed, in order, as ClaimDue
  // would have returned them, and no claim finds them again.
  auto first = store_->CompleteInbound(in[0], {Reply(in[0], "eins"), Reply(in[0], "zwei")},
                                       At(1001), {.claim = true});
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_EQ(first.value().size(), 2u);
  EXPECT_EQ(first.value()[0].message.reply.text, "eins");
  EXPECT_EQ(first.value()[1].message.reply.text, "zwei");
  EXPECT_LT(first.value()[0].id, first.value()[1].id);
  EXPECT_EQ(first.value()[0].attempts, 1);
  EXPECT_EQ(first.value()[0].inbox_id, in[0].inbox_id);
  EXPECT_EQ(first.value()[0].correlation_id, "c-m1");
  EXPECT_EQ(first.value()[0].received_ms, 1'800'000'000'123);
  EXPECT_EQ(first.value()[0].inbound_at, At(1000));
  EXPECT_EQ(store_->Counts().value().inflight, 2);
  EXPECT_TRUE(store_->ClaimDue(At(2000), 10).value().empty());

  // The same person again while those are in flight: stored pending, behind them.
  auto second = store_->CompleteInbound(in[1], {Reply(in[1], "drei")}, At(1002), {.claim = true});
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second.value().empty());
  // Somebody else is not held up.
  auto other = store_->CompleteInbound(in[2], {Reply(in[2], "b")}, At(1002), {.claim = true});
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other.value().size(), 1u);

  // The first reply is not sent (a retry later): the second goes back, unused, and waits.
  ASSERT_TRUE(store_->MarkRetry(first.value()[0].id, At(1060), "500").ok());
  ASSERT_TRUE(store_->Unclaim({first.value()[1].id}).ok());
  EXPECT_TRUE(store_->ClaimDue(At(1059), 10).value().empty());
  auto due = store_->ClaimDue(At(1060), 10).value();
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].message.reply.text, "eins");
  EXPECT_EQ(due[0].attempts, 2);
  ASSERT_TRUE(store_->MarkSent(due[0].id, "wamid.1", At(1060)).ok());
  due = store_->ClaimDue(At(1060), 10).value();
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].message.reply.text, "zwei");
  EXPECT_EQ(due[0].attempts, 1) << "an unclaimed reply was never tried";

  // A replay of a handled message claims nothing and stores nothing.
  auto replay = store_->CompleteInbound(in[0], {Reply(in[0], "eins")}, At(1003), {.claim = true});
  ASSERT_TRUE(replay.ok());
  EXPECT_TRUE(replay.value().empty());
  EXPECT_EQ(store_->Counts().value().pending, 1);  // "drei"
}

TEST_F(SqliteDeliveryStoreTest, TheConversationStateIsStoredWithTheRepliesAndNotByAReplay) {
  std::vector<AcceptedMessage> in = {Msg("m1", "a")};
  ASSERT_TRUE(store_->InsertInbound(in, At(1000)).ok());
  bot::ConversationState state;
  state.flow = "applicant";
  state.step = "menu";
  state.language = "de";
  state.turns = 1;
  state.last_activity = At(1000);
  ASSERT_TRUE(store_
                  ->CompleteInbound(in[0], {Reply(in[0], "Menü")}, At(1001),
                                    {.claim = true, .state = &state})
                  .ok());
  // A replay of the handled message with another state changes nothing.
  bot::ConversationState other = state;
  other.step = "requirements";
  ASSERT_TRUE(store_->CompleteInbound(in[0], {}, At(1002), {.claim = true, .state = &other}).ok());
  auto states = SqliteStateStore::Open(path_.string());
  ASSERT_TRUE(states.ok());
  auto loaded = states.value()->Load({"whatsapp", "wa", "a"}).value();
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->flow, "applicant");
  EXPECT_EQ(loaded->step, "menu");
  EXPECT_EQ(loaded->turns, 1);
}

TEST(SqliteDeliveryStoreUpgrade, AVersion2DatabaseKeepsItsMessagesAndRepliesWhenOpened) {
  // A database as Wache wrote it before schema 3, with one pending reply.
  fs::path path = fs::temp_directory_path() / ("wache-upgrade-" + std::to_string(::getpid()));
  fs::remove(path);
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(
        "CREATE TABLE conversation_state (platform TEXT NOT NULL, account TEXT NOT NULL, "
        "sender TEXT NOT NULL, flow TEXT NOT NULL, step TEXT NOT NULL, language TEXT NOT NULL, "
        "retries INTEGER NOT NULL, turns INTEGER NOT NULL, last_activity INTEGER NOT NULL, "
        "replies_by_flow TEXT NOT NULL, PRIMARY KEY (platform, account, sender)) WITHOUT ROWID;"
        "CREATE TABLE inbox (id INTEGER PRIMARY KEY, platform TEXT NOT NULL, account TEXT NOT "
        "NULL, message_id TEXT NOT NULL, account_ref TEXT NOT NULL, sender TEXT NOT NULL, text "
        "TEXT NOT NULL, button_payload TEXT NOT NULL, unsupported TEXT NOT NULL, sent_at "
        "INTEGER, correlation_id TEXT NOT NULL, received_at INTEGER NOT NULL, handled_at "
        "INTEGER, UNIQUE (platform, account, message_id));"
        "CREATE TABLE outbox (id INTEGER PRIMARY KEY, inbox_id INTEGER NOT NULL, conversation "
        "TEXT NOT NULL, platform TEXT NOT NULL, account TEXT NOT NULL, account_ref TEXT NOT "
        "NULL, recipient TEXT NOT NULL, reply TEXT NOT NULL, menu_label TEXT NOT NULL, "
        "emergency INTEGER NOT NULL, correlation_id TEXT NOT NULL, inbound_at INTEGER NOT NULL, "
        "created_at INTEGER NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL, "
        "next_attempt_at INTEGER NOT NULL, platform_message_id TEXT, platform_status TEXT, "
        "last_error TEXT, sent_at INTEGER);"
        "INSERT INTO inbox VALUES (1,'whatsapp','wa','wamid.old','100','4915','Hallo','','',"
        "1000,'wh-1',1000,1001);"
        "INSERT INTO outbox VALUES (1,1,'whatsappwa"
        "4915','whatsapp','wa','100','4915',"
        "'{\"text\":\"Guten Tag\"}','',0,'wh-1',1000,1001,'pending',0,1001,NULL,NULL,NULL,NULL);"
        "PRAGMA user_version = 2;");
  }
  auto opened = SqliteDeliveryStore::Open(path.string());
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  auto& store = *opened.value();
  auto due = store.ClaimDue(At(2000), 10).value();
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].message.reply.text, "Guten Tag");
  EXPECT_EQ(due[0].received_ms, 0) << "unknown for replies stored before the upgrade";
  std::vector<AcceptedMessage> again = {Msg("wamid.old", "4915")};
  EXPECT_FALSE(store.InsertInbound(again, At(2000)).value()[0]) << "the dedupe key survived";
  opened = Status::Error("closed");
  for (auto suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix);
}

}  // namespace
}  // namespace wache::store
