// WalSync: makes committed transactions of a WAL-mode SQLite file durable with an fdatasync
// of its "-wal" file, called by the store after it has released its connection.
//
// Why: at synchronous=FULL, SQLite fsyncs inside COMMIT, and the store's one connection (and
// the database's write lock) stays taken for the whole fsync, so every worker and sender
// waits for the disk behind each inbox commit. At synchronous=NORMAL a WAL commit only
// write()s its frames; once this fdatasync returns they are on disk, exactly as FULL would
// have left them. Syncing the whole file also covers frames other transactions wrote
// meanwhile, and frames a checkpoint has already copied into the database file were synced
// by that checkpoint (NORMAL syncs the WAL before and the database after each checkpoint).
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "bot/status.h"

namespace wache::store {

class WalSync {
 public:
  // The WAL of the database at `db_path`, opened after the database connection (which
  // creates it). nullptr when there is none (":memory:", or a file system where SQLite
  // could not use WAL): such a connection must commit at synchronous=FULL instead.
  static std::unique_ptr<WalSync> Open(const std::string& db_path);
  ~WalSync();
  WalSync(const WalSync&) = delete;
  WalSync& operator=(const WalSync&) = delete;

  // Everything written to the WAL so far reaches the disk. Thread-safe.
  Status Sync();

 private:
  WalSync(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  // The WAL file was deleted (SQLite removes it when the last connection closes) and
  // maybe created again: open the current one and sync the folder that names it.
  Status Reopen();

  const std::string path_;
  std::mutex mu_;  // fd_
  int fd_;
};

}  // namespace wache::store
