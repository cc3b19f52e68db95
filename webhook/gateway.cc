#include "webhook/gateway.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <set>

namespace wache::webhook {

Result<std::unique_ptr<Gateway>> Gateway::Start(const bot::GatewayConfig& config,
                                                const WebhookConfig& webhook,
                                                std::shared_ptr<const bot::Playbook> playbook,
                                                bot::StateStore& store, DeliveryStore& delivery,
                                                staff::HandoverStore& handovers,
                                                const bot::Clock& clock, HttpClient& http,
                                                GatewayOptions options) {
  std::unique_ptr<Gateway> g(new Gateway());
  std::set<std::string> platforms;
  for (const auto& a : config.accounts) platforms.insert(a.platform);

  std::map<std::string, PlatformEndpoint> endpoints;
  for (const auto& name : platforms) {
    auto pc = webhook.platforms.find(name);
    PlatformConfig platform = pc == webhook.platforms.end() ? PlatformConfig{} : pc->second;
    if (platform.api_base_url.empty()) platform.api_base_url = DefaultApiBaseUrl(name);
    auto adapter = MakeAdapter(name, platform.options);
    if (!adapter) return Status::Error("no adapter for platform '" + name + "'");
    PlatformEndpoint ep;
    ep.adapter = adapter.get();
    ep.secrets.signing_secret = platform.signing_secret.Resolve();
    ep.secrets.verify_token = platform.verify_token.Resolve();
    const char* what = name == "x" ? "consumer_secret" : "app_secret";
    if (ep.secrets.signing_secret.empty()) {
      return Status::Error("platforms." + name + "." + what + " has no value: set " +
                           platform.signing_secret.Describe() + " (without it no webhook of " +
                           name + " can be verified)");
    }
    if (name != "x" && ep.secrets.verify_token.empty()) {
      spdlog::warn(
          "platforms.{}.verify_token has no value ({}): Meta's subscription check will "
          "be refused",
          name, platform.verify_token.Describe());
    }
    endpoints[name] = ep;
    g->adapters_[name] = std::move(adapter);
  }

  // Staff tokens, like the webhook secrets, must resolve before anything starts.
  auto directory = staff::StaffDirectory::Build(options.staff);
  if (!directory.ok()) return directory.status();
  // Members without a token were each warned about by Build; cmd_serve says how many can.

  g->engine_ = std::make_unique<bot::Engine>(playbook, store, clock);
  g->sender_ =
      std::make_unique<ReplySender>(http, options.console, g->pseudonym_, g->metrics_,
                                    std::chrono::seconds(webhook.server.send_timeout_seconds));
  for (const auto& a : config.accounts) {
    auto pc = webhook.platforms.find(a.platform);
    SendTarget t;
    t.adapter = g->adapters_.at(a.platform).get();
    t.base_url = pc != webhook.platforms.end() && !pc->second.api_base_url.empty()
                     ? pc->second.api_base_url
                     : DefaultApiBaseUrl(a.platform);
    if (auto c = webhook.credentials.find(a.id); c != webhook.credentials.end()) {
      t.bearer_token = c->second.access_token.Resolve();
      if (a.platform == "x" && pc != webhook.platforms.end()) {
        t.oauth1.consumer_key = pc->second.consumer_key.Resolve();
        t.oauth1.consumer_secret = pc->second.signing_secret.Resolve();
        t.oauth1.token = c->second.oauth_token.Resolve();
        t.oauth1.token_secret = c->second.oauth_token_secret.Resolve();
        if (pc->second.options.x_send_api == "v1.1" && !t.oauth1.complete() &&
            !t.bearer_token.empty()) {
          return Status::Error("account '" + a.id +
                               "': platforms.x.send_api is v1.1, which needs OAuth 1.0a "
                               "(consumer_key, oauth_token, oauth_token_secret)");
        }
      }
    }
    if (t.console()) g->console_accounts_.push_back(a.id);
    g->sender_->AddAccount(a.id, std::move(t));
  }
  for (const auto& name : platforms) {
    auto pc = webhook.platforms.find(name);
    options.outbox.policies[name] =
        pc == webhook.platforms.end() ? DefaultPolicy(name) : pc->second.policy;
  }
  options.outbox.senders = webhook.server.senders;
  g->outbox_ =
      std::make_unique<StoredOutbox>(delivery, *g->sender_, clock, g->metrics_, options.outbox);

  // The current playbook's label, so that a live reload changes it too.
  auto menu_label = [engine = g->engine_.get()](const std::string& language,
                                                const bot::Account& account) {
    bot::RenderedText t = engine->CurrentPlaybook()->templates.Render(
        "common.menu_button", language, account.language, "whatsapp", account.variables, 0,
        account.station);
    return t.found ? t.text : std::string("Menu");
  };
  staff::HandoverSettings hs;
  hs.idle = std::chrono::minutes(webhook.server.handover_idle_minutes);
  hs.fallback_flow = [engine = g->engine_.get()] {
    for (const auto& f : engine->CurrentPlaybook()->flows.flows) {
      if (f.priority == bot::Priority::kFallback) return f.name;
    }
    return std::string();
  };
  g->desk_ = std::make_unique<staff::HandoverDesk>(handovers, clock, g->metrics_, g->pseudonym_,
                                                   std::move(hs));
  g->dispatcher_ =
      std::make_unique<Dispatcher>(*g->engine_, config, *g->outbox_, g->metrics_, g->pseudonym_,
                                   menu_label, webhook.server.workers, delivery, clock, *g->desk_);
  g->dispatcher_->SetMaxQueued(options.max_queued_messages);
  // Work left by the previous run first: replies in flight, then unhandled messages.
  if (Status s = g->outbox_->Start(); !s.ok()) return s;
  if (Status s = g->dispatcher_->Resume(); !s.ok()) return s;
  ServerOptions so;
  so.host = webhook.server.host;
  so.port = options.port >= 0 ? options.port : webhook.server.port;
  so.max_body_bytes = webhook.server.max_body_bytes;
  so.connection_threads = webhook.server.connection_threads;
  so.web_dir = webhook.server.web_dir;
  g->server_ = std::make_unique<WebhookServer>(so, std::move(endpoints), config, *g->dispatcher_,
                                               g->metrics_, g->pseudonym_);
  g->staff_api_ =
      std::make_unique<staff::StaffApi>(std::move(directory).value(), handovers, delivery,
                                        *g->outbox_, config, g->metrics_, g->pseudonym_, clock);
  g->server_->SetStaffApi(g->staff_api_.get());
  g->server_->SetReadiness([&delivery, playbook]() -> Status {
    if (!playbook) return Status::Error("flows not loaded");
    return delivery.Ping();
  });
  Gateway* raw = g.get();
  g->server_->SetExtraMetrics([raw, &delivery, &handovers, &clock]() {
    std::string out;
    out += "# TYPE wache_inbox_queue_depth gauge\nwache_inbox_queue_depth " +
           std::to_string(raw->dispatcher_->QueueDepth()) + "\n";
    out += "# TYPE wache_sender_threads gauge\nwache_sender_threads " +
           std::to_string(raw->outbox_->SenderThreads()) + "\n";
    out += "# TYPE wache_replies_waiting_for_sender gauge\nwache_replies_waiting_for_sender " +
           std::to_string(raw->outbox_->WaitingForSender()) + "\n";
    if (auto c = delivery.Counts(); c.ok()) {
      const OutboxCounts& n = c.value();
      out += "# TYPE wache_outbox_replies gauge\n";
      out += "wache_outbox_replies{state=\"pending\"} " + std::to_string(n.pending) + "\n";
      out += "wache_outbox_replies{state=\"inflight\"} " + std::to_string(n.inflight) + "\n";
      out += "wache_outbox_replies{state=\"sent\"} " + std::to_string(n.sent) + "\n";
      out += "wache_outbox_replies{state=\"dead\"} " + std::to_string(n.dead) + "\n";
      long age = n.oldest_pending ? (clock.Now() - *n.oldest_pending).count() : 0;
      out +=
          "# TYPE wache_outbox_oldest_pending_age_seconds gauge\n"
          "wache_outbox_oldest_pending_age_seconds " +
          std::to_string(age) + "\n";
    }
    if (auto open = handovers.CountOpen(); open.ok()) {
      out += "# TYPE wache_handovers_open gauge\n";
      for (const auto& [state, n] : open.value()) {
        out += std::string("wache_handovers_open{state=\"") + staff::StateName(state) + "\"} " +
               std::to_string(n) + "\n";
      }
    }
    return out;
  });
  if (Status s = g->server_->Start(); !s.ok()) return s;
  if (webhook.server.retention_days > 0) {
    g->retention_ = std::make_unique<RetentionJob>(
        delivery, store, clock, webhook.server.retention_days, options.retention_period);
    g->retention_->Start();
  }
  g->release_ = std::make_unique<staff::ReleaseJob>(
      *g->desk_, handovers, clock, webhook.server.retention_days, options.handover_release_period);
  g->release_->Start();
  return g;
}

Gateway::~Gateway() { Stop(); }

void Gateway::SetPlaybook(std::shared_ptr<const bot::Playbook> playbook) {
  engine_->SetPlaybook(std::move(playbook));
}

void Gateway::SetAccounts(std::shared_ptr<const bot::GatewayConfig> config) {
  dispatcher_->SetAccounts(std::move(config));
}

size_t Gateway::StaffWhoCanSignIn() const { return staff_api_->MembersWhoCanSignIn(); }

void Gateway::SetStaff(staff::StaffDirectory directory) {
  const size_t members = directory.size();
  staff_api_->SetDirectory(std::move(directory));
  spdlog::info("staff list reloaded: {} member(s) can sign in", members);
}

void Gateway::Stop(std::chrono::milliseconds grace) {
  if (stopped_) return;
  stopped_ = true;
  const auto deadline = std::chrono::steady_clock::now() + grace;
  if (server_) server_->Stop();  // no new webhooks; running handlers finish first
  if (dispatcher_) dispatcher_->Stop(grace);
  if (outbox_) {
    // Within the same grace: the rest of an answer whose first part went out, and the
    // mark-read calls, rather than after the next start.
    const auto left = std::max(std::chrono::milliseconds(0),
                               std::chrono::duration_cast<std::chrono::milliseconds>(
                                   deadline - std::chrono::steady_clock::now()));
    if (!outbox_->SendWhatIsDue(left)) {
      spdlog::warn(
          "replies due now were not all sent within the shutdown grace; they stay "
          "stored and go out after the next start");
    }
    outbox_->Stop();  // what is held or retried later stays stored for the next run
  }
  if (retention_) retention_->Stop();
  if (release_) release_->Stop();
}

bool Gateway::WaitIdle(std::chrono::milliseconds timeout) {
  auto start = std::chrono::steady_clock::now();
  if (!dispatcher_->WaitIdle(timeout)) return false;
  auto left = timeout - std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - start);
  return outbox_->WaitDrained(left);
}

}  // namespace wache::webhook
