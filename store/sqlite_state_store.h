// SQLite implementation of bot::StateStore (SQLiteCpp), the embedded default store.
// The database runs in WAL mode; one connection guarded by a mutex, which is plenty for
// conversation state (one small row per message). Schema versions are migrated on open.
// SQLiteCpp exceptions are caught in this file and returned as Status.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "bot/conversation_state.h"
#include "store/statement_cache.h"

namespace SQLite {
class Database;
}

namespace wache::store {

class SqliteStateStore final : public bot::StateStore {
 public:
  // Opens (creating if needed) the database file; ":memory:" works for tests.
  static Result<std::unique_ptr<SqliteStateStore>> Open(const std::string& path);
  ~SqliteStateStore() override;

  Result<std::optional<bot::ConversationState>> Load(const bot::ConversationKey& key) override;
  Status Save(const bot::ConversationKey& key, const bot::ConversationState& state) override;
  Status Erase(const bot::ConversationKey& key) override;
  Result<int> EraseIdleBefore(bot::TimePoint cutoff) override;

 private:
  explicit SqliteStateStore(std::unique_ptr<SQLite::Database> db);
  std::mutex mu_;
  std::unique_ptr<SQLite::Database> db_;
  StatementCache stmts_{*db_};  // after db_: statements go before their connection
};

}  // namespace wache::store
