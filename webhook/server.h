// WebhookServer: the HTTP server the platforms call. One cpp-httplib server with a route
// per platform (GET for the subscription check, POST for deliveries), /healthz and
// /metrics. For each POST, in this order (architecture.md section 1, platforms.md 0.1):
//   size cap (413) → signature over the raw bytes (401 missing / 403 wrong) → content type
//   (415) → JSON (400) → the adapter parses every item → route by account id (unknown:
//   200, logged once, no reply) → Inbox::Accept → 200 only after the inbox took them.
// Handlers never throw and never run the engine: acknowledging stays fast.
// The staff API (webhook/staff/staff_api.h) answers under /staff/api on the same server, and
// the staff web inbox's static files (webhook/static_files.h) under /staff/.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "bot/accounts.h"
#include "webhook/delivery.h"
#include "webhook/metrics.h"
#include "webhook/platform_adapter.h"
#include "webhook/pseudonym.h"
#include "webhook/static_files.h"

namespace httplib {
class Server;
}

namespace wache::webhook {

namespace staff {
class StaffApi;
}

// Webhooks one kept-alive platform connection serves before the server closes it
// (webhook/server.cc says why; the bare ceiling of the benchmark uses the same).
inline constexpr size_t kWebhooksPerConnection = 100;

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                  // 0: any free port (tests); see port()
  size_t max_body_bytes = 1 << 20;  // larger bodies get 413
  int max_json_depth = 32;          // deeper nesting gets 400 without being parsed
  int connection_threads = 128;     // connections served at once (ConnectionThreads)
  // The staff web inbox's folder, served at /staff/ (webhook/static_files.h); "" or a folder
  // without index.html: not served (logged at start).
  std::string web_dir;
};

// One platform's route: its adapter and its webhook secrets.
struct PlatformEndpoint {
  const PlatformAdapter* adapter = nullptr;  // not owned
  WebhookSecrets secrets;
};

class WebhookServer {
 public:
  // Everything passed by reference must outlive the server.
  WebhookServer(ServerOptions options, std::map<std::string, PlatformEndpoint> endpoints,
                const bot::GatewayConfig& accounts, Inbox& inbox, Metrics& metrics,
                const Pseudonymizer& pseudonym);
  ~WebhookServer();

  // /readyz answers 200 when `ready` returns OK, else 503 with the reason.
  void SetReadiness(std::function<Status()> ready) { ready_ = std::move(ready); }
  // Text appended to /metrics (gauges computed on request).
  void SetExtraMetrics(std::function<std::string()> extra) { extra_metrics_ = std::move(extra); }
  // Serves the staff API under /staff/api (before Start). Not owned; must outlive the server.
  void SetStaffApi(staff::StaffApi* api) { staff_api_ = api; }

  // Binds and starts serving on a background thread. Error if the port cannot be bound.
  Status Start();
  int port() const { return port_; }
  // Stops accepting connections and waits for running handlers.
  void Stop();

 private:
  HttpAnswer HandlePost(const std::string& platform, const std::string& body,
                        const HeaderLookup& headers, const std::string& remote);
  const bot::Account* FindAccount(const std::string& platform, const std::string& ref) const;

  ServerOptions options_;
  std::map<std::string, PlatformEndpoint> endpoints_;
  const bot::GatewayConfig& accounts_;
  std::map<std::string, const bot::Account*> by_ref_;  // "platform:platform_id"
  Inbox& inbox_;
  Metrics& metrics_;
  const Pseudonymizer& pseudonym_;
  std::function<Status()> ready_;
  std::function<std::string()> extra_metrics_;
  staff::StaffApi* staff_api_ = nullptr;
  std::unique_ptr<StaticFiles> inbox_files_;  // null when the inbox is not served
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  int port_ = 0;
  std::mutex unknown_mu_;
  std::set<std::string> unknown_logged_;  // unknown accounts are logged once each
  // Correlation ids are "<platform>-<run>-<n>": the run part keeps them unique across
  // restarts, so one id finds one message in a week of logs.
  std::string run_id_;
  std::atomic<uint64_t> next_correlation_{1};
};

}  // namespace wache::webhook
