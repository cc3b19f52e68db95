// Gateway: `wache serve` assembled from its parts: one adapter per platform in use, the
// webhook server, the dispatcher (durable inbox) with its workers, the stored outbox with
// its senders and send policy, the hourly retention job, and the hand-over desk with its
// release job. Used by app/cmd_serve.cc and by the end-to-end tests, so the tests run exactly
// what operators run.
#pragma once

#include <memory>
#include <ostream>
#include <vector>

#include "bot/accounts.h"
#include "bot/clock.h"
#include "bot/conversation_state.h"
#include "bot/engine.h"
#include "bot/playbook.h"
#include "webhook/dispatcher.h"
#include "webhook/http_client.h"
#include "webhook/metrics.h"
#include "webhook/reply_sender.h"
#include "webhook/retention.h"
#include "webhook/server.h"
#include "webhook/staff/handover_desk.h"
#include "webhook/staff/handover_store.h"
#include "webhook/staff/release_job.h"
#include "webhook/staff/staff_api.h"
#include "webhook/staff/staff_config.h"
#include "webhook/stored_outbox.h"
#include "webhook/webhook_config.h"

namespace wache::webhook {

struct GatewayOptions {
  int port = -1;                    // -1: the config's server.port; 0: any free port
  std::ostream* console = nullptr;  // console sink for accounts without credentials
  OutboxOptions outbox;  // its `policies` and `senders` come from the config (platforms.*, server)
  std::chrono::milliseconds retention_period = std::chrono::hours(1);
  // How often idle hand-overs are returned to the bot (server.handover_idle_minutes).
  std::chrono::milliseconds handover_release_period = std::chrono::minutes(1);
  // Who may use the staff API (the config's `staff:`, webhook/staff/staff_config.h); with
  // nobody, every staff request gets 401.
  staff::StaffConfig staff;
  // Accepted messages waiting in memory at most; more wait in the durable inbox only
  // (Dispatcher). About 1 KB each: the default bounds a flood to a few MB.
  size_t max_queued_messages = 5000;
};

class Gateway {
 public:
  // Resolves secrets and credentials, binds the port and starts the workers. Errors name
  // what is missing and how to fix it. Everything passed by reference must outlive it.
  static Result<std::unique_ptr<Gateway>> Start(const bot::GatewayConfig& config,
                                                const WebhookConfig& webhook,
                                                std::shared_ptr<const bot::Playbook> playbook,
                                                bot::StateStore& store, DeliveryStore& delivery,
                                                staff::HandoverStore& handovers,
                                                const bot::Clock& clock, HttpClient& http,
                                                GatewayOptions options);
  ~Gateway();

  int port() const { return server_->port(); }
  Metrics& metrics() { return metrics_; }
  const Pseudonymizer& pseudonym() const { return pseudonym_; }
  // Waits until every accepted message has been handled (tests).
  // Waits until every accepted message has been handled and, with a durable outbox, every
  // reply has been sent or dead-lettered (tests).
  bool WaitIdle(std::chrono::milliseconds timeout);
  // Accounts whose replies go to the console sink (no send credentials).
  const std::vector<std::string>& console_accounts() const { return console_accounts_; }
  // Staff members whose token resolved (at start, or at the last reload of the staff list):
  // they can sign in to the staff API.
  size_t StaffWhoCanSignIn() const;
  // Stops accepting webhooks, lets queued messages finish and sends the replies due (up to
  // `grace` in all), stops workers and senders.
  void Stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
  // Installs a checked playbook for the next messages (live reload, PlaybookReloader).
  void SetPlaybook(std::shared_ptr<const bot::Playbook> playbook);
  // Installs a reloaded config with the same accounts (new variables, language, calendar).
  void SetAccounts(std::shared_ptr<const bot::GatewayConfig> config);
  // Installs a reloaded staff list: who may use the staff API and the inbox.
  void SetStaff(staff::StaffDirectory directory);

 private:
  Gateway() = default;

  Metrics metrics_;
  Pseudonymizer pseudonym_;
  std::map<std::string, std::unique_ptr<PlatformAdapter>> adapters_;
  std::unique_ptr<bot::Engine> engine_;
  std::unique_ptr<ReplySender> sender_;
  std::unique_ptr<StoredOutbox> outbox_;
  std::unique_ptr<staff::HandoverDesk> desk_;
  std::unique_ptr<staff::ReleaseJob> release_;
  std::unique_ptr<staff::StaffApi> staff_api_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::unique_ptr<WebhookServer> server_;
  std::unique_ptr<RetentionJob> retention_;
  std::vector<std::string> console_accounts_;
  bool stopped_ = false;
};

}  // namespace wache::webhook
