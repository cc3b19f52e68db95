// SqliteStateStore: the StateStore contract on a real SQLite file.
#include "store/sqlite_state_store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace wache::store {
namespace {

namespace fs = std::filesystem;
using bot::ConversationKey;
using bot::ConversationState;
using bot::TimePoint;
using std::chrono::minutes;

const TimePoint kNoon = TimePoint(std::chrono::seconds(1'800'000'000));

class SqliteStateStoreTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(testing::TempDir()) /
           ("wache_sqlite_" +
            std::string(testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "state.db").string();
    store_ = OpenStore();
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  std::unique_ptr<SqliteStateStore> OpenStore() {
    auto r = SqliteStateStore::Open(path_);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? std::move(r).value() : nullptr;
  }

  std::optional<ConversationState> Load(const ConversationKey& key) {
    auto r = store_->Load(key);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r.value() : std::nullopt;
  }

  fs::path dir_;
  std::string path_;
  std::unique_ptr<SqliteStateStore> store_;
};

ConversationState FullState() {
  ConversationState s;
  s.flow = "applicant";
  s.step = "menu";
  s.language = "tr";
  s.retries = 2;
  s.turns = 17;
  s.last_activity = kNoon;
  s.replies_by_flow = {{"netiquette", 1}, {"thanks", 3}};
  return s;
}

TEST_F(SqliteStateStoreTest, LoadOfUnknownConversationIsEmpty) {
  ASSERT_NE(store_, nullptr);
  EXPECT_FALSE(Load({"whatsapp", "koeln", "alice"}).has_value());
}

TEST_F(SqliteStateStoreTest, EveryFieldRoundTrips) {
  ASSERT_NE(store_, nullptr);
  ConversationKey key{"whatsapp", "koeln", "+49 171 Ünïcødé"};
  ASSERT_TRUE(store_->Save(key, FullState()).ok());
  auto loaded = Load(key);
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(*loaded, FullState());  // flow, step, language, counters, time, replies_by_flow
}

TEST_F(SqliteStateStoreTest, EmptyStateRoundTrips) {
  ASSERT_NE(store_, nullptr);
  ASSERT_TRUE(store_->Save({"x", "a", "s"}, ConversationState{}).ok());
  EXPECT_EQ(Load({"x", "a", "s"}), ConversationState{});
}

TEST_F(SqliteStateStoreTest, SaveReplacesAndKeysAreSeparate) {
  ASSERT_NE(store_, nullptr);
  ConversationState other = FullState();
  other.flow = "report";
  other.replies_by_flow.clear();
  ASSERT_TRUE(store_->Save({"whatsapp", "koeln", "alice"}, FullState()).ok());
  ASSERT_TRUE(store_->Save({"whatsapp", "koeln", "bob"}, FullState()).ok());
  ASSERT_TRUE(store_->Save({"messenger", "koeln", "alice"}, FullState()).ok());
  ASSERT_TRUE(store_->Save({"whatsapp", "koeln", "alice"}, other).ok());
  EXPECT_EQ(Load({"whatsapp", "koeln", "alice"}), other);
  EXPECT_EQ(Load({"whatsapp", "koeln", "bob"}), FullState());
  EXPECT_EQ(Load({"messenger", "koeln", "alice"}), FullState());
}

TEST_F(SqliteStateStoreTest, StateSurvivesReopeningTheFile) {
  ASSERT_NE(store_, nullptr);
  ASSERT_TRUE(store_->Save({"whatsapp", "koeln", "alice"}, FullState()).ok());
  store_.reset();
  store_ = OpenStore();
  ASSERT_NE(store_, nullptr);
  EXPECT_EQ(Load({"whatsapp", "koeln", "alice"}), FullState());
}

TEST_F(SqliteStateStoreTest, EraseRemovesOnlyThatConversation) {
  ASSERT_NE(store_, nullptr);
  ASSERT_TRUE(store_->Save({"whatsapp", "koeln", "alice"}, FullState()).ok());
  ASSERT_TRUE(store_->Save({"whatsapp", "koeln", "bob"}, FullState()).ok());
  ASSERT_TRUE(store_->Erase({"whatsapp", "koeln", "alice"}).ok());
  EXPECT_FALSE(Load({"whatsapp", "koeln", "alice"}).has_value());
  EXPECT_TRUE(Load({"whatsapp", "koeln", "bob"}).has_value());
  EXPECT_TRUE(store_->Erase({"whatsapp", "koeln", "nobody"}).ok());
}

TEST_F(SqliteStateStoreTest, EraseIdleBeforeDeletesOnlyConversationsIdleSinceBeforeTheCutoff) {
  ASSERT_NE(store_, nullptr);
  auto save = [&](const std::string& sender, TimePoint t) {
    ConversationState s = FullState();
    s.last_activity = t;
    ASSERT_TRUE(store_->Save({"x", "a", sender}, s).ok());
  };
  save("old", kNoon - minutes(31));
  save("older", kNoon - minutes(600));
  save("edge", kNoon - minutes(30));
  save("new", kNoon);
  auto n = store_->EraseIdleBefore(kNoon - minutes(30));
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(n.value(), 2);
  EXPECT_FALSE(Load({"x", "a", "old"}).has_value());
  EXPECT_FALSE(Load({"x", "a", "older"}).has_value());
  EXPECT_TRUE(Load({"x", "a", "edge"}).has_value());
  EXPECT_TRUE(Load({"x", "a", "new"}).has_value());
  EXPECT_EQ(store_->EraseIdleBefore(kNoon - minutes(30)).value(), 0);
}

TEST_F(SqliteStateStoreTest, SchemaVersionIsSetAndReopeningDoesNotMigrateAgain) {
  ASSERT_NE(store_, nullptr);
  ASSERT_TRUE(store_->Save({"x", "a", "s"}, FullState()).ok());
  store_.reset();
  {
    SQLite::Database db(path_, SQLite::OPEN_READONLY);
    EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), 6);  // up to the claim index
    // Only the rows their queries need are in two of the outbox's indexes (version 6).
    EXPECT_NE(db.execAndGet("SELECT sql FROM sqlite_master WHERE name = 'outbox_due'")
                  .getString()
                  .find("WHERE status = 'pending'"),
              std::string::npos);
    EXPECT_NE(db.execAndGet("SELECT sql FROM sqlite_master WHERE name = 'outbox_platform_message'")
                  .getString()
                  .find("WHERE platform_message_id IS NOT NULL"),
              std::string::npos);
    EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "wal");
  }
  store_ = OpenStore();  // a second migration would fail on CREATE TABLE
  ASSERT_NE(store_, nullptr);
  EXPECT_EQ(Load({"x", "a", "s"}), FullState());
}

TEST_F(SqliteStateStoreTest, InMemoryDatabaseWorks) {
  auto r = SqliteStateStore::Open(":memory:");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_TRUE(r.value()->Save({"x", "a", "s"}, FullState()).ok());
  auto loaded = r.value()->Load({"x", "a", "s"});
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded.value(), FullState());
}

TEST_F(SqliteStateStoreTest, UnopenableFileIsAnErrorStatusNotAnException) {
  auto r = SqliteStateStore::Open((dir_ / "no" / "such" / "dir" / "state.db").string());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("cannot open state database"), std::string::npos);
}

TEST_F(SqliteStateStoreTest, FileThatIsNotADatabaseIsAnErrorStatus) {
  store_.reset();
  std::ofstream(path_, std::ios::trunc) << "this is not an SQLite database, just some text\n";
  auto r = SqliteStateStore::Open(path_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find(path_), std::string::npos);
}

TEST_F(SqliteStateStoreTest, DatabaseFromANewerVersionIsRefusedNotMigrated) {
  store_.reset();
  {
    SQLite::Database db(path_, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA user_version = 99");
  }
  auto r = SqliteStateStore::Open(path_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("newer than this version of Wache"), std::string::npos);
  SQLite::Database db(path_, SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), 99) << "the file must stay untouched";
}

}  // namespace
}  // namespace wache::store
