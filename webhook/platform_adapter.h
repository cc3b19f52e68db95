// PlatformAdapter: everything that differs between WhatsApp, Messenger, Instagram and X,
// behind one small interface. The server and the delivery code only speak the neutral
// shapes of webhook/events.h; an adapter knows nothing of flows.
//
// Contract for all methods: never throw, never crash on any input (the input is untrusted
// text from the internet), thread-safe (adapters are immutable after construction).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/status.h"
#include "webhook/events.h"

namespace wache::webhook {

// The secrets one platform's webhook needs. Resolved from the environment or files.
struct WebhookSecrets {
  std::string signing_secret;  // Meta app secret, or X consumer secret
  std::string verify_token;    // Meta only: the token typed into the App Dashboard
};

// An HTTP answer the server sends back as is.
struct HttpAnswer {
  int status = 200;
  std::string content_type = "text/plain";
  std::string body;
  std::string log_reason;  // why, for the operator's log (never personal data)
};

// Case-insensitive header lookup and query parameter lookup, so adapters do not depend on
// the HTTP library. Return "" when absent.
using HeaderLookup = std::function<std::string(const std::string& name)>;
using QueryLookup = std::function<std::optional<std::string>(const std::string& name)>;

// Settings that shape rendering and sending (from the config's `platforms:` section).
struct AdapterOptions {
  std::string api_version = "v23.0";  // Meta Graph API version in send paths
  bool mark_read = true;              // WhatsApp: mark each answered message as read
  std::string x_send_api = "v2";      // X: "v2" (text only) or "v1.1" (quick replies)
};

class PlatformAdapter {
 public:
  virtual ~PlatformAdapter() = default;

  virtual const std::string& platform() const = 0;

  // The subscription check (GET on the webhook URL): Meta's hub.* handshake or X's CRC.
  virtual HttpAnswer VerifySubscription(const QueryLookup& query,
                                        const WebhookSecrets& secrets) const = 0;

  // Checks the signature header over the raw body, before anything is parsed.
  // OK, or an error whose message names what was wrong (missing, malformed, mismatch).
  virtual Status VerifySignature(const HeaderLookup& headers, std::string_view raw_body,
                                 const WebhookSecrets& secrets) const = 0;

  // Every item of every batch in a parsed body. An error only when the body is JSON but not
  // this platform's envelope at all (e.g. an array, or `object` of another platform);
  // unknown fields and unknown event kinds become kIgnored events instead.
  virtual Result<ParsedDelivery> Parse(const nlohmann::json& body) const = 0;

  // The platform calls that deliver one reply: buttons rendered within the platform's
  // limits, long texts split on word boundaries. At least one request.
  virtual std::vector<PlatformRequest> Render(const OutboundMessage& msg) const = 0;

  // WhatsApp: the call that marks `message_id` read. nullopt on other platforms or when off.
  virtual std::optional<PlatformRequest> MarkRead(const std::string& account_ref,
                                                  const std::string& message_id) const {
    return std::nullopt;
  }

  // What a send API answer means: sent (with the platform's message id), retry, or permanent.
  // `status` 0 means no HTTP answer at all (timeout, connection refused).
  virtual SendResult Interpret(int status, const std::string& body,
                               const HeaderLookup& headers) const = 0;
};

// The four adapters, by platform name.
std::unique_ptr<PlatformAdapter> MakeAdapter(const std::string& platform,
                                             const AdapterOptions& options);

}  // namespace wache::webhook
