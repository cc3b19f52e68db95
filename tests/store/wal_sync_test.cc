// WalSync: the fdatasync of the WAL that makes an inbox commit durable outside the
// delivery store's lock. What can be checked without pulling the power: it finds the WAL of a
// real database, refuses what has none (so the store falls back to synchronous=FULL), and
// follows a WAL file that was deleted and created again.
#include "store/wal_sync.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "store/schema.h"

namespace wache::store {
namespace {

namespace fs = std::filesystem;

class WalSyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("wache_wal_sync_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(WalSyncTest, FindsTheWalOfAnOpenDatabaseAndSyncsIt) {
  const std::string path = (dir_ / "wache.db").string();
  auto db = OpenDatabase(path);
  ASSERT_TRUE(fs::exists(path + "-wal")) << "OpenDatabase leaves the database in WAL mode";
  auto wal = WalSync::Open(path);
  ASSERT_NE(wal, nullptr);
  db->exec("CREATE TABLE t (x INTEGER)");
  db->exec("INSERT INTO t VALUES (1)");
  EXPECT_TRUE(wal->Sync().ok());
  EXPECT_GT(fs::file_size(path + "-wal"), 0u) << "the commit's frames are in the WAL";
}

TEST_F(WalSyncTest, NothingToSyncWithoutAWalFile) {
  EXPECT_EQ(WalSync::Open(":memory:"), nullptr);
  EXPECT_EQ(WalSync::Open(""), nullptr);
  // A database file whose WAL does not exist (not opened, or not in WAL mode).
  const std::string path = (dir_ / "closed.db").string();
  std::ofstream(path) << "";
  EXPECT_EQ(WalSync::Open(path), nullptr);
}

TEST_F(WalSyncTest, FollowsAWalFileThatWasDeletedAndCreatedAgain) {
  // A plain file stands in for the WAL: SQLite deletes its WAL when the last connection
  // closes, and a later connection creates a new one under the same name.
  const std::string path = (dir_ / "x.db").string();
  std::ofstream(path + "-wal") << "first";
  auto wal = WalSync::Open(path);
  ASSERT_NE(wal, nullptr);
  fs::remove(path + "-wal");
  std::ofstream(path + "-wal") << "second";
  EXPECT_TRUE(wal->Sync().ok());
  // Deleted and not created again: an error, not a silent sync of nothing.
  fs::remove(path + "-wal");
  Status gone = wal->Sync();
  EXPECT_FALSE(gone.ok());
  EXPECT_NE(gone.message().find("-wal"), std::string::npos) << gone.message();
}

}  // namespace
}  // namespace wache::store
