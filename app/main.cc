// wache: the messaging gateway's one binary. Subcommands: serve, send-test, check, test, simulate,
// chat, graph.
#include <CLI/CLI.hpp>

#include "app/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"Wache: the messaging front desk of police social-media accounts"};
  app.require_subcommand(1);
  wache::app::CommonOptions common;
  auto add_common = [&](CLI::App* cmd) {
    cmd->add_option("--config", common.config, "account configuration (YAML)")
        ->capture_default_str();
    cmd->add_option("--flows", common.flows, "flow folder (default: from the config)");
    cmd->add_option("--templates", common.templates, "template folder (default: from the config)");
  };

  std::vector<std::string> check_paths;
  bool quiet = false;
  auto* check = app.add_subcommand(
      "check", "check flows, templates and config; print every problem as file:line:col");
  add_common(check);
  check->add_option("paths", check_paths,
                    "flow files or folders to check instead of the shipped ones (a folder with "
                    "language folders is taken as templates)");
  check->add_flag("-q,--quiet", quiet, "errors only");

  std::vector<std::string> test_paths;
  bool verbose = false;
  auto* test = app.add_subcommand("test", "run conversation test files");
  add_common(test);
  test->add_option("paths", test_paths, "test files or folders")->required();
  test->add_flag("-v,--verbose", verbose, "also list the tests that pass");

  std::string state_db;
  auto* simulate = app.add_subcommand(
      "simulate", "JSON lines in (one message each), decisions and replies out as JSON lines");
  add_common(simulate);
  simulate->add_option("--state", state_db,
                       "keep conversation state in this SQLite file (default: in memory)");

  std::string platform, account;
  auto* chat = app.add_subcommand("chat", "talk to the bot in the terminal");
  add_common(chat);
  chat->add_option("--platform", platform, "whatsapp, messenger, instagram or x");
  chat->add_option("--account", account, "account id from the config");
  bool in_memory = false;
  chat->add_flag("--memory", in_memory,
                 "keep the conversation in memory instead of the config's SQLite file");

  int port = -1;
  std::string api_base_url;
  auto* serve = app.add_subcommand("serve", "run the webhook gateway (all configured platforms)");
  add_common(serve);
  serve->add_option("--port", port,
                    "listen on this port instead of the config's server.port (0: any)");
  serve->add_option("--api-base-url", api_base_url,
                    "send every platform's replies to this API host instead (a local test API)");
  std::string log_format = "json";
  serve
      ->add_option("--log-format", log_format,
                   "json: one JSON object per line (for log shippers); text: for reading")
      ->check(CLI::IsMember({"json", "text"}));

  int dead_limit = 50;
  int64_t dead_retry = 0;
  bool dead_retry_all = false;
  auto* dead = app.add_subcommand(
      "dead-letters", "list the replies that will not be sent, with the reason; retry them");
  add_common(dead);
  dead->add_option("--limit", dead_limit, "show at most this many (newest first)")
      ->capture_default_str();
  auto* retry_one = dead->add_option("--retry", dead_retry, "send this dead letter (its id) again");
  dead->add_flag("--retry-all", dead_retry_all, "send every dead letter again")
      ->excludes(retry_one);

  std::string config_account;
  auto* config_cmd = app.add_subcommand("config", "show the configuration as the gateway sees it");
  auto* config_show = config_cmd->add_subcommand(
      "show", "one account's effective values (defaults → station → account) and their origin");
  add_common(config_show);
  config_show->add_option("ACCOUNT", config_account, "the account id")->required();
  config_cmd->require_subcommand(1);

  wache::app::SendTestOptions st;
  auto* send_test = app.add_subcommand(
      "send-test", "send a correctly signed example webhook to a running 'wache serve'");
  add_common(send_test);
  send_test->add_option("--platform", st.platform, "whatsapp, messenger, instagram or x")
      ->capture_default_str();
  send_test->add_option("--account", st.account, "account id (default: the platform's first)");
  send_test->add_option("--url", st.url, "server address (default: from the config)");
  send_test->add_option("--text", st.text, "the message text")->capture_default_str();
  send_test->add_option("--button", st.button, "send a button tap with this payload");
  send_test->add_option("--sender", st.sender, "the pretend person's platform id");
  send_test->add_flag("--image", st.image, "send a picture without text");
  send_test->add_flag("--verify", st.verify, "run the subscription check (hub.* or CRC) instead");
  send_test->add_flag("--bad-signature", st.bad_signature, "sign with a wrong secret (expect 403)");
  send_test->add_flag("--show-body", st.show_body, "print the webhook body that was sent");

  std::string erase_account, erase_sender;
  int older_than_days = 0;
  auto* erase = app.add_subcommand(
      "erase", "delete one person's stored data, or apply retention (--older-than-days)");
  add_common(erase);
  erase->add_option("--account", erase_account, "account id from the config");
  erase->add_option("--sender", erase_sender, "the person's platform id");
  erase->add_option("--older-than-days", older_than_days,
                    "blank texts and user ids of finished messages older than this");

  std::string graph_format = "mermaid", graph_flow, graph_out;
  auto* graph = app.add_subcommand(
      "graph", "draw each flow as a Mermaid (default) or Graphviz diagram, for reviews and docs");
  add_common(graph);
  graph->add_option("--format", graph_format, "mermaid or dot")->capture_default_str();
  graph->add_option("--flow", graph_flow, "only this flow (default: every flow)");
  graph->add_option("--out", graph_out,
                    "write <flow>.mmd or .dot files (and README.md for mermaid) into this folder "
                    "instead of printing");

  CLI11_PARSE(app, argc, argv);
  if (graph->parsed()) return wache::app::RunGraph(common, graph_format, graph_flow, graph_out);
  if (erase->parsed()) {
    return wache::app::RunErase(common, erase_account, erase_sender, older_than_days);
  }
  if (config_show->parsed()) return wache::app::RunConfigShow(common, config_account);
  if (dead->parsed()) {
    return wache::app::RunDeadLetters(common, dead_limit, dead_retry, dead_retry_all);
  }
  if (serve->parsed()) return wache::app::RunServe(common, port, api_base_url, log_format);
  if (send_test->parsed()) return wache::app::RunSendTest(common, st);
  if (check->parsed()) return wache::app::RunCheck(common, check_paths, quiet);
  if (test->parsed()) return wache::app::RunTest(common, test_paths, verbose);
  if (simulate->parsed()) return wache::app::RunSimulate(common, state_db);
  if (chat->parsed()) return wache::app::RunChat(common, platform, account, in_memory);
  return 2;
}
