#include "webhook/staff/reply_window.h"

namespace wache::webhook::staff {

ReplyWindow StaffReplyWindow(const std::string& platform,
                             std::optional<bot::TimePoint> last_person_message,
                             bot::TimePoint now) {
  using std::chrono::hours;
  ReplyWindow w;
  if (platform == "x") {
    w.open = true;  // no window (platforms.md 4): only the DM budgets apply
    return w;
  }
  if (!last_person_message) return w;
  const bool meta_messaging = platform == "messenger" || platform == "instagram";
  const std::chrono::seconds length = meta_messaging ? hours(24 * 7) : hours(24);
  const auto elapsed = now - *last_person_message;
  w.open = elapsed < length;
  w.left = w.open ? std::chrono::duration_cast<std::chrono::seconds>(length - elapsed)
                  : std::chrono::seconds(0);
  w.human_agent = w.open && meta_messaging && elapsed >= hours(24);
  return w;
}

}  // namespace wache::webhook::staff
