// SQLite implementation of webhook::staff::HandoverStore: the `handover` and `staff_audit`
// tables of Wache's one SQLite file (schema migration 4). One connection behind a mutex;
// every change and its audit entry are one transaction, and "at most one open hand-over per
// conversation" is a unique index, so two gateways on one database cannot open two.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "store/schema.h"
#include "webhook/staff/handover_store.h"

namespace wache::store {

class SqliteHandoverStore final : public webhook::staff::HandoverStore {
 public:
  static Result<std::unique_ptr<SqliteHandoverStore>> Open(const std::string& path);
  // On a connection other stores of the same file use too (`wache serve`).
  static std::unique_ptr<SqliteHandoverStore> OpenOn(std::shared_ptr<Connection> connection);
  ~SqliteHandoverStore() override;

  Result<std::optional<webhook::staff::Handover>> FindOpen(const std::string& platform,
                                                           const std::string& account,
                                                           const std::string& sender) override;
  Result<std::pair<webhook::staff::Handover, bool>> Open(webhook::staff::Handover h,
                                                         webhook::staff::AuditEntry audit) override;
  Result<std::optional<webhook::staff::Handover>> Get(int64_t id) override;
  Result<std::vector<webhook::staff::Handover>> List(
      const webhook::staff::HandoverQuery& query) override;
  Result<bool> Take(int64_t id, const std::string& assignee, bot::TimePoint now,
                    const webhook::staff::AuditEntry& audit) override;
  Result<bool> MarkUrgent(int64_t id, const webhook::staff::AuditEntry& audit) override;
  Result<bool> Close(int64_t id, const std::string& outcome, bot::TimePoint now,
                     const webhook::staff::AuditEntry& audit) override;
  Result<std::vector<webhook::staff::Handover>> ReleaseIdle(bot::TimePoint cutoff,
                                                            bot::TimePoint now) override;
  Status Audit(const webhook::staff::AuditEntry& entry) override;
  Result<std::vector<webhook::staff::AuditEntry>> ListAudit(
      const std::vector<std::string>& stations, int limit) override;
  Result<std::vector<std::pair<webhook::staff::HandoverState, long>>> CountOpen() override;
  Result<int> ErasePerson(const std::string& platform, const std::string& account,
                          const std::string& sender) override;
  Result<int> EraseClosedBefore(bot::TimePoint cutoff) override;

 private:
  explicit SqliteHandoverStore(std::shared_ptr<Connection> connection)
      : connection_(std::move(connection)) {}
  void InsertAudit(const webhook::staff::AuditEntry& entry);  // mu_ held, inside a transaction

  std::shared_ptr<Connection> connection_;
  std::mutex& mu_ = connection_->mu;  // guards every use of the connection
  SQLite::Database* db_ = connection_->db.get();
  StatementCache& stmts_ = connection_->stmts;
};

}  // namespace wache::store
