// wache serve: the webhook gateway. Loads and checks everything first (refuses to start on
// errors), opens the SQLite store, starts the server and workers, and runs until SIGINT or
// SIGTERM, then stops taking webhooks, lets the queued messages finish and sends the replies due.
#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "app/commands.h"
#include "app/loading.h"
#include "store/sqlite_delivery_store.h"
#include "store/sqlite_handover_store.h"
#include "store/sqlite_state_store.h"
#include "webhook/gateway.h"
#include "webhook/json_log.h"
#include "webhook/playbook_reloader.h"

namespace wache::app {

int RunServe(const CommonOptions& opts, int port, const std::string& api_base_url,
             const std::string& log_format) {
  // Logs go to stderr; stdout carries the console sink's JSON lines.
  spdlog::set_default_logger(spdlog::stderr_color_mt("wache"));
  webhook::SetLogFormat(log_format);
  auto loaded = LoadAll(opts);
  if (!ReportLoad(*loaded, std::cerr)) return 1;

  if (!api_base_url.empty()) {
    for (auto& [name, platform] : loaded->webhook.platforms) platform.api_base_url = api_base_url;
    spdlog::warn("sending all replies to {} (--api-base-url), not to the platforms", api_base_url);
  }
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(loaded->config.database).parent_path(),
                                      ec);
  // One file, one connection (store/schema.h says why): conversation state; the inbox and
  // outbox (a 200 means the message is committed there); hand-overs and the staff audit log.
  std::shared_ptr<store::Connection> database;
  try {
    database = store::OpenConnection(loaded->config.database);
  } catch (const std::exception& e) {
    std::cerr << "wache serve: cannot open database '" << loaded->config.database
              << "': " << e.what() << "\n";
    return 1;
  }
  auto store = store::SqliteStateStore::OpenOn(database);
  auto delivery = store::SqliteDeliveryStore::OpenOn(database);
  if (!delivery.ok()) {
    std::cerr << "wache serve: " << delivery.status().message() << "\n";
    return 1;
  }
  auto handovers = store::SqliteHandoverStore::OpenOn(database);
  bot::SystemClock clock;
  webhook::HttplibClient http;
  // Block the stop signals before any thread starts, so that only sigwait below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);  // reload flows and templates
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  webhook::GatewayOptions go;
  go.port = port;
  go.console = &std::cout;
  go.staff = loaded->staff;
  auto gateway = webhook::Gateway::Start(loaded->config, loaded->webhook, loaded->playbook, *store,
                                         *delivery.value(), *handovers, clock, http, go);
  if (!gateway.ok()) {
    std::cerr << "wache serve: " << gateway.status().message() << "\n";
    return 1;
  }
  auto& g = *gateway.value();
  const std::string base = "http://" + loaded->webhook.server.host + ":" + std::to_string(g.port());
  spdlog::info("Wache serves {} accounts on {} (state in {})", loaded->config.accounts.size(), base,
               loaded->config.database);
  std::set<std::string> platforms;
  for (const auto& a : loaded->config.accounts) platforms.insert(a.platform);
  for (const auto& p : platforms) spdlog::info("  webhook route: {}/webhook/{}", base, p);
  const size_t can_sign_in = g.StaffWhoCanSignIn();
  spdlog::info("  staff API: {}/staff/api ({} of {} configured staff can sign in{})", base,
               can_sign_in, loaded->staff.members.size(),
               can_sign_in == 0 ? "; it refuses every request" : "");
  if (!g.console_accounts().empty()) {
    std::string list;
    for (const auto& a : g.console_accounts()) list += (list.empty() ? "" : ", ") + a;
    spdlog::info(
        "no send credentials for: {}; their replies are printed on stdout "
        "(console sink)",
        list);
  }
  // With --port or another host, send-test must be told where (it reads server.* otherwise).
  const bool configured_address = g.port() == loaded->webhook.server.port;
  spdlog::info("try it: build/wache send-test --config {}{} --platform whatsapp --text \"Hallo\"",
               opts.config, configured_address ? "" : " --url " + base);

  // Live editing: changed flow and template files are checked and swapped in; a broken
  // edit is refused and logged, and the running version keeps serving.
  // The staff list reloads too, so that a withdrawn token stops working without a restart.
  auto staff_section = [&g, file = opts.config](const bot::GatewayConfig& config,
                                                bot::Diagnostics& diags) -> std::function<void()> {
    auto directory =
        webhook::staff::StaffDirectory::Build(webhook::staff::LoadStaffConfig(file, config, diags));
    if (!directory.ok()) {
      diags.Error({file, 0, 0}, "staff: " + directory.status().message());
      return {};
    }
    return [&g, d = std::move(directory).value()]() mutable { g.SetStaff(std::move(d)); };
  };
  webhook::PlaybookReloader reloader(
      loaded->config,
      [&g](auto playbook, auto config) {
        g.SetAccounts(std::move(config));  // first: a new text may use a new variable
        g.SetPlaybook(std::move(playbook));
      },
      staff_section);
  if (loaded->webhook.server.reload_watch_seconds > 0) {
    reloader.Watch(std::chrono::seconds(loaded->webhook.server.reload_watch_seconds));
    spdlog::info("watching {}, {} and {} for edits (reload also with: kill -HUP {})", opts.config,
                 loaded->config.flows_dir, loaded->config.templates_dir, ::getpid());
  }

  int sig = 0;
  while (sigwait(&stop_signals, &sig) == 0 && sig == SIGHUP) {
    spdlog::info("SIGHUP: reloading the config, flows and templates");
    reloader.Reload();
  }
  reloader.Stop();
  spdlog::info(
      "signal {}: stopping (no new webhooks; finishing queued messages and sending the replies "
      "due)",
      sig);
  g.Stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace wache::app
