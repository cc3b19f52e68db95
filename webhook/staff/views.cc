#include "webhook/staff/views.h"

#include <ctime>

namespace wache::webhook::staff {

using nlohmann::json;

std::string IsoTime(bot::TimePoint t) {
  std::time_t secs = static_cast<std::time_t>(t.time_since_epoch().count());
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

json IdentityView(const StaffIdentity& who) {
  json stations = who.all_stations ? json("all") : json(who.stations);
  return {{"name", who.name}, {"role", RoleName(who.role)}, {"stations", stations}};
}

json HandoverView(const Handover& h, const std::string& person,
                  std::optional<bot::TimePoint> last_message, const ReplyWindow& window,
                  bot::TimePoint now) {
  json j = {
      {"id", h.id},
      {"platform", h.platform},
      {"account", h.account},
      {"station", h.station},
      {"state", StateName(h.state)},
      {"urgent", h.urgent},
      {"assignee", h.assignee.empty() ? json(nullptr) : json(h.assignee)},
      {"reason", h.reason},
      {"person", person},
      {"opened_at", IsoTime(h.opened_at)},
      {"waiting_seconds",
       h.open() ? std::chrono::duration_cast<std::chrono::seconds>(now - h.opened_at).count() : 0},
      {"last_staff_activity", IsoTime(h.last_activity)},
      {"last_message_at", last_message ? json(IsoTime(*last_message)) : json(nullptr)},
      {"reply_window",
       {{"open", h.open() && window.open},
        {"seconds_left", window.left ? json(window.left->count()) : json(nullptr)},
        {"human_agent_tag", window.human_agent}}},
  };
  if (h.closed_at) {
    j["closed_at"] = IsoTime(*h.closed_at);
    j["outcome"] = h.outcome;
  }
  return j;
}

namespace {

// A reply that was not delivered says why: the outbox's last_error, which holds fixed
// phrases and the platform's error codes, never a message text (stored_outbox.cc). Only for
// dead replies; a pending one's last error is a retry in progress, not a verdict.
void AddDeadReason(json& j, const ConversationEntry& e) {
  if (e.status == "dead" && !e.error.empty()) j["reason"] = e.error;
}

}  // namespace

json TranscriptView(const std::vector<ConversationEntry>& entries) {
  json out = json::array();
  for (const auto& e : entries) {
    json j = {{"at", IsoTime(e.at)}};
    if (e.from_person) {
      j["who"] = "person";
      j["text"] = e.text;
      if (!e.unsupported.empty()) j["media"] = e.unsupported;
      if (e.button) j["button"] = true;
    } else if (e.author.rfind("staff:", 0) == 0) {
      j["who"] = "staff";
      j["staff"] = e.author.substr(6);
      j["text"] = e.text;
      j["status"] = e.status;
      AddDeadReason(j, e);
    } else {
      j["who"] = "bot";
      j["text"] = e.text;
      j["template"] = e.template_key;
      // Replies stored before schema 5 and the engine's own answers have no flow: null,
      // so the inbox says "unknown" rather than guess from the template key.
      j["flow"] = e.flow.empty() ? json(nullptr) : json(e.flow);
      j["status"] = e.status;
      AddDeadReason(j, e);
    }
    out.push_back(std::move(j));
  }
  return out;
}

json AuditView(const std::vector<AuditEntry>& entries) {
  json out = json::array();
  for (const auto& e : entries) {
    out.push_back({{"id", e.id},
                   {"at", IsoTime(e.at)},
                   {"staff", e.staff},
                   {"role", e.role},
                   {"action", e.action},
                   {"conversation", e.handover_id ? json(e.handover_id) : json(nullptr)},
                   {"station", e.station},
                   {"detail", e.detail}});
  }
  return out;
}

}  // namespace wache::webhook::staff
