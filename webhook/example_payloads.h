// Example webhooks exactly as each platform would send them, signed with the platform's
// secret: for `wache send-test` (operators checking an installation), the end-to-end tests
// and the benchmark's load generator.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

namespace wache::webhook {

struct ExampleMessage {
  std::string account_ref;     // phone_number_id, Page id, Instagram id or X user id
  std::string sender;          // the person's platform id
  std::string message_id;      // unique per message (dedupe key)
  std::string text;            // "" with a button payload or an image
  std::string button_payload;  // a tapped button's payload ("" for text)
  bool image = false;          // a picture without caption instead of text
  int64_t unix_seconds = 0;
};

// The JSON body of a webhook delivering `m` on `platform` (whatsapp, messenger, instagram, x).
std::string ExampleWebhookBody(const std::string& platform, const ExampleMessage& m);

// The signature header (name, value) for `body`, as the platform computes it.
std::pair<std::string, std::string> SignatureHeader(const std::string& platform,
                                                    const std::string& secret,
                                                    const std::string& body);

}  // namespace wache::webhook
