#include "webhook/render_util.h"

namespace wache::webhook {

std::string WithNumberedChoices(const bot::Reply& reply) {
  std::string text = reply.text;
  if (reply.buttons.empty()) return text;
  text += "\n";
  for (size_t i = 0; i < reply.buttons.size(); ++i) {
    text += "\n" + std::to_string(i + 1) + ". " + reply.buttons[i].label;
  }
  return text;
}

}  // namespace wache::webhook
