#include "webhook/staff/handover_desk.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "webhook/staff/station.h"

namespace wache::webhook::staff {
namespace {

constexpr size_t kMaxTrackedMisses = 100'000;

bool HasFlag(const bot::Decision& d, const std::string& flag) {
  return std::find(d.flags.begin(), d.flags.end(), flag) != d.flags.end();
}

std::string ConversationOf(const AcceptedMessage& m) {
  return bot::ConversationKey{m.message.platform, m.message.account, m.message.sender}.ToString();
}

AuditEntry BySystem(bot::TimePoint now, const std::string& action, const Handover& h,
                    std::string detail) {
  return {0, now, "wache", "system", action, h.id, h.station, std::move(detail)};
}

std::string IdleDetail(const Handover& h, bot::TimePoint now) {
  return "idle " +
         std::to_string(
             std::chrono::duration_cast<std::chrono::minutes>(now - h.last_activity).count()) +
         " min, was " + StateName(h.state);
}

}  // namespace

HandoverDesk::HandoverDesk(HandoverStore& store, const bot::Clock& clock, Metrics& metrics,
                           const Pseudonymizer& pseudonym, HandoverSettings settings)
    : store_(store),
      clock_(clock),
      metrics_(metrics),
      pseudonym_(pseudonym),
      settings_(std::move(settings)) {}

std::optional<Handover> HandoverDesk::Current(const AcceptedMessage& m) {
  auto open = store_.FindOpen(m.message.platform, m.message.account, m.message.sender);
  if (!open.ok()) {
    spdlog::error("correlation={} cannot read hand-overs ({}); the bot answers", m.correlation_id,
                  open.status().message());
    return std::nullopt;
  }
  if (!open.value()) return std::nullopt;
  const Handover& h = *open.value();
  const bot::TimePoint now = clock_.Now();
  if (now - h.last_activity > settings_.idle) {
    // Idle past the limit: back to the bot now, not only when the release job comes by.
    auto closed = store_.Close(h.id, "auto_released", now,
                               BySystem(now, "auto_released", h, IdleDetail(h, now)));
    if (closed.ok() && closed.value()) Released(h);
    return std::nullopt;
  }
  return h;
}

void HandoverDesk::AfterBot(const AcceptedMessage& m, const bot::Account& account,
                            const bot::Decision& d) {
  const std::string key = ConversationOf(m);
  const std::string fallback = settings_.fallback_flow ? settings_.fallback_flow() : "";
  const bool missed = !fallback.empty() && d.flow == fallback;
  int misses = 0;
  {
    std::lock_guard lock(mu_);
    if (missed) {
      if (misses_.size() >= kMaxTrackedMisses) misses_.clear();  // forget, never grow unbounded
      misses = ++misses_[key];
    } else {
      misses_.erase(key);
    }
  }
  std::string reason;
  if (HasFlag(d, "handover")) {
    reason = "flow:" + d.flow;
  } else if (misses >= 2) {
    reason = "not_understood_twice";
  } else {
    return;
  }
  {
    std::lock_guard lock(mu_);
    misses_.erase(key);
  }
  const bot::TimePoint now = clock_.Now();
  Handover h;
  h.platform = m.message.platform;
  h.account = account.id;
  h.account_ref = m.account_ref;
  h.sender = m.message.sender;
  h.station = StationOf(account);
  h.urgent = HasFlag(d, "emergency");
  h.reason = reason;
  h.opened_at = now;
  auto opened =
      store_.Open(h, BySystem(now, "opened", h, "reason " + reason + (h.urgent ? ", urgent" : "")));
  if (!opened.ok()) {
    spdlog::error("correlation={} could not open a hand-over: {}", m.correlation_id,
                  opened.status().message());
    return;
  }
  if (!opened.value().second) return;  // already with staff
  metrics_.Add("wache_handovers_opened_total", {{"platform", h.platform}, {"reason", reason}});
  if (h.urgent) metrics_.Add("wache_handovers_urgent_total", {{"platform", h.platform}});
  spdlog::info(
      "correlation={} platform={} account={} sender={} handover={} handed over to staff "
      "(reason {}, station {}{})",
      m.correlation_id, h.platform, h.account, pseudonym_(h.sender), opened.value().first.id,
      reason, h.station, h.urgent ? ", urgent" : "");
}

void HandoverDesk::DuringHandover(const AcceptedMessage& m, const Handover& h,
                                  const bot::Decision& d) {
  if (d.flow.empty()) {
    // Staff answer this conversation; the message waits for them in the transcript.
    metrics_.Add("wache_handover_messages_total", {{"platform", h.platform}});
    return;
  }
  // An interrupt flow (an emergency) answered even though staff have the conversation.
  const bot::TimePoint now = clock_.Now();
  auto marked = store_.MarkUrgent(h.id, BySystem(now, "urgent", h, "flow " + d.flow));
  if (!marked.ok()) {
    spdlog::error("correlation={} handover={} could not mark it urgent: {}", m.correlation_id, h.id,
                  marked.status().message());
  }
  metrics_.Add("wache_handovers_urgent_total", {{"platform", h.platform}});
  spdlog::warn(
      "correlation={} platform={} account={} sender={} handover={} emergency during the "
      "hand-over: answered by flow {} and marked urgent",
      m.correlation_id, h.platform, h.account, pseudonym_(h.sender), h.id, d.flow);
}

int HandoverDesk::ReleaseIdle() {
  const bot::TimePoint now = clock_.Now();
  auto released = store_.ReleaseIdle(now - settings_.idle, now);
  if (!released.ok()) {
    spdlog::error("hand-over release failed (retried at the next run): {}",
                  released.status().message());
    return 0;
  }
  for (const auto& h : released.value()) Released(h);
  return static_cast<int>(released.value().size());
}

void HandoverDesk::Released(const Handover& h) {
  metrics_.Add("wache_handovers_closed_total",
               {{"platform", h.platform}, {"outcome", "auto_released"}});
  spdlog::info("platform={} account={} sender={} handover={} back to the bot after {} idle",
               h.platform, h.account, pseudonym_(h.sender), h.id,
               std::to_string(settings_.idle.count()) + " min");
}

}  // namespace wache::webhook::staff
