// OpenDatabase: the stores' connections to one file take turns writing. A connection that
// finds another one writing retries (RetryWhenBusy) instead of failing with SQLITE_BUSY.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "store/schema.h"

namespace wache::store {
namespace {

namespace fs = std::filesystem;

TEST(OpenDatabaseTest, AWriterWaitsForAnotherConnectionsTransactionInsteadOfFailing) {
  const fs::path dir =
      fs::temp_directory_path() /
      ("wache_open_db_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  fs::remove_all(dir);
  fs::create_directories(dir);
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

}  // namespace
}  // namespace wache::store
