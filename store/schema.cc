#include "store/schema.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

namespace wache::store {
namespace {

// Each entry moves the schema one version up; never edit a released entry, add one.
const char* const kMigrations[] = {
    // 1: conversation state
    "CREATE TABLE conversation_state ("
    "  platform TEXT NOT NULL, account TEXT NOT NULL, sender TEXT NOT NULL,"
    "  flow TEXT NOT NULL, step TEXT NOT NULL, language TEXT NOT NULL,"
    "  retries INTEGER NOT NULL, turns INTEGER NOT NULL, last_activity INTEGER NOT NULL,"
    "  replies_by_flow TEXT NOT NULL,"
    "  PRIMARY KEY (platform, account, sender)) WITHOUT ROWID;"
    "CREATE INDEX conversation_state_idle ON conversation_state(last_activity);",

    // 2: durable delivery. The inbox's unique key is the dedupe key of platforms.md 0.1.
    "CREATE TABLE inbox ("
    "  id INTEGER PRIMARY KEY,"
    "  platform TEXT NOT NULL, account TEXT NOT NULL, message_id TEXT NOT NULL,"
    "  account_ref TEXT NOT NULL, sender TEXT NOT NULL, text TEXT NOT NULL,"
    "  button_payload TEXT NOT NULL, unsupported TEXT NOT NULL, sent_at INTEGER,"
    "  correlation_id TEXT NOT NULL, received_at INTEGER NOT NULL, handled_at INTEGER,"
    "  UNIQUE (platform, account, message_id));"
    "CREATE INDEX inbox_pending ON inbox(id) WHERE handled_at IS NULL;"
    "CREATE TABLE outbox ("
    "  id INTEGER PRIMARY KEY, inbox_id INTEGER NOT NULL, conversation TEXT NOT NULL,"
    "  platform TEXT NOT NULL, account TEXT NOT NULL, account_ref TEXT NOT NULL,"
    "  recipient TEXT NOT NULL, reply TEXT NOT NULL, menu_label TEXT NOT NULL,"
    "  emergency INTEGER NOT NULL, correlation_id TEXT NOT NULL, inbound_at INTEGER NOT NULL,"
    "  created_at INTEGER NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL,"
    "  next_attempt_at INTEGER NOT NULL, platform_message_id TEXT, platform_status TEXT,"
    "  last_error TEXT, sent_at INTEGER);"
    "CREATE INDEX outbox_due ON outbox(status, emergency, next_attempt_at);"
    "CREATE INDEX outbox_conversation ON outbox(conversation, id);"
    "CREATE INDEX outbox_platform_message ON outbox(platform_message_id);",

    // 3: the webhook-to-send latency (wall clock, ms) and the sent-reply counts behind the
    // X DM budget and per-recipient pacing.
    "ALTER TABLE outbox ADD COLUMN received_ms INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX outbox_sent_by_account ON outbox(platform, account, sent_at)"
    "  WHERE sent_at IS NOT NULL;",

    // 4: hand-over to staff (at most one open per conversation), the staff audit log (no
    // message texts), who wrote a reply ('bot' or 'staff:<name>'), and the inbox by
    // conversation for transcripts and the staff reply window.
    "CREATE TABLE handover ("
    "  id INTEGER PRIMARY KEY,"
    "  platform TEXT NOT NULL, account TEXT NOT NULL, account_ref TEXT NOT NULL,"
    "  sender TEXT NOT NULL, station TEXT NOT NULL, state TEXT NOT NULL,"
    "  urgent INTEGER NOT NULL DEFAULT 0, assignee TEXT NOT NULL DEFAULT '',"
    "  reason TEXT NOT NULL, opened_at INTEGER NOT NULL, last_activity INTEGER NOT NULL,"
    "  closed_at INTEGER, outcome TEXT NOT NULL DEFAULT '');"
    "CREATE UNIQUE INDEX handover_open ON handover(platform, account, sender)"
    "  WHERE state <> 'closed';"
    "CREATE INDEX handover_state ON handover(state, last_activity);"
    "CREATE TABLE staff_audit ("
    "  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, staff TEXT NOT NULL, role TEXT NOT NULL,"
    "  action TEXT NOT NULL, handover_id INTEGER NOT NULL, station TEXT NOT NULL,"
    "  detail TEXT NOT NULL);"
    "CREATE INDEX staff_audit_station ON staff_audit(station, id);"
    "ALTER TABLE outbox ADD COLUMN author TEXT NOT NULL DEFAULT 'bot';"
    "CREATE INDEX inbox_conversation ON inbox(platform, account, sender, id);",

    // 5: the flow whose step said a bot reply, for the staff transcript ("" for staff
    // replies, the engine's own answers and replies stored before this version).
    "ALTER TABLE outbox ADD COLUMN flow TEXT NOT NULL DEFAULT '';",

    // 6: indexes hold only the rows their queries look for, so that storing a reply and
    // marking it sent write fewer pages (bench/README.md):
    // - the claim index, pending replies only: most replies are claimed as they are stored
    //   and go from in flight to sent without ever being pending (ClaimDue, NextDue);
    // - the platform's message id, once there is one (status webhooks look it up).
    "DROP INDEX IF EXISTS outbox_due;"
    "CREATE INDEX outbox_due ON outbox(emergency, next_attempt_at) WHERE status = 'pending';"
    "DROP INDEX IF EXISTS outbox_platform_message;"
    "CREATE INDEX outbox_platform_message ON outbox(platform_message_id)"
    "  WHERE platform_message_id IS NOT NULL;",
};

// Connections to one file (another `wache` process next to the gateway, such as `wache
// erase`; stores opened on their own, as in tests) write one at a time; the others get
// SQLITE_BUSY and retry. SQLite's own handler (busy_timeout) sleeps 1 ms before the first
// retry, then 2, 5, 10 ms..., while our write transactions take tens of microseconds: when
// each store of the gateway had a connection of its own, the workers slept about 500 times a
// second, a millisecond each, for locks that were free again long before (bench/README.md,
// "Taking the waits out of the store"). This one retries after 20 us, doubling to 1 ms, for
// 5 s in all.
int RetryWhenBusy(void* /*unused*/, int attempt) {
  constexpr int kDoublings = 6;                    // 20, 40, ... 640 us
  constexpr int kMaxAttempts = kDoublings + 5000;  // then 1 ms each: about 5 s in all
  if (attempt >= kMaxAttempts) return 0;           // give up: the caller sees SQLITE_BUSY
  const auto pause = attempt < kDoublings ? std::chrono::microseconds(20 << attempt)
                                          : std::chrono::microseconds(1000);
  std::this_thread::sleep_for(pause);
  return 1;
}

void Migrate(SQLite::Database& db) {
  int version = db.execAndGet("PRAGMA user_version").getInt();
  const int target = static_cast<int>(std::size(kMigrations));
  if (version > target) {
    // Written by a newer Wache: running old code on it could corrupt it.
    throw std::runtime_error("the database has schema version " + std::to_string(version) +
                             ", newer than this version of Wache knows (" + std::to_string(target) +
                             "); use the newer Wache or a backup");
  }
  for (int v = version; v < target; ++v) {
    // IMMEDIATE: two stores opening the same file at once must not both migrate.
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    if (db.execAndGet("PRAGMA user_version").getInt() != v) continue;  // the other one did
    db.exec(kMigrations[v]);
    db.exec("PRAGMA user_version = " + std::to_string(v + 1));
    tx.commit();
  }
}

}  // namespace

std::unique_ptr<SQLite::Database> OpenDatabase(const std::string& path) {
  // SQLite's own locks, about 6% of the gateway's CPU at full load (bench/README.md), guard
  // what we already guard:
  // - the memory statistics take a global mutex on every allocation of every connection;
  //   nothing reads them. This can only be set before SQLite starts (later it is refused,
  //   harmlessly), so the first database opened sets it.
  // - NOMUTEX: every call on a connection takes that connection's mutex. We use a connection
  //   only under Connection::mu (the stores that share it take that one mutex).
  static std::once_flag no_memstatus;
  std::call_once(no_memstatus, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  auto db = std::make_unique<SQLite::Database>(
      path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX);
  db->exec("PRAGMA journal_mode = WAL");
  db->exec("PRAGMA synchronous = NORMAL");
  sqlite3_busy_handler(db->getHandle(), RetryWhenBusy, nullptr);
  // 8 MiB page cache per connection (SQLite's default is 2 MiB): with the default, reading
  // pages back with pread() took a fifth of the gateway's CPU under load (bench/README.md).
  db->exec("PRAGMA cache_size = -8192");
  Migrate(*db);
  return db;
}

std::shared_ptr<Connection> OpenConnection(const std::string& path) {
  return std::make_shared<Connection>(OpenDatabase(path));
}

}  // namespace wache::store
