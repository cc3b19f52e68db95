// The storage interface of hand-overs to staff and of the staff audit log.
// store::SqliteHandoverStore implements it on the same SQLite file as the inbox and outbox.
//
// A hand-over is one conversation (platform, account, person) that a human answers instead
// of the bot: `waiting` until someone takes it, `in_progress` while someone does, `closed`
// when it is back with the bot. At most one hand-over per conversation is open (not
// closed) at a time. Every change made on behalf of someone is written together with its
// audit entry, in one transaction.
//
// Not for: message texts. The audit log never holds what anybody wrote; transcripts are
// read from the inbox and outbox (webhook::DeliveryStore::Conversation).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bot/clock.h"
#include "bot/status.h"

namespace wache::webhook::staff {

enum class HandoverState { kWaiting, kInProgress, kClosed };

const char* StateName(HandoverState state);  // waiting | in_progress | closed
std::optional<HandoverState> ParseState(std::string_view name);

struct Handover {
  int64_t id = 0;
  std::string platform;
  std::string account;      // configured account id
  std::string account_ref;  // the account's platform id (where staff replies are sent from)
  std::string sender;       // the person's platform id: never shown in lists or logs
  std::string station;      // who may see it (the account's station)
  HandoverState state = HandoverState::kWaiting;
  bool urgent = false;   // an emergency message arrived while it was open (or opened it)
  std::string assignee;  // staff name once someone took it
  std::string reason;    // why it opened: "flow:<name>" (a handover step), "not_understood_twice"
  bot::TimePoint opened_at{};
  // The last staff action (or the opening): the idle time that returns a conversation to
  // the bot counts from here. The person's own messages do not extend it, so nobody waits
  // in silence for longer than the idle time when no one answers.
  bot::TimePoint last_activity{};
  std::optional<bot::TimePoint> closed_at;
  std::string outcome;  // closed ones: released | closed | auto_released

  bool open() const { return state != HandoverState::kClosed; }
};

// One line of the audit log: who did what to which hand-over, when. No message texts.
struct AuditEntry {
  int64_t id = 0;
  bot::TimePoint at{};
  std::string staff;        // the staff member's configured name; "wache" for the gateway itself
  std::string role;         // agent | supervisor | system
  std::string action;       // opened, urgent, auto_released, view, take, reply, release, close,
                            // denied
  int64_t handover_id = 0;  // 0: not about one hand-over
  std::string station;
  std::string detail;  // e.g. "outbox 17", "reason flow:fallback"; never a message text
};

struct HandoverQuery {
  std::vector<HandoverState> states;  // empty: every state
  std::vector<std::string> stations;  // empty: every station
  int limit = 200;                    // newest first
};

class HandoverStore {
 public:
  virtual ~HandoverStore() = default;

  // The open hand-over of a conversation, if any.
  virtual Result<std::optional<Handover>> FindOpen(const std::string& platform,
                                                   const std::string& account,
                                                   const std::string& sender) = 0;
  // Opens `h` as waiting, unless the conversation has an open hand-over already. Returns the
  // open hand-over and whether it is new; `audit` is written (with the new id) only if so.
  virtual Result<std::pair<Handover, bool>> Open(Handover h, AuditEntry audit) = 0;
  virtual Result<std::optional<Handover>> Get(int64_t id) = 0;
  virtual Result<std::vector<Handover>> List(const HandoverQuery& query) = 0;

  // The changes below apply only to an open hand-over; they return false (and write no
  // audit entry) if it is closed or unknown. Each writes `audit` in the same transaction.
  // In progress with `assignee`; last activity `now`.
  virtual Result<bool> Take(int64_t id, const std::string& assignee, bot::TimePoint now,
                            const AuditEntry& audit) = 0;
  // Marks it urgent (last activity unchanged: only staff activity counts).
  virtual Result<bool> MarkUrgent(int64_t id, const AuditEntry& audit) = 0;
  // Closed at `now` with `outcome` (released | closed | auto_released).
  virtual Result<bool> Close(int64_t id, const std::string& outcome, bot::TimePoint now,
                             const AuditEntry& audit) = 0;
  // Closes every open hand-over whose last activity is before `cutoff` (auto_released), each
  // with an audit entry by the gateway. Returns them as they were before closing.
  virtual Result<std::vector<Handover>> ReleaseIdle(bot::TimePoint cutoff, bot::TimePoint now) = 0;

  // An audit entry on its own (a refused request, a transcript read).
  virtual Status Audit(const AuditEntry& entry) = 0;
  // The newest entries first, for `stations` (empty: all).
  virtual Result<std::vector<AuditEntry>> ListAudit(const std::vector<std::string>& stations,
                                                    int limit) = 0;
  // Open hand-overs per state (for /metrics).
  virtual Result<std::vector<std::pair<HandoverState, long>>> CountOpen() = 0;

  // Personal data: deletes the hand-overs of one person (their audit entries stay; they
  // name no person). Returns how many.
  virtual Result<int> ErasePerson(const std::string& platform, const std::string& account,
                                  const std::string& sender) = 0;
  // Retention: deletes hand-overs closed before `cutoff`.
  virtual Result<int> EraseClosedBefore(bot::TimePoint cutoff) = 0;
};

}  // namespace wache::webhook::staff
