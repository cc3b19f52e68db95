// What WhatsApp, Messenger and Instagram share because all three are Meta Graph webhooks:
// the hub.* subscription handshake, the X-Hub-Signature-256 check, and the meaning of Graph
// API error answers. See shared/docs/platforms.md sections 1.1, 1.2, 1.11, 2.1, 2.2, 2.9.
#pragma once

#include <string>
#include <string_view>

#include "webhook/platform_adapter.h"

namespace wache::webhook::meta {

// GET ?hub.mode=subscribe&hub.verify_token=...&hub.challenge=...: 200 with the challenge as
// plain text when the token matches (constant time), 403 otherwise.
HttpAnswer VerifySubscription(const QueryLookup& query, const WebhookSecrets& secrets);

// X-Hub-Signature-256: sha256=<lower-case hex HMAC-SHA256(app secret, raw body)>.
// The legacy SHA-1 header is not accepted: it is weaker and Meta sends both.
Status VerifySignature(const HeaderLookup& headers, std::string_view raw_body,
                       const WebhookSecrets& secrets);

// The `X-Hub-Signature-256` value for `body` (send-test, tests, the benchmark).
std::string SignatureHeaderValue(std::string_view app_secret, std::string_view body);

// Sent, retry or permanent, from a Graph send answer. `id_of_success` extracts the platform's
// message id from a 2xx body (WhatsApp and Messenger differ).
SendResult InterpretGraphAnswer(int status, const std::string& body,
                                std::string (*id_of_success)(const nlohmann::json& body));

}  // namespace wache::webhook::meta
