// ReplySender: turns one neutral reply into the platform's API calls (the adapter renders,
// this class authenticates and sends) and reports what happened. Accounts without send
// credentials go to the console sink instead: the reply is printed as a JSON line, so the
// full loop works on a fresh machine with no platform account at all.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <ostream>
#include <string>

#include "webhook/delivery.h"
#include "webhook/http_client.h"
#include "webhook/metrics.h"
#include "webhook/platform_adapter.h"
#include "webhook/pseudonym.h"
#include "webhook/x/oauth1.h"

namespace wache::webhook {

// Where and how one account's replies are sent.
struct SendTarget {
  const PlatformAdapter* adapter = nullptr;  // not owned
  std::string base_url;                      // e.g. https://graph.facebook.com
  std::string bearer_token;                  // Meta token or X OAuth 2 user token
  OAuth1Credentials oauth1;                  // X v1.1
  bool console() const { return bearer_token.empty() && !oauth1.complete(); }
};

class ReplySender {
 public:
  // `console` receives the console sink's lines (may be null to drop them).
  ReplySender(HttpClient& http, std::ostream* console, const Pseudonymizer& pseudonym,
              Metrics& metrics, std::chrono::milliseconds timeout);

  void AddAccount(const std::string& account_id, SendTarget target);

  // Renders and sends one reply. The outcome of the first call that did not succeed, or of
  // the last call. Thread-safe.
  SendResult Send(const OutboundMessage& msg, const std::string& correlation_id);

  // Marks a message read (WhatsApp), best effort.
  void MarkRead(const std::string& account_id, const std::string& account_ref,
                const std::string& message_id);

 private:
  SendResult Call(const SendTarget& t, const PlatformRequest& req, const std::string& platform);
  void PrintToConsole(const OutboundMessage& msg, const std::vector<PlatformRequest>& reqs,
                      const std::string& correlation_id);

  HttpClient& http_;
  std::ostream* console_;
  std::mutex console_mu_;
  const Pseudonymizer& pseudonym_;
  Metrics& metrics_;
  std::chrono::milliseconds timeout_;
  std::map<std::string, SendTarget> targets_;  // by account id; fixed after start
};

}  // namespace wache::webhook
