// The one schema of Wache's SQLite file (conversation state, inbox, outbox), with versioned
// migrations: every store opens the file through OpenDatabase, so an upgrade keeps the data
// and an older Wache refuses a newer file instead of damaging it.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "store/statement_cache.h"

namespace wache::store {

// Opens (creating if needed) the database file: WAL, synchronous=NORMAL (a commit survives
// a killed process), retries for about 5 s while another connection is writing, schema
// migrated. Throws (SQLiteCpp) on failure; the stores catch it and return a Status.
std::unique_ptr<SQLite::Database> OpenDatabase(const std::string& path);

// A connection with the mutex that guards it and its prepared statements. `wache serve`
// opens one and its three stores (state, delivery, hand-over) share it.
//
// Why one: in WAL mode a connection drops its page cache whenever another connection of the
// file has written, so with a connection per store nearly every transaction began by reading
// its pages back (pread, 6% of the server's CPU at full load), and a writer that found
// another connection writing slept in the busy handler. The stores' transactions take tens
// of microseconds; now they queue on this mutex instead (bench/README.md).
struct Connection {
  explicit Connection(std::unique_ptr<SQLite::Database> database) : db(std::move(database)) {}
  std::mutex mu;
  std::unique_ptr<SQLite::Database> db;
  StatementCache stmts{*db};  // after db: statements go before their connection
};

// OpenDatabase as a Connection for stores to share. Throws like OpenDatabase.
std::shared_ptr<Connection> OpenConnection(const std::string& path);

}  // namespace wache::store
