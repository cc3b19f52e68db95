// OpenDatabase: the stores' connections to one file take turns writing. A connection that
// finds another one writing retries (RetryWhenBusy) instead of failing with SQLITE_BUSY.
// OpenConnection: the stores of `wache serve` share one connection and its mutex.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "store/schema.h"
#include "store/sqlite_delivery_store.h"
#include "store/sqlite_handover_store.h"
#include "store/sqlite_state_store.h"

namespace wache::store {
namespace {

namespace fs = std::filesystem;

// A new, empty folder under the temporary directory, unique per test run.
fs::path EmptyDir(const std::string& prefix) {
  const fs::path dir = fs::temp_directory_path() /
                       (prefix + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(OpenDatabaseTest, AWriterWaitsForAnotherConnectionsTransactionInsteadOfFailing) {
  const fs::path dir = EmptyDir("wache_open_db_");
  const std::string path = (dir / "wache.db").string();
  {
    auto first = OpenDatabase(path);
    auto second = OpenDatabase(path);
    first->exec("CREATE TABLE t (x INTEGER)");

    SQLite::Transaction held(*first, SQLite::TransactionBehavior::IMMEDIATE);
    first->exec("INSERT INTO t VALUES (1)");
    // The second connection writes while the first holds the write lock; the first commits
    // 50 ms later (many retries of the short pauses). Without a busy handler this throws
    // "database is locked" at once.
    std::thread committer([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      held.commit();
    });
    EXPECT_NO_THROW(second->exec("INSERT INTO t VALUES (2)"));
    committer.join();
    EXPECT_EQ(second->execAndGet("SELECT count(*) FROM t").getInt(), 2);
  }
  fs::remove_all(dir);
}

TEST(OpenDatabaseTest, StoresSharingOneConnectionWorkFromManyThreadsAndSeeEachOthersRows) {
  const fs::path dir = EmptyDir("wache_shared_db_");
  const std::string path = (dir / "wache.db").string();
  {
    auto database = OpenConnection(path);
    auto state = SqliteStateStore::OpenOn(database);
    auto delivery = std::move(SqliteDeliveryStore::OpenOn(database)).value();
    auto handovers = SqliteHandoverStore::OpenOn(database);
    // Each thread takes messages in and completes them (the group commit releases the mutex
    // for its fsync), saves conversation state and asks for open hand-overs, as the intake,
    // the workers and the senders do at once.
    constexpr int kThreads = 4, kEach = 50;
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) {
          const std::string sender = std::to_string(t) + "-" + std::to_string(i);
          webhook::AcceptedMessage m;
          m.message.platform = "whatsapp";
          m.message.account = "wa";
          m.message.sender = sender;
          m.message.message_id = "wamid." + sender;
          m.message.text = "Hallo";
          m.account_ref = "100";
          std::vector<webhook::AcceptedMessage> batch = {m};
          const bot::TimePoint now{std::chrono::seconds(1000)};
          if (!delivery->InsertInbound(batch, now).ok()) ++failures;
          webhook::OutboundMessage reply;
          reply.platform = "whatsapp";
          reply.account_id = "wa";
          reply.account_ref = "100";
          reply.recipient = sender;
          reply.reply.text = "Guten Tag";
          if (!delivery->CompleteInbound(batch[0], {reply}, now, {.claim = true}).ok()) ++failures;
          bot::ConversationState s;
          s.flow = "greeting";
          s.step = "menu";
          s.language = "de";
          s.last_activity = now;
          if (!state->Save({"whatsapp", "wa", sender}, s).ok()) ++failures;
          if (!handovers->FindOpen("whatsapp", "wa", sender).ok()) ++failures;
        }
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_TRUE(delivery->PendingInbound().value().empty());
    EXPECT_EQ(delivery->Counts().value().inflight, kThreads * kEach);
    auto loaded = state->Load({"whatsapp", "wa", "3-49"}).value();
    ASSERT_TRUE(loaded.has_value());
    EXPECT_EQ(loaded->step, "menu");
  }
  // A second process (here: a second connection) sees all of it on disk.
  auto other = SqliteStateStore::Open(path);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other.value()->Load({"whatsapp", "wa", "0-0"}).value().has_value());
  other = Status::Error("closed");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace wache::store
