// SQLite implementation of bot::StateStore (SQLiteCpp), the embedded default store.
// The database runs in WAL mode; one connection guarded by a mutex, which is plenty for
// conversation state (one small row per message). Schema versions are migrated on open.
// SQLiteCpp exceptions are caught in this file and returned as Status.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "bot/conversation_state.h"
#include "store/schema.h"

namespace wache::store {

// Writes one conversation's state through `statements` (their connection's mutex held, and
// inside the caller's transaction if it has one). Throws (SQLiteCpp) on failure.
// SqliteStateStore::Save uses it, and the delivery store saves the state the engine
// returns in the transaction that stores the message's replies.
void SaveConversationState(StatementCache& statements, const bot::ConversationKey& key,
                           const bot::ConversationState& state);

class SqliteStateStore final : public bot::StateStore {
 public:
  // Opens (creating if needed) the database file; ":memory:" works for tests.
  static Result<std::unique_ptr<SqliteStateStore>> Open(const std::string& path);
  // On a connection other stores of the same file use too (`wache serve`).
  static std::unique_ptr<SqliteStateStore> OpenOn(std::shared_ptr<Connection> connection);
  ~SqliteStateStore() override;

  Result<std::optional<bot::ConversationState>> Load(const bot::ConversationKey& key) override;
  Status Save(const bot::ConversationKey& key, const bot::ConversationState& state) override;
  Status Erase(const bot::ConversationKey& key) override;
  Result<int> EraseIdleBefore(bot::TimePoint cutoff) override;

 private:
  explicit SqliteStateStore(std::shared_ptr<Connection> connection)
      : connection_(std::move(connection)) {}
  std::shared_ptr<Connection> connection_;
  std::mutex& mu_ = connection_->mu;  // guards every use of the connection
  SQLite::Database* db_ = connection_->db.get();
  StatementCache& stmts_ = connection_->stmts;
};

}  // namespace wache::store
