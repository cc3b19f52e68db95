// The staff API: conversations handed over to staff, read and answered by people, on the
// gateway's HTTP server under /staff/api (JSON). The server hands each request over as a
// StaffRequest; nothing here knows the HTTP library.
//
//   GET  /staff/api/me                                   who the token belongs to (and
//                                                        the names of their stations)
//   GET  /staff/api/conversations?state=S&station=ST     hand-overs (default state: open)
//   GET  /staff/api/conversations/{id}                   one, with its transcript
//   POST /staff/api/conversations/{id}/take              in progress, with me
//   POST /staff/api/conversations/{id}/reply {"text"}    a reply through the outbox (202)
//   POST /staff/api/conversations/{id}/release           back to the bot
//   POST /staff/api/conversations/{id}/close             done; the bot answers what follows
//   GET  /staff/api/audit?limit=N                        the audit log (supervisors)
//
// Answers: 401 without a known bearer token (with WWW-Authenticate), 403 for another
// station or a role that may not, 404 for an unknown conversation, 409 when it is closed or
// the platform's window does not allow a reply, 400 for a bad request. Every action on a
// conversation (view, take, reply, release, close) and every refusal of a known member is
// written to the audit log: who, when, what, which conversation; never a text.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "bot/accounts.h"
#include "bot/clock.h"
#include "webhook/delivery_store.h"
#include "webhook/metrics.h"
#include "webhook/pseudonym.h"
#include "webhook/staff/auth.h"
#include "webhook/staff/handover_store.h"
#include "webhook/stored_outbox.h"

namespace wache::webhook::staff {

struct StaffRequest {
  std::string method;  // GET | POST | ...
  std::string path;    // /staff/api/...
  std::map<std::string, std::string> query;
  std::string authorization;  // the Authorization header
  std::string body;
  std::string remote;  // peer address, for the log
};

struct StaffResponse {
  int status = 200;
  std::string body;  // JSON
  std::map<std::string, std::string> headers;
};

class StaffApi {
 public:
  // The longest staff reply accepted (the adapters split long texts per platform).
  static constexpr size_t kMaxReplyCharacters = 4096;

  // Everything passed by reference must outlive the API.
  StaffApi(StaffDirectory directory, HandoverStore& handovers, DeliveryStore& delivery,
           StoredOutbox& outbox, const bot::GatewayConfig& accounts, Metrics& metrics,
           const Pseudonymizer& pseudonym, const bot::Clock& clock);

  StaffResponse Handle(const StaffRequest& request);

  // Replaces who may sign in (a live reload of the config's staff: section): a withdrawn
  // token is refused from the next request on.
  void SetDirectory(StaffDirectory directory);
  // Members of the current directory: those whose token resolved.
  size_t MembersWhoCanSignIn();

 private:
  // One request of a known member.
  struct Call {
    const StaffRequest& request;
    const StaffIdentity& who;
  };

  StaffResponse Me(const Call& c);
  StaffResponse List(const Call& c);
  StaffResponse Audit(const Call& c);
  StaffResponse Conversation(const Call& c, int64_t id, const std::string& action);

  StaffResponse View(const Call& c, const Handover& h);
  StaffResponse Take(const Call& c, const Handover& h);
  StaffResponse Reply(const Call& c, const Handover& h);
  StaffResponse Close(const Call& c, const Handover& h, const std::string& outcome);

  // 403, with an audit entry: a known member tried something they may not.
  StaffResponse Denied(const Call& c, int64_t handover, const std::string& station,
                       const std::string& why);
  AuditEntry Entry(const Call& c, const std::string& action, const Handover& h,
                   std::string detail) const;
  nlohmann::json Summary(const Handover& h);
  // The station's `name:` from the config (its id if it has none).
  std::string StationName(const std::string& station) const;

  std::mutex directory_mu_;
  std::shared_ptr<const StaffDirectory> directory_;
  HandoverStore& handovers_;
  DeliveryStore& delivery_;
  StoredOutbox& outbox_;
  const bot::GatewayConfig& accounts_;
  Metrics& metrics_;
  const Pseudonymizer& pseudonym_;
  const bot::Clock& clock_;
};

}  // namespace wache::webhook::staff
