// Prepared statements kept per connection, so that the queries every message runs are
// compiled once instead of once per call (sqlite3_prepare_v2 was about 9% of the server's
// CPU at full load; bench/README.md).
//
// A Lease resets the statement and clears its bindings when it ends, so that no read stays
// open between calls (an un-reset SELECT would pin its WAL snapshot and hold back
// checkpoints). Not thread-safe: use it under the store's mutex, one lease per statement at
// a time.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <memory>
#include <string>
#include <unordered_map>

namespace wache::store {

class StatementCache {
 public:
  explicit StatementCache(SQLite::Database& db) : db_(db) {}

  class Lease {
   public:
    explicit Lease(SQLite::Statement& s) : s_(s) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() {
      try {
        s_.reset();
        s_.clearBindings();
      } catch (...) {  // the next Get resets again; nothing to report from a destructor
      }
    }
    SQLite::Statement& operator*() const { return s_; }

   private:
    SQLite::Statement& s_;
  };

  // The statement for `sql`, prepared on first use.
  Lease Get(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
      it = cache_.emplace(sql, std::make_unique<SQLite::Statement>(db_, sql)).first;
    }
    it->second->reset();  // after an exception inside a lease's destructor, to be sure
    return Lease(*it->second);
  }

 private:
  SQLite::Database& db_;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> cache_;
};

}  // namespace wache::store
