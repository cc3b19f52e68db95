// SQLite implementation of webhook::DeliveryStore (inbox and outbox) in the same file as
// the conversation state. WAL at synchronous=NORMAL; inbox commits are then fsynced (WalSync,
// outside the connection's lock), because a 200 promises that the message survives a power
// cut, and concurrent webhooks share one commit and one fsync (group commit). One connection
// behind a mutex; every state change is a single statement or transaction, so a second
// process on a shared database would see consistent claims.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

#include "store/schema.h"
#include "store/wal_sync.h"
#include "webhook/delivery_store.h"

namespace wache::store {

class SqliteDeliveryStore final : public webhook::DeliveryStore {
 public:
  static Result<std::unique_ptr<SqliteDeliveryStore>> Open(const std::string& path);
  // On a connection other stores of the same file use too (`wache serve`).
  static Result<std::unique_ptr<SqliteDeliveryStore>> OpenOn(
      std::shared_ptr<Connection> connection);
  ~SqliteDeliveryStore() override;

  Result<std::vector<bool>> InsertInbound(std::vector<webhook::AcceptedMessage>& batch,
                                          bot::TimePoint now) override;
  Result<std::vector<webhook::InboxRecord>> PendingInbound(size_t limit) override;
  using webhook::DeliveryStore::PendingInbound;
  Result<std::vector<webhook::OutboxRecord>> CompleteInbound(
      const webhook::AcceptedMessage& message, const std::vector<webhook::OutboundMessage>& replies,
      bot::TimePoint now, const webhook::Completion& how = {}) override;
  Result<std::vector<webhook::OutboxRecord>> ClaimDue(bot::TimePoint now, int limit) override;
  Status MarkSent(int64_t id, const std::string& platform_message_id, bot::TimePoint now) override;
  Status MarkRetry(int64_t id, bot::TimePoint next_attempt, const std::string& error) override;
  Status MarkDead(int64_t id, const std::string& reason) override;
  Status Defer(int64_t id, bot::TimePoint until, const std::string& reason) override;
  Status Unclaim(const std::vector<int64_t>& ids) override;
  Result<long> CountSent(const std::string& platform, const std::string& account,
                         const std::string& recipient, bot::TimePoint since) override;
  Result<int> RequeueInflight() override;
  Status RecordPlatformStatus(const std::string& platform, const std::string& platform_message_id,
                              const std::string& status, const std::string& error_code) override;
  Result<std::optional<bot::TimePoint>> NextDue() override;
  Result<webhook::OutboxCounts> Counts() override;
  Result<int> ErasePerson(const std::string& platform, const std::string& account,
                          const std::string& sender) override;
  Result<int> AnonymiseBefore(bot::TimePoint cutoff) override;
  Result<std::vector<webhook::DeadLetter>> ListDead(int limit) override;
  Result<int> RequeueDead(int64_t id, bot::TimePoint now) override;
  Result<std::optional<webhook::LastInbound>> LastInboundOf(const std::string& platform,
                                                            const std::string& account,
                                                            const std::string& sender) override;
  Result<int64_t> InsertReply(const webhook::OutboundMessage& reply,
                              const webhook::LastInbound& cause, const std::string& correlation_id,
                              bot::TimePoint now) override;
  Result<std::vector<webhook::ConversationEntry>> Conversation(const std::string& platform,
                                                               const std::string& account,
                                                               const std::string& sender,
                                                               bot::TimePoint until,
                                                               int limit) override;
  Status Ping() override;

 private:
  SqliteDeliveryStore(std::shared_ptr<Connection> connection, std::unique_ptr<WalSync> wal_sync)
      : connection_(std::move(connection)), wal_sync_(std::move(wal_sync)) {}
  // One webhook's batch waiting for the group commit.
  struct PendingInsert {
    std::vector<webhook::AcceptedMessage>* batch;
    bot::TimePoint now;
    Result<std::vector<bool>> result = Status::Error("not committed");
    bool done = false;
  };
  void CommitGroup(std::vector<PendingInsert*>& group);

  std::shared_ptr<Connection> connection_;
  std::mutex& mu_ = connection_->mu;  // guards every use of the connection
  SQLite::Database* db_ = connection_->db.get();
  StatementCache& stmts_ = connection_->stmts;
  std::unique_ptr<WalSync> wal_sync_;  // null: the connection commits at synchronous=FULL
  // Group commit: webhooks arriving while a commit is running wait and share the next one,
  // so N concurrent webhooks cost one fsync, not N.
  std::mutex group_mu_;
  std::condition_variable group_cv_;
  std::vector<PendingInsert*> waiting_;
  bool committing_ = false;
};

}  // namespace wache::store
