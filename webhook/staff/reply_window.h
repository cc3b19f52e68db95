// When a member of staff may still answer a person, per platform (platforms.md 0, 1.9, 2.8,
// 3.6): WhatsApp 24 hours after the person's last message (free-form; templates are not for
// staff replies); Messenger and Instagram 24 hours, then up to 7 days with the HUMAN_AGENT
// message tag, which only a person may use; X has no window.
//
// Used twice: the staff API refuses a reply outside the window (409), and the outbox decides
// at send time whether a staff reply goes tagged, or not at all (a reply stored just inside
// the window may be sent after it closed).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "bot/clock.h"

namespace wache::webhook::staff {

struct ReplyWindow {
  bool open = false;
  // Until the window closes; nullopt when the platform has none (X).
  std::optional<std::chrono::seconds> left;
  bool human_agent = false;  // Messenger/Instagram past 24 hours: send with the HUMAN_AGENT tag
};

// `last_person_message`: when the person last wrote (nullopt: nothing stored, e.g. erased).
ReplyWindow StaffReplyWindow(const std::string& platform,
                             std::optional<bot::TimePoint> last_person_message, bot::TimePoint now);

}  // namespace wache::webhook::staff
