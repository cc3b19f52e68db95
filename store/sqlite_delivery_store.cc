#include "store/sqlite_delivery_store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <tuple>

#include "store/schema.h"
#include "store/sqlite_state_store.h"
#include "store/sqlite_util.h"

namespace wache::store {
namespace {

using nlohmann::json;

std::string EncodeReply(const bot::Reply& r) {
  json buttons = json::array();
  for (const auto& b : r.buttons) {
    buttons.push_back({{"payload", b.payload}, {"label", b.label}, {"key", b.label_key}});
  }
  json j = {{"template", r.template_key},
            {"text", r.text},
            {"language", r.language},
            {"buttons", buttons}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

bot::Reply DecodeReply(const std::string& s) {
  bot::Reply r;
  json j = json::parse(s, nullptr, false);
  if (!j.is_object()) return r;
  r.template_key = j.value("template", "");
  r.text = j.value("text", "");
  r.language = j.value("language", "");
  if (j.contains("buttons") && j["buttons"].is_array()) {
    for (const auto& b : j["buttons"]) {
      r.buttons.push_back({b.value("payload", ""), b.value("label", ""), b.value("key", "")});
    }
  }
  return r;
}

std::string ConversationOf(const webhook::OutboundMessage& m) {
  return m.platform + '\x1f' + m.account_id + '\x1f' + m.recipient;
}

// One pending outbox row: a bot reply (CompleteInbound) or a staff reply (InsertReply).
const char kInsertReply[] =
    "INSERT INTO outbox (inbox_id, conversation, platform, account, account_ref, recipient, "
    "reply, menu_label, emergency, correlation_id, inbound_at, created_at, status, attempts, "
    "next_attempt_at, received_ms, author, flow) VALUES "
    "(?,?,?,?,?,?,?,?,?,?,?,?,'pending',0,?,?,?,?)";
// The same row claimed at once, as ClaimDue would leave it (CompleteInbound with a claim).
const char kInsertClaimedReply[] =
    "INSERT INTO outbox (inbox_id, conversation, platform, account, account_ref, recipient, "
    "reply, menu_label, emergency, correlation_id, inbound_at, created_at, status, attempts, "
    "next_attempt_at, received_ms, author, flow) VALUES "
    "(?,?,?,?,?,?,?,?,?,?,?,?,'inflight',1,?,?,?,?)";

void BindReply(SQLite::Statement& add, const webhook::OutboundMessage& r, int64_t inbox_id,
               const std::string& correlation_id, bot::TimePoint inbound, bot::TimePoint now,
               int64_t received_ms) {
  add.bind(1, inbox_id);
  add.bind(2, ConversationOf(r));
  add.bind(3, r.platform);
  add.bind(4, r.account_id);
  add.bind(5, r.account_ref);
  add.bind(6, r.recipient);
  add.bind(7, EncodeReply(r.reply));
  add.bind(8, r.menu_label);
  add.bind(9, r.emergency ? 1 : 0);
  add.bind(10, correlation_id);
  add.bind(11, Seconds(inbound));
  add.bind(12, Seconds(now));
  add.bind(13, Seconds(now));
  add.bind(14, received_ms);
  add.bind(15, r.author.empty() ? std::string("bot") : r.author);
  add.bind(16, r.reply.flow);
}

}  // namespace

SqliteDeliveryStore::~SqliteDeliveryStore() = default;

Result<std::unique_ptr<SqliteDeliveryStore>> SqliteDeliveryStore::Open(const std::string& path) {
  try {
    return OpenOn(OpenConnection(path));
  } catch (const std::exception& e) {
    return Status::Error("cannot open delivery database '" + path + "': " + e.what());
  }
}

Result<std::unique_ptr<SqliteDeliveryStore>> SqliteDeliveryStore::OpenOn(
    std::shared_ptr<Connection> connection) {
  const std::string path = connection->db->getFilename();
  try {
    // synchronous=NORMAL survives a killed process. The 200 promises that the message
    // survives a power cut too, so inbox commits are made durable by an fdatasync of the WAL
    // (WalSync, outside the connection's lock); without a WAL file the connection commits
    // at synchronous=FULL instead. Outbox bookkeeping stays cheap, which also keeps the
    // window between "the platform accepted a reply" and "we recorded it" short.
    auto wal_sync = WalSync::Open(path);
    if (!wal_sync) {
      std::lock_guard lock(connection->mu);
      connection->db->exec("PRAGMA synchronous = FULL");
    }
    return std::unique_ptr<SqliteDeliveryStore>(
        new SqliteDeliveryStore(std::move(connection), std::move(wal_sync)));
  } catch (const std::exception& e) {
    return Status::Error("cannot open delivery database '" + path + "': " + e.what());
  }
}

Result<std::vector<bool>> SqliteDeliveryStore::InsertInbound(
    std::vector<webhook::AcceptedMessage>& batch, bot::TimePoint now) {
  PendingInsert mine{&batch, now};
  std::unique_lock lock(group_mu_);
  waiting_.push_back(&mine);
  // Wait until a leader has committed this batch, or become the leader: take every batch
  // waiting now (including this one) and commit them together.
  group_cv_.wait(lock, [&] { return mine.done || !committing_; });
  if (mine.done) return std::move(mine.result);
  committing_ = true;
  std::vector<PendingInsert*> group;
  group.swap(waiting_);
  lock.unlock();
  CommitGroup(group);
  lock.lock();
  committing_ = false;
  for (PendingInsert* p : group) p->done = true;
  lock.unlock();
  group_cv_.notify_all();
  return std::move(mine.result);
}

void SqliteDeliveryStore::CommitGroup(std::vector<PendingInsert*>& group) {
  std::unique_lock lock(mu_);
  Result<bool> committed = Guard("inbox insert", [&]() -> Result<bool> {
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    auto lease = stmts_.Get(
        "INSERT INTO inbox (platform, account, message_id, account_ref, sender, "
        "text, button_payload, unsupported, sent_at, correlation_id, received_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT (platform, account, message_id) DO NOTHING");
    SQLite::Statement& q = *lease;
    for (PendingInsert* p : group) {
      std::vector<bool> is_new;
      for (auto& m : *p->batch) {
        q.reset();
        q.bind(1, m.message.platform);
        q.bind(2, m.message.account);
        q.bind(3, m.message.message_id);
        q.bind(4, m.account_ref);
        q.bind(5, m.message.sender);
        q.bind(6, m.message.text);
        q.bind(7, m.message.button_payload);
        q.bind(8, m.message.unsupported);
        if (m.message.time) {
          q.bind(9, Seconds(*m.message.time));
        } else {
          q.bind(9);
        }
        q.bind(10, m.correlation_id);
        q.bind(11, Seconds(p->now));
        // A copy of the same message earlier in this group (a concurrent duplicate) makes
        // this insert change nothing: a duplicate, as if it came later.
        bool inserted = q.exec() == 1;
        m.inbox_id = inserted ? db_->getLastInsertRowid() : 0;
        is_new.push_back(inserted);
      }
      p->result = std::move(is_new);
    }
    tx.commit();
    return true;
  });
  lock.unlock();
  // The fsync that the 200 waits for, without the connection: workers and senders go on
  // meanwhile (bench/README.md, "Taking the waits out of the store").
  if (committed.ok() && wal_sync_) {
    if (Status synced = wal_sync_->Sync(); !synced.ok()) {
      // Stored, but not known to be on disk: answered like a failed commit (below).
      committed = Status::Error("inbox insert failed: " + synced.message());
    }
  }
  if (!committed.ok()) {
    // Every webhook of the group gets the error (503, redelivered). Either nothing was stored,
    // or (a failed fsync) the rows are stored but not known to be on disk: they are not
    // handed to the workers now, the redelivery is a duplicate, and PendingInbound answers
    // them at the next start.
    for (PendingInsert* p : group) {
      p->result = committed.status();
      for (auto& m : *p->batch) m.inbox_id = 0;
    }
  }
}

Result<std::vector<webhook::InboxRecord>> SqliteDeliveryStore::PendingInbound(size_t limit) {
  std::lock_guard lock(mu_);
  return Guard("inbox read", [&]() -> Result<std::vector<webhook::InboxRecord>> {
    std::vector<webhook::InboxRecord> out;
    SQLite::Statement q(*db_,
                        "SELECT id, platform, account, message_id, account_ref, sender, text, "
                        "button_payload, unsupported, sent_at, correlation_id, received_at "
                        "FROM inbox WHERE handled_at IS NULL ORDER BY id LIMIT ?");
    q.bind(1, static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
    while (q.executeStep()) {
      webhook::InboxRecord r;
      r.id = q.getColumn(0).getInt64();
      auto& m = r.message;
      m.inbox_id = r.id;
      m.message.platform = q.getColumn(1).getString();
      m.message.account = q.getColumn(2).getString();
      m.message.message_id = q.getColumn(3).getString();
      m.account_ref = q.getColumn(4).getString();
      m.message.sender = q.getColumn(5).getString();
      m.message.text = q.getColumn(6).getString();
      m.message.button_payload = q.getColumn(7).getString();
      m.message.unsupported = q.getColumn(8).getString();
      if (!q.getColumn(9).isNull()) m.message.time = FromSeconds(q.getColumn(9).getInt64());
      m.correlation_id = q.getColumn(10).getString();
      m.received_at = std::chrono::steady_clock::now();
      m.received_ms = q.getColumn(11).getInt64() * 1000;
      out.push_back(std::move(r));
    }
    return out;
  });
}

Result<std::vector<webhook::OutboxRecord>> SqliteDeliveryStore::CompleteInbound(
    const webhook::AcceptedMessage& message, const std::vector<webhook::OutboundMessage>& replies,
    bot::TimePoint now, const webhook::Completion& how) {
  std::lock_guard lock(mu_);
  bool claim = how.claim;
  return Guard("inbox complete", [&]() -> Result<std::vector<webhook::OutboxRecord>> {
    std::vector<webhook::OutboxRecord> claimed;
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    auto done_lease =
        stmts_.Get("UPDATE inbox SET handled_at = ? WHERE id = ? AND handled_at IS NULL");
    SQLite::Statement& done = *done_lease;
    done.bind(1, Seconds(now));
    done.bind(2, message.inbox_id);
    // Already handled (a second worker, or a replay): storing the replies again would
    // answer twice.
    if (done.exec() == 0) return claimed;
    if (how.state) {
      SaveConversationState(
          stmts_, {message.message.platform, message.message.account, message.message.sender},
          *how.state);
    }
    if (claim && !replies.empty()) {
      // Claimed now only if nothing of the conversation is waiting: otherwise these
      // replies queue behind it, in order, through ClaimDue.
      auto busy_lease = stmts_.Get(
          "SELECT 1 FROM outbox WHERE conversation = ? AND status IN ('pending','inflight') "
          "LIMIT 1");
      SQLite::Statement& busy = *busy_lease;
      for (const auto& r : replies) {
        busy.reset();
        busy.bind(1, ConversationOf(r));
        if (busy.executeStep()) {
          claim = false;
          break;
        }
      }
    }
    auto add_lease = stmts_.Get(claim ? kInsertClaimedReply : kInsertReply);
    SQLite::Statement& add = *add_lease;
    const bot::TimePoint inbound = message.message.time.value_or(now);
    for (const auto& r : replies) {
      add.reset();
      BindReply(add, r, message.inbox_id, message.correlation_id, inbound, now,
                message.received_ms);
      add.exec();
      if (!claim) continue;
      webhook::OutboxRecord record;
      record.id = db_->getLastInsertRowid();
      record.inbox_id = message.inbox_id;
      record.message = r;
      record.correlation_id = message.correlation_id;
      record.attempts = 1;
      // As ClaimDue reads them back: times in whole seconds.
      record.inbound_at = FromSeconds(Seconds(inbound));
      record.received_ms = message.received_ms;
      claimed.push_back(std::move(record));
    }
    tx.commit();
    return claimed;
  });
}

Result<std::vector<webhook::OutboxRecord>> SqliteDeliveryStore::ClaimDue(bot::TimePoint now,
                                                                         int limit) {
  std::lock_guard lock(mu_);
  return Guard("outbox claim", [&]() -> Result<std::vector<webhook::OutboxRecord>> {
    std::vector<webhook::OutboxRecord> out;
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    // The oldest unsent reply of each conversation only: replies arrive in order even when
    // an earlier one is waiting for a retry. Emergencies first, and an emergency reply waits
    // only for earlier emergency replies, never behind an ordinary reply that is held.
    auto lease = stmts_.Get(
        "SELECT o.id, o.inbox_id, o.platform, o.account, o.account_ref, "
        "o.recipient, o.reply, o.menu_label, o.emergency, o.correlation_id, "
        "o.attempts, o.inbound_at, o.received_ms, o.author FROM outbox o "
        "WHERE o.status = 'pending' AND o.next_attempt_at <= ? "
        "AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.conversation = "
        "o.conversation AND p.id < o.id AND p.status IN ('pending','inflight') "
        "AND p.emergency >= o.emergency) "
        "ORDER BY o.emergency DESC, o.id LIMIT ?");
    SQLite::Statement& q = *lease;
    q.bind(1, Seconds(now));
    q.bind(2, limit);
    while (q.executeStep()) {
      webhook::OutboxRecord r;
      r.id = q.getColumn(0).getInt64();
      r.inbox_id = q.getColumn(1).getInt64();
      r.message.platform = q.getColumn(2).getString();
      r.message.account_id = q.getColumn(3).getString();
      r.message.account_ref = q.getColumn(4).getString();
      r.message.recipient = q.getColumn(5).getString();
      r.message.reply = DecodeReply(q.getColumn(6).getString());
      r.message.menu_label = q.getColumn(7).getString();
      r.message.emergency = q.getColumn(8).getInt() != 0;
      r.correlation_id = q.getColumn(9).getString();
      r.attempts = q.getColumn(10).getInt();
      r.inbound_at = FromSeconds(q.getColumn(11).getInt64());
      r.received_ms = q.getColumn(12).getInt64();
      if (std::string author = q.getColumn(13).getString(); author != "bot") {
        r.message.author = author;
      }
      out.push_back(std::move(r));
    }
    auto claim_lease = stmts_.Get(
        "UPDATE outbox SET status = 'inflight', attempts = attempts + 1 "
        "WHERE id = ? AND status = 'pending'");
    SQLite::Statement& claim = *claim_lease;
    for (auto& r : out) {
      claim.reset();
      claim.bind(1, r.id);
      claim.exec();
      ++r.attempts;
    }
    tx.commit();
    return out;
  });
}

Status SqliteDeliveryStore::MarkSent(int64_t id, const std::string& platform_message_id,
                                     bot::TimePoint now) {
  std::lock_guard lock(mu_);
  return Guard("outbox sent", [&]() -> Status {
    auto lease = stmts_.Get(
        "UPDATE outbox SET status = 'sent', platform_message_id = ?, sent_at = ?, "
        "last_error = NULL WHERE id = ?");
    SQLite::Statement& q = *lease;
    q.bind(1, platform_message_id);
    q.bind(2, Seconds(now));
    q.bind(3, id);
    q.exec();
    return Status::Ok();
  });
}

Status SqliteDeliveryStore::MarkRetry(int64_t id, bot::TimePoint next_attempt,
                                      const std::string& error) {
  std::lock_guard lock(mu_);
  return Guard("outbox retry", [&]() -> Status {
    auto lease = stmts_.Get(
        "UPDATE outbox SET status = 'pending', next_attempt_at = ?, last_error = ? "
        "WHERE id = ?");
    SQLite::Statement& q = *lease;
    q.bind(1, Seconds(next_attempt));
    q.bind(2, error);
    q.bind(3, id);
    q.exec();
    return Status::Ok();
  });
}

Status SqliteDeliveryStore::MarkDead(int64_t id, const std::string& reason) {
  std::lock_guard lock(mu_);
  return Guard("outbox dead", [&]() -> Status {
    SQLite::Statement q(*db_, "UPDATE outbox SET status = 'dead', last_error = ? WHERE id = ?");
    q.bind(1, reason);
    q.bind(2, id);
    q.exec();
    return Status::Ok();
  });
}

Status SqliteDeliveryStore::Defer(int64_t id, bot::TimePoint until, const std::string& reason) {
  std::lock_guard lock(mu_);
  return Guard("outbox defer", [&]() -> Status {
    auto lease = stmts_.Get(
        "UPDATE outbox SET status = 'pending', next_attempt_at = ?, last_error = ?, "
        "attempts = max(attempts - 1, 0) WHERE id = ? AND status = 'inflight'");
    SQLite::Statement& q = *lease;
    q.bind(1, Seconds(until));
    q.bind(2, reason);
    q.bind(3, id);
    q.exec();
    return Status::Ok();
  });
}

Result<long> SqliteDeliveryStore::CountSent(const std::string& platform, const std::string& account,
                                            const std::string& recipient, bot::TimePoint since) {
  std::lock_guard lock(mu_);
  return Guard("outbox count", [&]() -> Result<long> {
    // One person: the conversation index (a few rows). Left to itself SQLite picked
    // outbox_sent_by_account and walked every reply of the account in the period: half of
    // the gateway's CPU at 500 replies/s (bench/README.md). A budget: the account index.
    if (!recipient.empty()) {
      webhook::OutboundMessage m;
      m.platform = platform;
      m.account_id = account;
      m.recipient = recipient;
      auto lease = stmts_.Get(
          "SELECT COUNT(*) FROM outbox INDEXED BY outbox_conversation "
          "WHERE conversation = ? AND sent_at >= ?");
      SQLite::Statement& q = *lease;
      q.bind(1, ConversationOf(m));
      q.bind(2, Seconds(since));
      q.executeStep();
      return static_cast<long>(q.getColumn(0).getInt64());
    }
    std::string sql = "SELECT COUNT(*) FROM outbox WHERE platform = ? AND sent_at >= ?";
    if (!account.empty()) sql += " AND account = ?";
    auto lease = stmts_.Get(sql);
    SQLite::Statement& q = *lease;
    int i = 1;
    q.bind(i++, platform);
    q.bind(i++, Seconds(since));
    if (!account.empty()) q.bind(i++, account);
    q.executeStep();
    return static_cast<long>(q.getColumn(0).getInt64());
  });
}

Status SqliteDeliveryStore::Unclaim(const std::vector<int64_t>& ids) {
  std::lock_guard lock(mu_);
  return Guard("outbox unclaim", [&]() -> Status {
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    auto lease = stmts_.Get(
        "UPDATE outbox SET status = 'pending', attempts = attempts - 1 "
        "WHERE id = ? AND status = 'inflight'");
    SQLite::Statement& q = *lease;
    for (int64_t id : ids) {
      q.reset();
      q.bind(1, id);
      q.exec();
    }
    tx.commit();
    return Status::Ok();
  });
}

Result<int> SqliteDeliveryStore::RequeueInflight() {
  std::lock_guard lock(mu_);
  return Guard("outbox requeue", [&]() -> Result<int> {
    return db_->exec("UPDATE outbox SET status = 'pending' WHERE status = 'inflight'");
  });
}

Status SqliteDeliveryStore::RecordPlatformStatus(const std::string& platform,
                                                 const std::string& platform_message_id,
                                                 const std::string& status,
                                                 const std::string& error_code) {
  std::lock_guard lock(mu_);
  return Guard("outbox status", [&]() -> Status {
    // Statuses arrive out of order (read before delivered): keep the highest one reached;
    // failed always wins.
    SQLite::Statement q(*db_,
                        "UPDATE outbox SET platform_status = ?, last_error = CASE WHEN ? = '' "
                        "THEN last_error ELSE ? END WHERE platform = ? AND platform_message_id = ? "
                        "AND (? = 'failed' OR platform_status IS NULL OR "
                        "(CASE platform_status WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 "
                        "WHEN 'read' THEN 3 ELSE 4 END) < "
                        "(CASE ? WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 "
                        "ELSE 4 END))");
    q.bind(1, status);
    q.bind(2, error_code);
    q.bind(3, "platform status failed: " + error_code);
    q.bind(4, platform);
    q.bind(5, platform_message_id);
    q.bind(6, status);
    q.bind(7, status);
    q.exec();
    return Status::Ok();
  });
}

Result<std::optional<bot::TimePoint>> SqliteDeliveryStore::NextDue() {
  std::lock_guard lock(mu_);
  return Guard("outbox next", [&]() -> Result<std::optional<bot::TimePoint>> {
    auto lease = stmts_.Get("SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending'");
    SQLite::Statement& q = *lease;
    if (q.executeStep() && !q.getColumn(0).isNull()) {
      return std::optional<bot::TimePoint>(FromSeconds(q.getColumn(0).getInt64()));
    }
    return std::optional<bot::TimePoint>();
  });
}

Result<webhook::OutboxCounts> SqliteDeliveryStore::Counts() {
  std::lock_guard lock(mu_);
  return Guard("outbox counts", [&]() -> Result<webhook::OutboxCounts> {
    webhook::OutboxCounts c;
    SQLite::Statement q(*db_,
                        "SELECT status, COUNT(*), MIN(created_at) FROM outbox GROUP BY status");
    while (q.executeStep()) {
      std::string s = q.getColumn(0).getString();
      long n = q.getColumn(1).getInt64();
      if (s == "pending") {
        c.pending = n;
        c.oldest_pending = FromSeconds(q.getColumn(2).getInt64());
      } else if (s == "inflight") {
        c.inflight = n;
      } else if (s == "sent") {
        c.sent = n;
      } else if (s == "dead") {
        c.dead = n;
      }
    }
    return c;
  });
}

Result<int> SqliteDeliveryStore::ErasePerson(const std::string& platform,
                                             const std::string& account,
                                             const std::string& sender) {
  std::lock_guard lock(mu_);
  return Guard("erase", [&]() -> Result<int> {
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement out(
        *db_, "DELETE FROM outbox WHERE platform = ? AND account = ? AND recipient = ?");
    out.bind(1, platform);
    out.bind(2, account);
    out.bind(3, sender);
    int n = out.exec();
    SQLite::Statement in(*db_,
                         "DELETE FROM inbox WHERE platform = ? AND account = ? AND sender = ?");
    in.bind(1, platform);
    in.bind(2, account);
    in.bind(3, sender);
    n += in.exec();
    tx.commit();
    return n;
  });
}

Result<int> SqliteDeliveryStore::AnonymiseBefore(bot::TimePoint cutoff) {
  std::lock_guard lock(mu_);
  return Guard("retention", [&]() -> Result<int> {
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    // Handled messages only: a pending one still needs its text to be answered.
    SQLite::Statement in(*db_,
                         "UPDATE inbox SET text = '', button_payload = '', sender = 'erased' "
                         "WHERE received_at < ? AND handled_at IS NOT NULL AND sender <> 'erased'");
    in.bind(1, Seconds(cutoff));
    int n = in.exec();
    SQLite::Statement out(*db_,
                          "UPDATE outbox SET reply = '{}', recipient = 'erased', conversation = "
                          "'erased' WHERE created_at < ? AND status IN ('sent','dead') "
                          "AND recipient <> 'erased'");
    out.bind(1, Seconds(cutoff));
    n += out.exec();
    tx.commit();
    return n;
  });
}

Result<std::vector<webhook::DeadLetter>> SqliteDeliveryStore::ListDead(int limit) {
  std::lock_guard lock(mu_);
  return Guard("dead letters", [&]() -> Result<std::vector<webhook::DeadLetter>> {
    std::vector<webhook::DeadLetter> out;
    SQLite::Statement q(*db_,
                        "SELECT id, platform, account, correlation_id, reply, last_error, "
                        "attempts, created_at FROM outbox WHERE status = 'dead' "
                        "ORDER BY id DESC LIMIT ?");
    q.bind(1, limit);
    while (q.executeStep()) {
      webhook::DeadLetter d;
      d.id = q.getColumn(0).getInt64();
      d.platform = q.getColumn(1).getString();
      d.account = q.getColumn(2).getString();
      d.correlation_id = q.getColumn(3).getString();
      d.template_key = DecodeReply(q.getColumn(4).getString()).template_key;
      d.reason = q.getColumn(5).getString();
      d.attempts = q.getColumn(6).getInt();
      d.created_at = FromSeconds(q.getColumn(7).getInt64());
      out.push_back(std::move(d));
    }
    return out;
  });
}

Result<int> SqliteDeliveryStore::RequeueDead(int64_t id, bot::TimePoint now) {
  std::lock_guard lock(mu_);
  return Guard("requeue dead letters", [&]() -> Result<int> {
    // An anonymised reply (retention) has nothing left to send.
    SQLite::Statement q(
        *db_,
        "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, "
        "last_error = 'requeued by an operator after: ' || coalesce(last_error, "
        "'') WHERE status = 'dead' AND recipient <> 'erased' AND (? = 0 OR id = ?)");
    q.bind(1, Seconds(now));
    q.bind(2, id);
    q.bind(3, id);
    return q.exec();
  });
}

Result<std::optional<webhook::LastInbound>> SqliteDeliveryStore::LastInboundOf(
    const std::string& platform, const std::string& account, const std::string& sender) {
  std::lock_guard lock(mu_);
  return Guard("inbox last message", [&]() -> Result<std::optional<webhook::LastInbound>> {
    SQLite::Statement q(*db_,
                        "SELECT id, coalesce(sent_at, received_at) FROM inbox WHERE platform = ? "
                        "AND account = ? AND sender = ? ORDER BY id DESC LIMIT 1");
    q.bind(1, platform);
    q.bind(2, account);
    q.bind(3, sender);
    if (!q.executeStep()) return std::optional<webhook::LastInbound>();
    return std::optional<webhook::LastInbound>(
        webhook::LastInbound{q.getColumn(0).getInt64(), FromSeconds(q.getColumn(1).getInt64())});
  });
}

Result<int64_t> SqliteDeliveryStore::InsertReply(const webhook::OutboundMessage& r,
                                                 const webhook::LastInbound& cause,
                                                 const std::string& correlation_id,
                                                 bot::TimePoint now) {
  std::lock_guard lock(mu_);
  return Guard("outbox insert", [&]() -> Result<int64_t> {
    SQLite::Statement add(*db_, kInsertReply);
    BindReply(add, r, cause.inbox_id, correlation_id, cause.at, now, /*received_ms=*/0);
    add.exec();
    return static_cast<int64_t>(db_->getLastInsertRowid());
  });
}

Result<std::vector<webhook::ConversationEntry>> SqliteDeliveryStore::Conversation(
    const std::string& platform, const std::string& account, const std::string& sender,
    bot::TimePoint until, int limit) {
  std::lock_guard lock(mu_);
  return Guard("conversation read", [&]() -> Result<std::vector<webhook::ConversationEntry>> {
    // Each entry's place: (the message it belongs to, the message before its replies, id).
    struct Keyed {
      int64_t inbox_id;
      int kind;
      webhook::ConversationEntry entry;
    };
    std::vector<Keyed> all;
    SQLite::Statement in(*db_,
                         "SELECT id, received_at, text, unsupported, button_payload FROM inbox "
                         "WHERE platform = ? AND account = ? AND sender = ? AND received_at <= ? "
                         "ORDER BY id DESC LIMIT ?");
    in.bind(1, platform);
    in.bind(2, account);
    in.bind(3, sender);
    in.bind(4, Seconds(until));
    in.bind(5, limit);
    while (in.executeStep()) {
      webhook::ConversationEntry e;
      e.from_person = true;
      e.id = in.getColumn(0).getInt64();
      e.at = FromSeconds(in.getColumn(1).getInt64());
      e.text = in.getColumn(2).getString();
      e.unsupported = in.getColumn(3).getString();
      e.button = !in.getColumn(4).getString().empty();
      all.push_back({e.id, 0, std::move(e)});
    }
    webhook::OutboundMessage key;
    key.platform = platform;
    key.account_id = account;
    key.recipient = sender;
    SQLite::Statement out(*db_,
                          "SELECT id, inbox_id, created_at, reply, author, status, flow, "
                          "last_error FROM outbox "
                          "WHERE conversation = ? AND created_at <= ? ORDER BY id DESC LIMIT ?");
    out.bind(1, ConversationOf(key));
    out.bind(2, Seconds(until));
    out.bind(3, limit);
    while (out.executeStep()) {
      webhook::ConversationEntry e;
      e.id = out.getColumn(0).getInt64();
      e.at = FromSeconds(out.getColumn(2).getInt64());
      bot::Reply reply = DecodeReply(out.getColumn(3).getString());
      e.text = reply.text;
      e.template_key = reply.template_key;
      e.author = out.getColumn(4).getString();
      e.status = out.getColumn(5).getString();
      e.flow = out.getColumn(6).getString();
      e.error = out.getColumn(7).getString();
      all.push_back({out.getColumn(1).getInt64(), 1, std::move(e)});
    }
    std::sort(all.begin(), all.end(), [](const Keyed& a, const Keyed& b) {
      return std::tie(a.inbox_id, a.kind, a.entry.id) < std::tie(b.inbox_id, b.kind, b.entry.id);
    });
    std::vector<webhook::ConversationEntry> result;
    const size_t skip = all.size() > static_cast<size_t>(limit) ? all.size() - limit : 0;
    for (size_t i = skip; i < all.size(); ++i) result.push_back(std::move(all[i].entry));
    return result;
  });
}

Status SqliteDeliveryStore::Ping() {
  std::lock_guard lock(mu_);
  return Guard("store ping", [&]() -> Status {
    // A write that changes nothing still needs the write lock and a writable file.
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    tx.commit();
    return Status::Ok();
  });
}

}  // namespace wache::store
