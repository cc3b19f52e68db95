#include "store/sqlite_handover_store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "store/schema.h"
#include "store/sqlite_util.h"

namespace wache::store {
namespace {

using webhook::staff::AuditEntry;
using webhook::staff::Handover;
using webhook::staff::HandoverState;

constexpr char kColumns[] =
    "id, platform, account, account_ref, sender, station, state, urgent, assignee, reason, "
    "opened_at, last_activity, closed_at, outcome";

Handover ReadHandover(SQLite::Statement& q) {
  Handover h;
  h.id = q.getColumn(0).getInt64();
  h.platform = q.getColumn(1).getString();
  h.account = q.getColumn(2).getString();
  h.account_ref = q.getColumn(3).getString();
  h.sender = q.getColumn(4).getString();
  h.station = q.getColumn(5).getString();
  h.state = webhook::staff::ParseState(q.getColumn(6).getString()).value_or(HandoverState::kClosed);
  h.urgent = q.getColumn(7).getInt() != 0;
  h.assignee = q.getColumn(8).getString();
  h.reason = q.getColumn(9).getString();
  h.opened_at = FromSeconds(q.getColumn(10).getInt64());
  h.last_activity = FromSeconds(q.getColumn(11).getInt64());
  if (!q.getColumn(12).isNull()) h.closed_at = FromSeconds(q.getColumn(12).getInt64());
  h.outcome = q.getColumn(13).getString();
  return h;
}

// "?,?,?" for n placeholders.
std::string Placeholders(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += i ? ",?" : "?";
  return out;
}

}  // namespace

SqliteHandoverStore::~SqliteHandoverStore() = default;

std::unique_ptr<SqliteHandoverStore> SqliteHandoverStore::OpenOn(
    std::shared_ptr<Connection> connection) {
  return std::unique_ptr<SqliteHandoverStore>(new SqliteHandoverStore(std::move(connection)));
}

Result<std::unique_ptr<SqliteHandoverStore>> SqliteHandoverStore::Open(const std::string& path) {
  try {
    return OpenOn(OpenConnection(path));
  } catch (const std::exception& e) {
    return Status::Error("cannot open hand-over database '" + path + "': " + e.what());
  }
}

void SqliteHandoverStore::InsertAudit(const AuditEntry& e) {
  SQLite::Statement q(*db_,
                      "INSERT INTO staff_audit (at, staff, role, action, handover_id, station, "
                      "detail) VALUES (?,?,?,?,?,?,?)");
  q.bind(1, Seconds(e.at));
  q.bind(2, e.staff);
  q.bind(3, e.role);
  q.bind(4, e.action);
  q.bind(5, e.handover_id);
  q.bind(6, e.station);
  q.bind(7, e.detail);
  q.exec();
}

Result<std::optional<Handover>> SqliteHandoverStore::FindOpen(const std::string& platform,
                                                              const std::string& account,
                                                              const std::string& sender) {
  std::lock_guard lock(mu_);
  return Guard("hand-over lookup", [&]() -> Result<std::optional<Handover>> {
    auto lease = stmts_.Get(std::string("SELECT ") + kColumns +
                            " FROM handover WHERE platform = ? AND account = ? AND "
                            "sender = ? AND state <> 'closed'");
    SQLite::Statement& q = *lease;
    q.bind(1, platform);
    q.bind(2, account);
    q.bind(3, sender);
    if (q.executeStep()) return std::optional<Handover>(ReadHandover(q));
    return std::optional<Handover>();
  });
}

Result<std::pair<Handover, bool>> SqliteHandoverStore::Open(Handover h, AuditEntry audit) {
  std::lock_guard lock(mu_);
  return Guard("hand-over open", [&]() -> Result<std::pair<Handover, bool>> {
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    // The partial unique index (one open hand-over per conversation) decides.
    SQLite::Statement add(*db_,
                          "INSERT INTO handover (platform, account, account_ref, sender, station, "
                          "state, urgent, assignee, reason, opened_at, last_activity) "
                          "VALUES (?,?,?,?,?,'waiting',?,'',?,?,?) ON CONFLICT DO NOTHING");
    add.bind(1, h.platform);
    add.bind(2, h.account);
    add.bind(3, h.account_ref);
    add.bind(4, h.sender);
    add.bind(5, h.station);
    add.bind(6, h.urgent ? 1 : 0);
    add.bind(7, h.reason);
    add.bind(8, Seconds(h.opened_at));
    add.bind(9, Seconds(h.opened_at));
    const bool created = add.exec() == 1;
    if (created) {
      audit.handover_id = db_->getLastInsertRowid();
      InsertAudit(audit);
    }
    auto lease = stmts_.Get(std::string("SELECT ") + kColumns +
                            " FROM handover WHERE platform = ? AND account = ? AND "
                            "sender = ? AND state <> 'closed'");
    SQLite::Statement& q = *lease;
    q.bind(1, h.platform);
    q.bind(2, h.account);
    q.bind(3, h.sender);
    if (!q.executeStep()) return Status::Error("hand-over vanished while opening it");
    Handover open = ReadHandover(q);
    q.reset();
    tx.commit();
    return std::pair{std::move(open), created};
  });
}

Result<std::optional<Handover>> SqliteHandoverStore::Get(int64_t id) {
  std::lock_guard lock(mu_);
  return Guard("hand-over read", [&]() -> Result<std::optional<Handover>> {
    SQLite::Statement q(*db_, std::string("SELECT ") + kColumns + " FROM handover WHERE id = ?");
    q.bind(1, id);
    if (q.executeStep()) return std::optional<Handover>(ReadHandover(q));
    return std::optional<Handover>();
  });
}

Result<std::vector<Handover>> SqliteHandoverStore::List(
    const webhook::staff::HandoverQuery& query) {
  std::lock_guard lock(mu_);
  return Guard("hand-over list", [&]() -> Result<std::vector<Handover>> {
    std::string sql = std::string("SELECT ") + kColumns + " FROM handover WHERE 1";
    if (!query.states.empty()) sql += " AND state IN (" + Placeholders(query.states.size()) + ")";
    if (!query.stations.empty()) {
      sql += " AND station IN (" + Placeholders(query.stations.size()) + ")";
    }
    // Urgent first, then the longest waiting.
    sql += " ORDER BY state = 'closed', urgent DESC, opened_at, id LIMIT ?";
    SQLite::Statement q(*db_, sql);
    int i = 1;
    for (HandoverState s : query.states) q.bind(i++, webhook::staff::StateName(s));
    for (const auto& s : query.stations) q.bind(i++, s);
    q.bind(i, query.limit);
    std::vector<Handover> out;
    while (q.executeStep()) out.push_back(ReadHandover(q));
    return out;
  });
}

Result<bool> SqliteHandoverStore::Take(int64_t id, const std::string& assignee, bot::TimePoint now,
                                       const AuditEntry& audit) {
  std::lock_guard lock(mu_);
  return Guard("hand-over take", [&]() -> Result<bool> {
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement q(*db_,
                        "UPDATE handover SET state = 'in_progress', assignee = ?, "
                        "last_activity = max(last_activity, ?) WHERE id = ? AND state <> 'closed'");
    q.bind(1, assignee);
    q.bind(2, Seconds(now));
    q.bind(3, id);
    if (q.exec() == 0) return false;
    InsertAudit(audit);
    tx.commit();
    return true;
  });
}

Result<bool> SqliteHandoverStore::MarkUrgent(int64_t id, const AuditEntry& audit) {
  std::lock_guard lock(mu_);
  return Guard("hand-over urgent", [&]() -> Result<bool> {
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement q(*db_, "UPDATE handover SET urgent = 1 WHERE id = ? AND state <> 'closed'");
    q.bind(1, id);
    if (q.exec() == 0) return false;
    InsertAudit(audit);
    tx.commit();
    return true;
  });
}

Result<bool> SqliteHandoverStore::Close(int64_t id, const std::string& outcome, bot::TimePoint now,
                                        const AuditEntry& audit) {
  std::lock_guard lock(mu_);
  return Guard("hand-over close", [&]() -> Result<bool> {
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement q(*db_,
                        "UPDATE handover SET state = 'closed', closed_at = ?, outcome = ?, "
                        "last_activity = max(last_activity, ?) WHERE id = ? AND state <> 'closed'");
    q.bind(1, Seconds(now));
    q.bind(2, outcome);
    q.bind(3, Seconds(now));
    q.bind(4, id);
    if (q.exec() == 0) return false;
    InsertAudit(audit);
    tx.commit();
    return true;
  });
}

Result<std::vector<Handover>> SqliteHandoverStore::ReleaseIdle(bot::TimePoint cutoff,
                                                               bot::TimePoint now) {
  std::lock_guard lock(mu_);
  return Guard("hand-over release", [&]() -> Result<std::vector<Handover>> {
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    std::vector<Handover> idle;
    {
      SQLite::Statement q(*db_, std::string("SELECT ") + kColumns +
                                    " FROM handover WHERE state <> 'closed' AND last_activity < ? "
                                    "ORDER BY id");
      q.bind(1, Seconds(cutoff));
      while (q.executeStep()) idle.push_back(ReadHandover(q));
    }
    SQLite::Statement close(*db_,
                            "UPDATE handover SET state = 'closed', closed_at = ?, "
                            "outcome = 'auto_released' WHERE id = ?");
    for (const auto& h : idle) {
      close.reset();
      close.bind(1, Seconds(now));
      close.bind(2, h.id);
      close.exec();
      const auto idle_minutes =
          std::chrono::duration_cast<std::chrono::minutes>(now - h.last_activity).count();
      InsertAudit({0, now, "wache", "system", "auto_released", h.id, h.station,
                   "idle " + std::to_string(idle_minutes) + " min, was " +
                       webhook::staff::StateName(h.state)});
    }
    tx.commit();
    return idle;
  });
}

Status SqliteHandoverStore::Audit(const AuditEntry& entry) {
  std::lock_guard lock(mu_);
  return Guard("audit write", [&]() -> Status {
    InsertAudit(entry);
    return Status::Ok();
  });
}

Result<std::vector<AuditEntry>> SqliteHandoverStore::ListAudit(
    const std::vector<std::string>& stations, int limit) {
  std::lock_guard lock(mu_);
  return Guard("audit read", [&]() -> Result<std::vector<AuditEntry>> {
    std::string sql =
        "SELECT id, at, staff, role, action, handover_id, station, detail FROM staff_audit";
    if (!stations.empty()) sql += " WHERE station IN (" + Placeholders(stations.size()) + ")";
    sql += " ORDER BY id DESC LIMIT ?";
    SQLite::Statement q(*db_, sql);
    int i = 1;
    for (const auto& s : stations) q.bind(i++, s);
    q.bind(i, limit);
    std::vector<AuditEntry> out;
    while (q.executeStep()) {
      AuditEntry e;
      e.id = q.getColumn(0).getInt64();
      e.at = FromSeconds(q.getColumn(1).getInt64());
      e.staff = q.getColumn(2).getString();
      e.role = q.getColumn(3).getString();
      e.action = q.getColumn(4).getString();
      e.handover_id = q.getColumn(5).getInt64();
      e.station = q.getColumn(6).getString();
      e.detail = q.getColumn(7).getString();
      out.push_back(std::move(e));
    }
    return out;
  });
}

Result<std::vector<std::pair<HandoverState, long>>> SqliteHandoverStore::CountOpen() {
  std::lock_guard lock(mu_);
  return Guard("hand-over count", [&]() -> Result<std::vector<std::pair<HandoverState, long>>> {
    std::vector<std::pair<HandoverState, long>> out = {{HandoverState::kWaiting, 0},
                                                       {HandoverState::kInProgress, 0}};
    SQLite::Statement q(*db_,
                        "SELECT state, COUNT(*) FROM handover WHERE state <> 'closed' "
                        "GROUP BY state");
    while (q.executeStep()) {
      auto state = webhook::staff::ParseState(q.getColumn(0).getString());
      for (auto& [s, n] : out) {
        if (state && s == *state) n = q.getColumn(1).getInt64();
      }
    }
    return out;
  });
}

Result<int> SqliteHandoverStore::ErasePerson(const std::string& platform,
                                             const std::string& account,
                                             const std::string& sender) {
  std::lock_guard lock(mu_);
  return Guard("hand-over erase", [&]() -> Result<int> {
    SQLite::Statement q(*db_,
                        "DELETE FROM handover WHERE platform = ? AND account = ? AND sender = ?");
    q.bind(1, platform);
    q.bind(2, account);
    q.bind(3, sender);
    return q.exec();
  });
}

Result<int> SqliteHandoverStore::EraseClosedBefore(bot::TimePoint cutoff) {
  std::lock_guard lock(mu_);
  return Guard("hand-over retention", [&]() -> Result<int> {
    SQLite::Statement q(*db_, "DELETE FROM handover WHERE state = 'closed' AND closed_at < ?");
    q.bind(1, Seconds(cutoff));
    return q.exec();
  });
}

}  // namespace wache::store
