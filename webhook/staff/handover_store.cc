#include "webhook/staff/handover_store.h"

namespace wache::webhook::staff {

const char* StateName(HandoverState state) {
  switch (state) {
    case HandoverState::kWaiting:
      return "waiting";
    case HandoverState::kInProgress:
      return "in_progress";
    case HandoverState::kClosed:
      return "closed";
  }
  return "closed";
}

std::optional<HandoverState> ParseState(std::string_view name) {
  if (name == "waiting") return HandoverState::kWaiting;
  if (name == "in_progress") return HandoverState::kInProgress;
  if (name == "closed") return HandoverState::kClosed;
  return std::nullopt;
}

}  // namespace wache::webhook::staff
