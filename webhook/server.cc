#include "webhook/server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <random>

#include "bot/matcher.h"
#include "webhook/connection_threads.h"
#include "webhook/crypto.h"
#include "webhook/json_body.h"
#include "webhook/listen_socket.h"
#include "webhook/staff/staff_api.h"

namespace wache::webhook {

WebhookServer::WebhookServer(ServerOptions options,
                             std::map<std::string, PlatformEndpoint> endpoints,
                             const bot::GatewayConfig& accounts, Inbox& inbox, Metrics& metrics,
                             const Pseudonymizer& pseudonym)
    : options_(std::move(options)),
      endpoints_(std::move(endpoints)),
      accounts_(accounts),
      inbox_(inbox),
      metrics_(metrics),
      pseudonym_(pseudonym) {
  for (const auto& a : accounts_.accounts) by_ref_[a.platform + ":" + a.platform_id] = &a;
  char run[8];
  std::snprintf(run, sizeof run, "%06x", std::random_device{}() & 0xffffff);
  run_id_ = run;
}

WebhookServer::~WebhookServer() { Stop(); }

const bot::Account* WebhookServer::FindAccount(const std::string& platform,
                                               const std::string& ref) const {
  auto it = by_ref_.find(platform + ":" + ref);
  return it == by_ref_.end() ? nullptr : it->second;
}

HttpAnswer WebhookServer::HandlePost(const std::string& platform, const std::string& body,
                                     const HeaderLookup& headers, const std::string& remote) {
  const PlatformEndpoint& ep = endpoints_.at(platform);
  metrics_.Add("wache_webhooks_received_total", {{"platform", platform}});
  auto reject = [&](int status, const std::string& reason, const std::string& detail) {
    metrics_.Add("wache_webhooks_rejected_total", {{"platform", platform}, {"reason", reason}});
    spdlog::warn("platform={} status={} webhook from {} rejected: {}", platform, status, remote,
                 detail);
    return HttpAnswer{status, "text/plain", detail + "\n", detail};
  };

  // 1. The signature, over the bytes exactly as received, before anything reads them.
  if (Status s = ep.adapter->VerifySignature(headers, body, ep.secrets); !s.ok()) {
    bool missing = s.message().rfind("missing", 0) == 0;
    return reject(missing ? 401 : 403, missing ? "signature_missing" : "signature_invalid",
                  s.message());
  }
  // 2. Content type: the platforms send JSON. (Checked after the signature so that an
  // unsigned probe learns nothing.)
  std::string type = headers("Content-Type");
  if (type.rfind("application/json", 0) != 0) {
    return reject(415, "content_type", "Content-Type must be application/json");
  }
  // 3. JSON, with a nesting limit.
  auto json = ParseJsonBody(body, options_.max_json_depth);
  if (!json.ok()) return reject(400, "malformed_json", json.status().message());
  // 4. Every item of every batch.
  auto parsed = ep.adapter->Parse(json.value());
  if (!parsed.ok()) return reject(400, "not_an_envelope", parsed.status().message());

  std::vector<AcceptedMessage> batch;
  std::vector<InboundEvent> statuses;
  for (auto& e : parsed.value().events) {
    if (e.kind == EventKind::kIgnored) {
      metrics_.Add("wache_events_ignored_total", {{"platform", platform}, {"kind", e.detail}});
      continue;
    }
    const bot::Account* account = FindAccount(platform, e.account_ref);
    if (!account) {
      metrics_.Add("wache_events_ignored_total",
                   {{"platform", platform}, {"kind", "unknown_account"}});
      std::lock_guard lock(unknown_mu_);
      if (unknown_logged_.insert(platform + ":" + e.account_ref).second) {
        spdlog::warn(
            "platform={} account id {} is not configured; its events are acknowledged "
            "and not answered (add it to the config's accounts to answer)",
            platform, e.account_ref);
      }
      continue;
    }
    if (e.kind == EventKind::kStatus) {
      metrics_.Add("wache_events_ignored_total", {{"platform", platform}, {"kind", "status"}});
      statuses.push_back(std::move(e));
      continue;
    }
    AcceptedMessage m;
    m.message.platform = platform;
    m.message.account = account->id;
    m.message.sender = e.sender;
    m.message.message_id = e.message_id;
    m.message.text = e.text;
    m.message.button_payload = e.button_payload;
    m.message.time = e.time;
    if (e.kind == EventKind::kUnsupported)
      m.message.unsupported = e.detail.empty() ? "unsupported" : e.detail;
    m.account_ref = e.account_ref;
    m.correlation_id =
        platform.substr(0, 2) + "-" + run_id_ + "-" + std::to_string(next_correlation_++);
    m.received_at = std::chrono::steady_clock::now();
    m.received_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
    batch.push_back(std::move(m));
  }
  if (!statuses.empty()) inbox_.AcceptStatuses(statuses);
  const size_t n = batch.size();
  if (n > 0) {
    std::vector<std::string> ids;
    for (const auto& m : batch) ids.push_back(m.correlation_id);
    if (Status s = inbox_.Accept(std::move(batch)); !s.ok()) {
      // Nothing was taken: 503 makes the platform deliver again later.
      return reject(503, "inbox_unavailable", "cannot take messages now: " + s.message());
    }
    metrics_.Add("wache_messages_accepted_total", {{"platform", platform}}, static_cast<long>(n));
    for (const auto& id : ids) spdlog::debug("correlation={} accepted", id);
  }
  return {200, "text/plain", "EVENT_RECEIVED", ""};
}

Status WebhookServer::Start() {
  http_ = std::make_unique<httplib::Server>();
  http_->set_payload_max_length(options_.max_body_bytes);  // httplib answers 413 itself
  http_->set_tcp_nodelay(true);  // small answers on kept-alive connections, sent at once
  // A platform's connection serves up to 100 webhooks, not httplib's 5: each reconnect is a
  // handshake for the platform and for us (the benchmark's generator spent 8% more CPU per
  // message with 5, and the bare server took 13% more webhooks/s with 100). Idle connections
  // still close after httplib's 5 s, and a busy one after 100 webhooks frees its thread for
  // a connection waiting beyond server.connection_threads.
  http_->set_keep_alive_max_count(kWebhooksPerConnection);
  const size_t threads = static_cast<size_t>(std::max(1, options_.connection_threads));
  // Up to `threads` of them, each matching only the webhooks of its connection: they search
  // with the shared compiled patterns rather than keep copies of their own.
  http_->new_task_queue = [threads] {
    return new ConnectionThreads(threads,
                                 [] { bot::Matcher::ShareCompiledPatternsOnThisThread(); });
  };
  http_->set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        // Handlers do not throw; if a library does, answer 500 (the platform retries) and live on.
        spdlog::error("webhook handler threw; answered 500");
        res.status = 500;
        res.set_content("internal error\n", "text/plain");
      });
  auto send = [](httplib::Response& res, const HttpAnswer& a) {
    res.status = a.status;
    res.set_content(a.body, a.content_type.c_str());
  };
  for (const auto& [name, ep] : endpoints_) {
    const std::string platform = name;
    const std::string path = "/webhook/" + platform;
    http_->Get(path, [this, platform, send](const httplib::Request& req, httplib::Response& res) {
      const PlatformEndpoint& ep = endpoints_.at(platform);
      HttpAnswer a = ep.adapter->VerifySubscription(
          [&req](const std::string& k) -> std::optional<std::string> {
            if (!req.has_param(k.c_str())) return std::nullopt;
            return req.get_param_value(k.c_str());
          },
          ep.secrets);
      spdlog::log(a.status == 200 ? spdlog::level::info : spdlog::level::warn,
                  "webhook {} subscription check from {}: {} ({})", platform, req.remote_addr,
                  a.status, a.log_reason);
      send(res, a);
    });
    http_->Post(path, [this, platform, send](const httplib::Request& req, httplib::Response& res) {
      HttpAnswer a = HandlePost(
          platform, req.body,
          [&req](const std::string& k) { return req.get_header_value(k.c_str()); },
          req.remote_addr);
      send(res, a);
    });
  }
  http_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
  http_->Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
    Status s = ready_ ? ready_() : Status::Ok();
    res.status = s.ok() ? 200 : 503;
    res.set_content(s.ok() ? "ready\n" : "not ready: " + s.message() + "\n", "text/plain");
  });
  http_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    std::string text = metrics_.RenderPrometheus();
    if (extra_metrics_) text += extra_metrics_();
    res.set_content(text, "text/plain; version=0.0.4");
  });

  if (staff_api_) {
    // One handler for every staff path and method: the API itself checks the token first,
    // then the route, so an unauthenticated probe learns nothing about what exists.
    auto staff = [this](const httplib::Request& req, httplib::Response& res) {
      staff::StaffRequest r;
      r.method = req.method;
      r.path = req.path;
      for (const auto& [k, v] : req.params) r.query.emplace(k, v);
      r.authorization = req.get_header_value("Authorization");
      r.body = req.body;
      r.remote = req.remote_addr;
      staff::StaffResponse a = staff_api_->Handle(r);
      res.status = a.status;
      for (const auto& [k, v] : a.headers) res.set_header(k, v);
      res.set_header("Cache-Control", "no-store");
      res.set_header("X-Content-Type-Options", "nosniff");
      res.set_content(a.body, "application/json");
    };
    const char* pattern = R"(/staff/api(/.*)?)";
    http_->Get(pattern, staff);
    http_->Post(pattern, staff);
    http_->Put(pattern, staff);
    http_->Delete(pattern, staff);
  }

  // The staff web inbox, after the API so that /staff/api/... never reaches the files.
  if (!options_.web_dir.empty()) {
    auto files = std::make_unique<StaticFiles>(options_.web_dir, "/staff/");
    if (files->usable()) inbox_files_ = std::move(files);
  }
  if (inbox_files_) {
    http_->Get(R"(/staff(/.*)?)", [this](const httplib::Request& req, httplib::Response& res) {
      if (req.path == "/staff") {  // relative links in the page need the trailing slash
        for (const auto& [k, v] : StaticFiles::SecurityHeaders()) res.set_header(k, v);
        res.set_redirect("/staff/", 301);
        return;
      }
      StaticAnswer a = inbox_files_->Serve(req.path, req.get_header_value("If-None-Match"));
      res.status = a.status;
      for (const auto& [k, v] : a.headers) res.set_header(k, v);
      if (a.status != 304) res.set_content(a.body, a.content_type.c_str());
    });
  }

  const ListenSocket listen_socket(*http_);
  if (options_.port == 0) {
    port_ = http_->bind_to_any_port(options_.host.c_str());
  } else {
    port_ = http_->bind_to_port(options_.host.c_str(), options_.port) ? options_.port : -1;
  }
  if (port_ <= 0) {
    return Status::Error("cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                         " (in use? choose another with server.port in the config or --port)");
  }
  if (!listen_socket.Widen()) {
    spdlog::warn(
        "could not widen the listen backlog to {}: beyond 5 connections arriving at once, a "
        "platform's new connection waits a second for its retry",
        ListenSocket::kBacklog);
  }
  thread_ = std::thread([this] { http_->listen_after_bind(); });
  if (inbox_files_) {
    spdlog::info("staff inbox: http://{}:{}/staff/ (files from {})", options_.host, port_,
                 inbox_files_->root());
  } else if (!options_.web_dir.empty()) {
    spdlog::warn("staff inbox not served: no index.html in {} (server.web_dir)", options_.web_dir);
  }
  return Status::Ok();
}

void WebhookServer::Stop() {
  if (!http_ || !thread_.joinable()) return;
  // stop() before the listening thread has started its loop does nothing, and the loop
  // would then run forever: a gateway stopped right after it started hung in join(). So
  // wait (briefly) until it runs. cpp-httplib 0.11 has no wait_until_ready().
  for (int i = 0; i < 500 && !http_->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  http_->stop();
  thread_.join();
}

}  // namespace wache::webhook
