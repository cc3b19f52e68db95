// The gateway's part of the config file: the HTTP server (`server:`), each platform's
// webhook secrets and send API (`platforms:`), and each account's send credentials
// (`accounts[].credentials`). The engine's part (accounts, variables) is read by
// bot/accounts.cc from the same file.
//
// Secrets are never written into the config: each is named as an environment variable
// and/or a file (`{ env: WACHE_META_APP_SECRET, file: ../var/secrets/meta_app_secret }`);
// the environment wins. Reading the config does not read secrets; Resolve does, at start.
#pragma once

#include <map>
#include <string>

#include "bot/accounts.h"
#include "bot/diagnostics.h"
#include "webhook/platform_adapter.h"
#include "webhook/send_policy.h"
#include "webhook/stored_outbox.h"

namespace wache::webhook {

struct SecretRef {
  std::string env;   // environment variable name
  std::string file;  // file path (relative paths are relative to the config file)
  bot::SourceLocation where;
  bool written = false;  // the config names this secret (perhaps malformed: reported then)

  bool configured() const { return !env.empty() || !file.empty(); }
  // The value: the environment variable if set and non-empty, else the file's first line.
  // "" if neither gives one.
  std::string Resolve() const;
  // "environment variable X or file Y", for messages.
  std::string Describe() const;
};

struct ServerConfig {
  std::string host = "127.0.0.1";  // 0.0.0.0 behind a reverse proxy in a container
  int port = 8080;
  size_t max_body_bytes = 1 << 20;  // larger bodies get 413; Meta batches stay far below
  int workers = 2;                  // threads that run the engine and send replies
  // Connections served at once (one thread each while the connection stays open, started
  // when needed; webhook/connection_threads.h). More wait for a free thread.
  int connection_threads = 128;
  // Threads calling the platforms' send APIs: how many calls may wait for an answer at once.
  // The outbox's default (256; webhook/stored_outbox.h says what it gives).
  int senders = OutboxOptions{}.senders;
  int send_timeout_seconds = 10;  // per call to a platform's send API
  // Texts and user ids of finished messages are anonymised after this many days (checked
  // every hour while serving); 0 turns the automatic run off (then run `wache erase
  // --older-than-days N` from cron).
  int retention_days = 30;
  // A conversation handed over to staff returns to the bot after this long without staff
  // activity.
  int handover_idle_minutes = 120;
  // Flow and template files are checked for changes this often and reloaded when they
  // pass the check (SIGHUP reloads at once); 0 turns the watching off.
  int reload_watch_seconds = 2;
  // The staff web inbox's files, served at /staff/ (relative paths are relative to the
  // config file's folder, like flows:). Without an index.html there, no inbox is served.
  std::string web_dir = "web/inbox";
};

struct PlatformConfig {
  SecretRef signing_secret;  // Meta app secret / X consumer secret
  SecretRef verify_token;    // Meta only
  SecretRef consumer_key;    // X only, for v1.1 (OAuth 1.0a)
  std::string api_base_url;  // default: the real host
  AdapterOptions options;
  PlatformPolicy policy;  // pacing, budgets, window template (defaults: DefaultPolicy)
  bot::SourceLocation where;
};

struct AccountCredentials {
  SecretRef access_token;        // WhatsApp/Meta token; X OAuth 2 user token (v2)
  SecretRef oauth_token;         // X v1.1: OAuth 1.0a user token
  SecretRef oauth_token_secret;  // X v1.1
};

struct WebhookConfig {
  ServerConfig server;
  std::map<std::string, PlatformConfig> platforms;        // by platform name
  std::map<std::string, AccountCredentials> credentials;  // by account id
};

// The real API hosts, used when the config names none.
std::string DefaultApiBaseUrl(const std::string& platform);

// Reads the gateway sections of `path`, reporting problems as diagnostics. Every platform
// that has accounts needs its webhook secret named (error otherwise).
WebhookConfig LoadWebhookConfig(const std::string& path, const bot::GatewayConfig& gateway,
                                bot::Diagnostics& diags);

}  // namespace wache::webhook
