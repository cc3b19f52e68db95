#include "webhook/events.h"

namespace wache::webhook {

const char* EventKindName(EventKind kind) {
  switch (kind) {
    case EventKind::kMessage:
      return "message";
    case EventKind::kUnsupported:
      return "unsupported";
    case EventKind::kStatus:
      return "status";
    case EventKind::kIgnored:
      return "ignored";
  }
  return "?";
}

const char* OutcomeName(SendResult::Outcome outcome) {
  switch (outcome) {
    case SendResult::Outcome::kSent:
      return "sent";
    case SendResult::Outcome::kRetry:
      return "retry";
    case SendResult::Outcome::kPermanent:
      return "permanent";
  }
  return "?";
}

}  // namespace wache::webhook
