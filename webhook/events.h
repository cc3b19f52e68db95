// The neutral shapes that pass between the HTTP server, the platform adapters and the
// delivery code. A platform's own words (postback, quick_reply, wamid) never leave its
// adapter; what leaves is one of these.
//
// Not for: conversation logic (bot/) or storage (the delivery issue's inbox and outbox keep
// these same shapes).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bot/clock.h"
#include "bot/engine.h"

namespace wache::webhook {

// What one item of a webhook delivery is, from the gateway's point of view.
enum class EventKind {
  kMessage,      // a person wrote text or tapped a button: the engine answers
  kUnsupported,  // a person sent media, a location, a sticker, a story mention...:
                 // answered with a polite request to write text (and the emergency hint)
  kStatus,       // the platform reports on one of our own replies (WhatsApp statuses)
  kIgnored,      // on purpose never answered: echoes, reads, deliveries, reactions, typing...
};

const char* EventKindName(EventKind kind);

// One item of a delivery, in neutral form. Filled by PlatformAdapter::Parse.
struct InboundEvent {
  EventKind kind = EventKind::kIgnored;
  std::string platform;     // whatsapp | messenger | instagram | x
  std::string account_ref;  // the account id in the payload: phone_number_id, Page id,
                            // Instagram account id or X for_user_id
  std::string sender;       // the person's platform id ("" for statuses)
  std::string message_id;   // wamid, mid or X event id; the dedupe key with platform+account
  std::optional<bot::TimePoint> time;  // when the person sent it (seconds)
  std::string text;                    // text, or a media caption
  std::string button_payload;          // payload of a tapped button, as we sent it
  std::string detail;  // kIgnored: why (echo, status, read, delivery, reaction, typing,
                       //   own_message, standby, system, comment, deleted, unknown_event...)
                       // kUnsupported: what was sent (image, location, sticker, story_mention...)
                       // kStatus: sent | delivered | read | failed
  std::string error_code;  // kStatus failed: the platform's error code
};

// The result of parsing one delivery (one POST body).
struct ParsedDelivery {
  std::vector<InboundEvent> events;
};

// One reply to send, in neutral form: the engine's Reply plus where it goes.
struct OutboundMessage {
  std::string platform;
  std::string account_id;   // configured account id
  std::string account_ref;  // the platform id of that account (sender of the reply)
  std::string recipient;    // the person's platform id
  std::string reply_to;     // the inbound message id this answers ("" if none)
  bot::Reply reply;         // text, buttons (payload + label)
  std::string menu_label;   // label of the button that opens a WhatsApp list, in the
                            // reply's language (template common.menu_button)
  bool emergency = false;   // emergency replies jump queues (delivery issue)
  // WhatsApp outside the 24-hour window: send this approved template instead of the reply
  // (platforms.md 1.7). Empty name: a normal reply.
  struct Template {
    std::string name, language;
  } window_template;
  // Who wrote it: "" (stored as "bot") for the bot; "staff:<name>" for a staff reply.
  std::string author;
  // Messenger and Instagram: a person's reply after the 24-hour window, sent with the
  // HUMAN_AGENT message tag (platforms.md 2.8). Set by the outbox at send time, only for
  // staff replies: automated replies must never use it.
  bool human_agent = false;

  bool from_staff() const { return author.rfind("staff:", 0) == 0; }
};

// One HTTP call to a platform's send API, as an adapter renders it. The sender adds the
// base URL and the authentication.
struct PlatformRequest {
  std::string method = "POST";
  std::string path;                 // e.g. /v23.0/100000000000001/messages
  std::string body;                 // JSON
  std::string purpose = "message";  // message | mark_read
};

// What a send API answer means for delivery.
struct SendResult {
  enum class Outcome {
    kSent,       // accepted by the platform
    kRetry,      // worth retrying later: timeout, 5xx, rate limits
    kPermanent,  // will never work as is: invalid recipient, window closed, bad token...
  };
  Outcome outcome = Outcome::kRetry;
  std::string platform_message_id;  // wamid / mid / dm_event_id on success
  std::string error_code;           // the platform's code ("131047", "10/2018278", "429"...)
  std::string reason;               // short text for operators (no personal data)
  // Why a permanent error happened, as far as the operator's next step goes (the dead
  // letter's log line names it): set by the adapters, which know the platform's codes.
  enum class Cause {
    kOther,         // fix what the reason says, then retry the dead letter
    kCredentials,   // the account's token or keys were refused
    kWindowClosed,  // only the person writing again lets a free-form reply through
  };
  Cause cause = Cause::kOther;
  std::optional<std::chrono::seconds> retry_after;  // when the platform said so
  // The platform said this account's budget is used up (X: x-rate-limit-remaining 0 on a
  // successful send): send nothing more for the account for this long.
  std::optional<std::chrono::seconds> budget_resets_in;
};

const char* OutcomeName(SendResult::Outcome outcome);

}  // namespace wache::webhook
