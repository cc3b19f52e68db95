#include "webhook/staff/staff_api.h"

#include <spdlog/spdlog.h>

#include <set>

#include "webhook/crypto.h"
#include "webhook/json_body.h"
#include "webhook/staff/reply_window.h"
#include "webhook/staff/views.h"

namespace wache::webhook::staff {
namespace {

using nlohmann::json;

constexpr char kPrefix[] = "/staff/api";

StaffResponse Json(int status, const json& body) {
  // replace: a stored text with broken UTF-8 must not make the answer fail.
  return {status, body.dump(-1, ' ', false, json::error_handler_t::replace), {}};
}

StaffResponse Error(int status, const std::string& message) {
  return Json(status, {{"error", message}});
}

StaffResponse StoreFailed(const Status& s) {
  spdlog::error("staff API: storage failed: {}", s.message());
  return Error(500, "storage failed; try again");
}

// "/staff/api/conversations/12/take" -> {"conversations", "12", "take"}
std::vector<std::string> Route(const std::string& path) {
  std::vector<std::string> out;
  size_t i = sizeof kPrefix - 1;
  while (i < path.size()) {
    size_t slash = path.find('/', i);
    if (slash == i) {
      ++i;
      continue;
    }
    out.push_back(path.substr(i, slash == std::string::npos ? std::string::npos : slash - i));
    if (slash == std::string::npos) break;
    i = slash + 1;
  }
  return out;
}

std::optional<int64_t> ParseId(const std::string& s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  int64_t v = 0;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return std::nullopt;
    v = v * 10 + (ch - '0');
  }
  return v;
}

// `limit` from the query: `fallback` if absent, nullopt if not a number in 1..max.
std::optional<int> Limit(const std::map<std::string, std::string>& query, int fallback, int max) {
  auto it = query.find("limit");
  if (it == query.end()) return fallback;
  auto v = ParseId(it->second);
  if (!v || *v < 1 || *v > max) return std::nullopt;
  return static_cast<int>(*v);
}

size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}

bool Blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

}  // namespace

StaffApi::StaffApi(StaffDirectory directory, HandoverStore& handovers, DeliveryStore& delivery,
                   StoredOutbox& outbox, const bot::GatewayConfig& accounts, Metrics& metrics,
                   const Pseudonymizer& pseudonym, const bot::Clock& clock)
    : directory_(std::make_shared<const StaffDirectory>(std::move(directory))),
      handovers_(handovers),
      delivery_(delivery),
      outbox_(outbox),
      accounts_(accounts),
      metrics_(metrics),
      pseudonym_(pseudonym),
      clock_(clock) {}

void StaffApi::SetDirectory(StaffDirectory directory) {
  auto next = std::make_shared<const StaffDirectory>(std::move(directory));
  std::lock_guard lock(directory_mu_);
  directory_ = std::move(next);
}

size_t StaffApi::MembersWhoCanSignIn() {
  std::lock_guard lock(directory_mu_);
  return directory_->size();
}

StaffResponse StaffApi::Handle(const StaffRequest& req) {
  auto answer = [&](StaffResponse r) {
    metrics_.Add("wache_staff_api_requests_total", {{"status", std::to_string(r.status)}});
    return r;
  };
  // Who first: without a valid token nothing else is revealed, not even which paths exist.
  std::shared_ptr<const StaffDirectory> directory;  // kept for the request: `who` is in it
  {
    std::lock_guard lock(directory_mu_);
    directory = directory_;
  }
  const StaffIdentity* who = directory->Authenticate(req.authorization);
  if (!who) {
    spdlog::warn("staff API: {} {} from {} without a valid token: 401", req.method, req.path,
                 req.remote);
    StaffResponse r = Error(
        401, req.authorization.empty() ? "a bearer token is required" : "the token is not valid");
    r.headers["WWW-Authenticate"] = "Bearer realm=\"wache staff API\"";
    return answer(std::move(r));
  }
  const Call c{req, *who};
  const std::vector<std::string> route = Route(req.path);
  auto only = [&](const char* method, auto&& handler) {
    if (req.method != method) {
      StaffResponse r = Error(405, std::string("use ") + method);
      r.headers["Allow"] = method;
      return r;
    }
    return handler();
  };
  if (route.size() == 1 && route[0] == "me") return answer(only("GET", [&] { return Me(c); }));
  if (route.size() == 1 && route[0] == "audit") {
    return answer(only("GET", [&] { return Audit(c); }));
  }
  if (!route.empty() && route[0] == "conversations") {
    if (route.size() == 1) return answer(only("GET", [&] { return List(c); }));
    auto id = ParseId(route[1]);
    if (id && route.size() == 2) {
      return answer(only("GET", [&] { return Conversation(c, *id, "view"); }));
    }
    static const std::set<std::string> kActions = {"take", "reply", "release", "close"};
    if (id && route.size() == 3 && kActions.count(route[2])) {
      return answer(only("POST", [&] { return Conversation(c, *id, route[2]); }));
    }
  }
  return answer(Error(404, "no such endpoint; see GET /staff/api/conversations"));
}

StaffResponse StaffApi::Me(const Call& c) {
  json j = IdentityView(c.who);
  // The stations' names, for the inbox's station filter: all configured ones for "all".
  json names = json::object();
  const std::vector<std::string>& ids = c.who.all_stations ? accounts_.stations : c.who.stations;
  for (const std::string& id : ids) names[id] = StationName(id);
  j["station_names"] = std::move(names);
  return Json(200, j);
}

std::string StaffApi::StationName(const std::string& station) const {
  for (const auto& a : accounts_.accounts) {
    if (a.station == station && !a.station_name.empty()) return a.station_name;
  }
  return station;  // a station without accounts has no name to show
}

StaffResponse StaffApi::List(const Call& c) {
  const auto& query = c.request.query;
  HandoverQuery q;
  auto state = query.count("state") ? query.at("state") : "open";
  if (state == "open") {
    q.states = {HandoverState::kWaiting, HandoverState::kInProgress};
  } else if (auto s = ParseState(state)) {
    q.states = {*s};
  } else if (state != "all") {
    return Error(400, "state is open (default), waiting, in_progress, closed or all");
  }
  if (auto it = query.find("station"); it != query.end()) {
    if (!c.who.MaySee(it->second)) return Denied(c, 0, it->second, "not your station");
    q.stations = {it->second};
  } else if (!c.who.all_stations) {
    q.stations = c.who.stations;
  }
  auto limit = Limit(query, 100, 500);
  if (!limit) return Error(400, "limit is a number from 1 to 500");
  q.limit = *limit;
  auto list = handovers_.List(q);
  if (!list.ok()) return StoreFailed(list.status());
  json out = json::array();
  for (const auto& h : list.value()) out.push_back(Summary(h));
  return Json(200, {{"conversations", std::move(out)}});
}

StaffResponse StaffApi::Audit(const Call& c) {
  if (!c.who.supervisor()) return Denied(c, 0, "", "the audit log is for supervisors");
  auto limit = Limit(c.request.query, 100, 1000);
  if (!limit) return Error(400, "limit is a number from 1 to 1000");
  auto entries = handovers_.ListAudit(
      c.who.all_stations ? std::vector<std::string>{} : c.who.stations, *limit);
  if (!entries.ok()) return StoreFailed(entries.status());
  return Json(200, {{"entries", AuditView(entries.value())}});
}

StaffResponse StaffApi::Conversation(const Call& c, int64_t id, const std::string& action) {
  auto found = handovers_.Get(id);
  if (!found.ok()) return StoreFailed(found.status());
  if (!found.value()) return Error(404, "no conversation " + std::to_string(id));
  const Handover& h = *found.value();
  if (!c.who.MaySee(h.station)) return Denied(c, h.id, h.station, "not your station");
  if (action == "view") return View(c, h);
  if (action == "take") return Take(c, h);
  if (action == "reply") return Reply(c, h);
  return Close(c, h, action == "release" ? "released" : "closed");
}

StaffResponse StaffApi::View(const Call& c, const Handover& h) {
  auto entries = delivery_.Conversation(h.platform, h.account, h.sender,
                                        h.closed_at.value_or(clock_.Now()), 100);
  if (!entries.ok()) return StoreFailed(entries.status());
  // Reading a conversation is reading personal data: audited like any action.
  if (Status s = handovers_.Audit(Entry(c, "view", h, "")); !s.ok()) return StoreFailed(s);
  json j = Summary(h);
  j["transcript"] = TranscriptView(entries.value());
  return Json(200, j);
}

StaffResponse StaffApi::Take(const Call& c, const Handover& h) {
  if (!h.open()) return Error(409, "the conversation is closed; the bot answers it");
  std::string detail = h.assignee.empty() ? "was waiting" : "was with " + h.assignee;
  auto taken = handovers_.Take(h.id, c.who.name, clock_.Now(), Entry(c, "take", h, detail));
  if (!taken.ok()) return StoreFailed(taken.status());
  if (!taken.value()) return Error(409, "the conversation was closed meanwhile");
  spdlog::info("platform={} account={} handover={} taken by a staff {}", h.platform, h.account,
               h.id, RoleName(c.who.role));
  auto now = handovers_.Get(h.id);
  return Json(200, now.ok() && now.value() ? Summary(*now.value()) : json::object());
}

StaffResponse StaffApi::Reply(const Call& c, const Handover& h) {
  if (!h.open()) {
    return Error(409,
                 "the conversation is closed; the bot answers it (release or close ends "
                 "a hand-over)");
  }
  auto body = ParseJsonBody(c.request.body, 8);
  if (!body.ok() || !body.value().is_object()) {
    return Error(400, "the body is JSON like {\"text\": \"Guten Tag, ...\"}");
  }
  const json* text_field = Member(body.value(), "text");
  if (!text_field || !text_field->is_string()) return Error(400, "\"text\" is missing");
  const std::string text = text_field->get<std::string>();
  if (Blank(text)) return Error(400, "\"text\" is empty");
  if (CodePoints(text) > kMaxReplyCharacters) {
    return Error(400,
                 "\"text\" is longer than " + std::to_string(kMaxReplyCharacters) + " characters");
  }
  const bot::TimePoint now = clock_.Now();
  auto last = delivery_.LastInboundOf(h.platform, h.account, h.sender);
  if (!last.ok()) return StoreFailed(last.status());
  const std::optional<bot::TimePoint> last_at =
      last.value() ? std::optional(last.value()->at) : std::nullopt;
  const ReplyWindow window = StaffReplyWindow(h.platform, last_at, now);
  if (!window.open) {
    json j = {{"error", h.platform == "whatsapp"
                            ? "WhatsApp allows replies only within 24 hours of the person's "
                              "last message"
                            : "Messenger and Instagram allow a person's reply only within 7 "
                              "days of the person's last message"},
              {"last_message_at", last_at ? json(IsoTime(*last_at)) : json(nullptr)}};
    return Json(409, j);
  }
  OutboundMessage reply;
  reply.platform = h.platform;
  reply.account_id = h.account;
  reply.account_ref = h.account_ref;
  reply.recipient = h.sender;
  reply.reply.text = text;
  reply.author = "staff:" + c.who.name;
  const std::string correlation = "st-" + std::to_string(h.id) + "-" + RandomHex(3);
  const LastInbound cause = last.value().value_or(LastInbound{0, now});
  auto id = outbox_.Enqueue(reply, cause, correlation);
  if (!id.ok()) return StoreFailed(id.status());
  std::string detail = "outbox " + std::to_string(id.value());
  if (window.human_agent) detail += ", HUMAN_AGENT tag";
  // In progress with whoever answered; the idle time starts again.
  auto taken = handovers_.Take(h.id, c.who.name, now, Entry(c, "reply", h, detail));
  if (!taken.ok()) return StoreFailed(taken.status());
  metrics_.Add("wache_staff_replies_total", {{"platform", h.platform}});
  spdlog::info(
      "correlation={} platform={} account={} sender={} handover={} staff reply stored "
      "(outbox {})",
      correlation, h.platform, h.account, pseudonym_(h.sender), h.id, id.value());
  return Json(202, {{"outbox_id", id.value()},
                    {"correlation", correlation},
                    {"human_agent_tag", window.human_agent},
                    {"state", "in_progress"}});
}

StaffResponse StaffApi::Close(const Call& c, const Handover& h, const std::string& outcome) {
  if (!h.open()) return Error(409, "the conversation is already closed");
  const std::string action = outcome == "released" ? "release" : "close";
  auto closed = handovers_.Close(h.id, outcome, clock_.Now(),
                                 Entry(c, action, h, std::string("was ") + StateName(h.state)));
  if (!closed.ok()) return StoreFailed(closed.status());
  if (!closed.value()) return Error(409, "the conversation was closed meanwhile");
  metrics_.Add("wache_handovers_closed_total", {{"platform", h.platform}, {"outcome", outcome}});
  spdlog::info("platform={} account={} handover={} {} by a staff {}; the bot answers again",
               h.platform, h.account, h.id, outcome, RoleName(c.who.role));
  auto now = handovers_.Get(h.id);
  return Json(200, now.ok() && now.value() ? Summary(*now.value()) : json::object());
}

StaffResponse StaffApi::Denied(const Call& c, int64_t handover, const std::string& station,
                               const std::string& why) {
  // The refusal is audited under the station asked for, else the member's own (first) one,
  // so that the supervisors of that station see it.
  std::string where = station;
  if (where.empty()) where = c.who.all_stations ? "all" : c.who.stations.front();
  AuditEntry e{
      0,        clock_.Now(), c.who.name, RoleName(c.who.role),
      "denied", handover,     where,      c.request.method + " " + c.request.path + ": " + why};
  if (Status s = handovers_.Audit(e); !s.ok()) return StoreFailed(s);
  spdlog::warn("staff API: {} {} refused for a staff {}: {}", c.request.method, c.request.path,
               RoleName(c.who.role), why);
  return Error(403, why);
}

AuditEntry StaffApi::Entry(const Call& c, const std::string& action, const Handover& h,
                           std::string detail) const {
  return {0,      clock_.Now(), c.who.name, RoleName(c.who.role),
          action, h.id,         h.station,  std::move(detail)};
}

json StaffApi::Summary(const Handover& h) {
  auto last = delivery_.LastInboundOf(h.platform, h.account, h.sender);
  std::optional<bot::TimePoint> at;
  if (last.ok() && last.value()) at = last.value()->at;
  const bot::TimePoint now = clock_.Now();
  json j = HandoverView(h, pseudonym_(h.sender), at, StaffReplyWindow(h.platform, at, now), now);
  if (const bot::Account* a = accounts_.FindAccount(h.account)) j["account_name"] = a->name;
  j["station_name"] = StationName(h.station);
  return j;
}

}  // namespace wache::webhook::staff
