// The staff API's JSON: what staff see of a hand-over, a conversation and the audit log.
// Lists show a pseudonym for the person (never the phone number or platform id); the
// transcript shows what the person wrote, because staff must read it to answer.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bot/clock.h"
#include "webhook/delivery_store.h"
#include "webhook/staff/auth.h"
#include "webhook/staff/handover_store.h"
#include "webhook/staff/reply_window.h"

namespace wache::webhook::staff {

// "2026-11-21T21:58:22Z"
std::string IsoTime(bot::TimePoint t);

nlohmann::json IdentityView(const StaffIdentity& who);

// One hand-over as listed: ids, state, how long it waits, the reply window, the person's
// pseudonym (`person`) and when they last wrote (if known).
nlohmann::json HandoverView(const Handover& h, const std::string& person,
                            std::optional<bot::TimePoint> last_message, const ReplyWindow& window,
                            bot::TimePoint now);

// The conversation, oldest first: who (person, bot, staff), when, what; for the bot its
// template key and flow, for every reply its delivery status; a reply that was not delivered
// ("dead") also has a `reason` (the outbox's last error, never a message text).
nlohmann::json TranscriptView(const std::vector<ConversationEntry>& entries);

nlohmann::json AuditView(const std::vector<AuditEntry>& entries);

}  // namespace wache::webhook::staff
