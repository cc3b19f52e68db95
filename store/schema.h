// The one schema of Wache's SQLite file (conversation state, inbox, outbox), with versioned
// migrations: every store that opens the file runs Migrate first, so an upgrade keeps the
// data and an older Wache refuses a newer file instead of damaging it.
#pragma once

namespace SQLite {
class Database;
}

namespace wache::store {

// Throws (SQLiteCpp) on failure; the stores catch it and return a Status.
void Migrate(SQLite::Database& db);

}  // namespace wache::store
