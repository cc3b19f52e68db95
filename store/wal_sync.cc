#include "store/wal_sync.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace wache::store {
namespace {

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

// A file created since the folder was last synced survives a power cut only once the
// folder's entry for it is on disk too.
bool SyncFolderOf(const std::string& path) {
  std::filesystem::path folder = std::filesystem::path(path).parent_path();
  int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

std::unique_ptr<WalSync> WalSync::Open(const std::string& db_path) {
  if (db_path.empty() || db_path == ":memory:" || db_path.rfind("file:", 0) == 0) return nullptr;
  std::string wal = db_path + "-wal";
  int fd = ::open(wal.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  if (!SyncFolderOf(wal)) {
    ::close(fd);
    return nullptr;
  }
  return std::unique_ptr<WalSync>(new WalSync(wal, fd));
}

WalSync::~WalSync() { ::close(fd_); }

Status WalSync::Reopen() {
  int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Error(Errno("cannot open " + path_));
  ::close(fd_);
  fd_ = fd;
  if (!SyncFolderOf(path_)) return Status::Error(Errno("cannot sync the folder of " + path_));
  return Status::Ok();
}

Status WalSync::Sync() {
  std::lock_guard lock(mu_);
  struct stat st {};
  if (::fstat(fd_, &st) != 0) return Status::Error(Errno("cannot stat " + path_));
  if (st.st_nlink == 0) {
    if (Status s = Reopen(); !s.ok()) return s;
  }
  // fdatasync through a read-only descriptor: Linux flushes the file, whichever descriptor
  // wrote it (SQLite's own is not reachable from here).
  if (::fdatasync(fd_) != 0) return Status::Error(Errno("fdatasync of " + path_ + " failed"));
  return Status::Ok();
}

}  // namespace wache::store
