// The one schema of Wache's SQLite file (conversation state, inbox, outbox), with versioned
// migrations: every store opens the file through OpenDatabase, so an upgrade keeps the data
// and an older Wache refuses a newer file instead of damaging it.
#pragma once

#include <memory>
#include <string>

namespace SQLite {
class Database;
}

namespace wache::store {

// Opens (creating if needed) the database file: WAL, synchronous=NORMAL (a commit survives
// a killed process), retries for about 5 s while another connection is writing, schema
// migrated. Throws (SQLiteCpp) on failure; the stores catch it and return a Status.
std::unique_ptr<SQLite::Database> OpenDatabase(const std::string& path);

}  // namespace wache::store
