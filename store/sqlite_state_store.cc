#include "store/sqlite_state_store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "store/schema.h"

namespace wache::store {
namespace {

// The conversation's key as the statement's first three parameters.
void BindKey(SQLite::Statement& q, const bot::ConversationKey& key) {
  q.bind(1, key.platform);
  q.bind(2, key.account);
  q.bind(3, key.sender);
}

}  // namespace

SqliteStateStore::~SqliteStateStore() = default;

std::unique_ptr<SqliteStateStore> SqliteStateStore::OpenOn(std::shared_ptr<Connection> connection) {
  return std::unique_ptr<SqliteStateStore>(new SqliteStateStore(std::move(connection)));
}

Result<std::unique_ptr<SqliteStateStore>> SqliteStateStore::Open(const std::string& path) {
  try {
    return OpenOn(OpenConnection(path));
  } catch (const std::exception& e) {
    return Status::Error("cannot open state database '" + path + "': " + e.what());
  }
}

Result<std::optional<bot::ConversationState>> SqliteStateStore::Load(
    const bot::ConversationKey& key) {
  std::lock_guard<std::mutex> lock(mu_);
  try {
    auto lease = stmts_.Get(
        "SELECT flow, step, language, retries, turns, last_activity, "
        "replies_by_flow FROM conversation_state "
        "WHERE platform = ? AND account = ? AND sender = ?");
    SQLite::Statement& q = *lease;
    BindKey(q, key);
    if (!q.executeStep()) return std::optional<bot::ConversationState>();
    bot::ConversationState s;
    s.flow = q.getColumn(0).getString();
    s.step = q.getColumn(1).getString();
    s.language = q.getColumn(2).getString();
    s.retries = q.getColumn(3).getInt();
    s.turns = q.getColumn(4).getInt();
    s.last_activity = bot::TimePoint(std::chrono::seconds(q.getColumn(5).getInt64()));
    s.replies_by_flow = bot::DecodeRepliesByFlow(q.getColumn(6).getString());
    return std::optional<bot::ConversationState>(std::move(s));
  } catch (const std::exception& e) {
    return Status::Error(std::string("state load failed: ") + e.what());
  }
}

void SaveConversationState(StatementCache& statements, const bot::ConversationKey& key,
                           const bot::ConversationState& s) {
  auto lease = statements.Get(
      "INSERT OR REPLACE INTO conversation_state (platform, account, sender, "
      "flow, step, language, retries, turns, last_activity, replies_by_flow) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  SQLite::Statement& q = *lease;
  BindKey(q, key);
  q.bind(4, s.flow);
  q.bind(5, s.step);
  q.bind(6, s.language);
  q.bind(7, s.retries);
  q.bind(8, s.turns);
  q.bind(9, static_cast<int64_t>(s.last_activity.time_since_epoch().count()));
  q.bind(10, bot::EncodeRepliesByFlow(s.replies_by_flow));
  q.exec();
}

Status SqliteStateStore::Save(const bot::ConversationKey& key, const bot::ConversationState& s) {
  std::lock_guard<std::mutex> lock(mu_);
  try {
    SaveConversationState(stmts_, key, s);
    return Status::Ok();
  } catch (const std::exception& e) {
    return Status::Error(std::string("state save failed: ") + e.what());
  }
}

Status SqliteStateStore::Erase(const bot::ConversationKey& key) {
  std::lock_guard<std::mutex> lock(mu_);
  try {
    SQLite::Statement q(*db_,
                        "DELETE FROM conversation_state WHERE platform = ? AND account = ? AND "
                        "sender = ?");
    BindKey(q, key);
    q.exec();
    return Status::Ok();
  } catch (const std::exception& e) {
    return Status::Error(std::string("state erase failed: ") + e.what());
  }
}

Result<int> SqliteStateStore::EraseIdleBefore(bot::TimePoint cutoff) {
  std::lock_guard<std::mutex> lock(mu_);
  try {
    SQLite::Statement q(*db_, "DELETE FROM conversation_state WHERE last_activity < ?");
    q.bind(1, static_cast<int64_t>(cutoff.time_since_epoch().count()));
    return q.exec();
  } catch (const std::exception& e) {
    return Status::Error(std::string("state cleanup failed: ") + e.what());
  }
}

}  // namespace wache::store
