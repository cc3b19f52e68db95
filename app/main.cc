// wache: the messaging gateway's one binary. Subcommands: check, test, simulate, chat.
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

  CLI11_PARSE(app, argc, argv);
  if (check->parsed()) return wache::app::RunCheck(common, check_paths, quiet);
  if (test->parsed()) return wache::app::RunTest(common, test_paths, verbose);
  if (simulate->parsed()) return wache::app::RunSimulate(common, state_db);
  if (chat->parsed()) return wache::app::RunChat(common, platform, account, in_memory);
  return 2;
}
