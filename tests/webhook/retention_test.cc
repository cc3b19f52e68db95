// The retention job of `wache serve`: old finished messages lose their texts and ids
// without anyone running a command.
#include "webhook/retention.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "store/sqlite_delivery_store.h"
#include "store/sqlite_state_store.h"

namespace wache::webhook {
namespace {

namespace fs = std::filesystem;

TEST(RetentionJobTest, RunsByItselfAndBlanksOnlyWhatIsOlderThanTheConfiguredDays) {
  fs::path path = fs::temp_directory_path() / ("wache-retention-" + std::to_string(::getpid()));
  fs::remove(path);
  auto delivery = std::move(store::SqliteDeliveryStore::Open(path.string())).value();
  auto state = std::move(store::SqliteStateStore::Open(path.string())).value();
  const bot::TimePoint day0(std::chrono::seconds(1'800'000'000));
  auto add = [&](const std::string& id, bot::TimePoint at) {
    AcceptedMessage m;
    m.message.platform = "whatsapp";
    m.message.account = "wa";
    m.message.sender = "4915" + id;
    m.message.message_id = id;
    m.message.text = "Text " + id;
    std::vector<AcceptedMessage> batch = {m};
    ASSERT_TRUE(delivery->InsertInbound(batch, at).ok());
    ASSERT_TRUE(delivery->CompleteInbound(batch[0], {}, at).ok());
  };
  add("old", day0);
  add("new", day0 + std::chrono::hours(24 * 9));
  bot::FakeClock clock(day0 + std::chrono::hours(24 * 10));  // set before the job starts
  RetentionJob job(*delivery, *state, clock, /*days=*/7, std::chrono::milliseconds(20));
  job.Start();
  SQLite::Database db(path.string(), SQLite::OPEN_READONLY);
  auto text_of = [&](const std::string& id) {
    SQLite::Statement q(db, "SELECT text FROM inbox WHERE message_id = ?");
    q.bind(1, id);
    q.executeStep();
    return q.getColumn(0).getString();
  };
  for (int i = 0; i < 200 && !text_of("old").empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  job.Stop();
  EXPECT_EQ(text_of("old"), "");
  EXPECT_EQ(text_of("new"), "Text new");
  for (auto suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix);
}

}  // namespace
}  // namespace wache::webhook
