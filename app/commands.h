// The subcommands of the `wache` binary. Each returns the process exit code.
// Wiring only: the behaviour lives in bot/, store/ and webhook/.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace wache::app {

struct CommonOptions {
  std::string config = "config/wache.yaml";
  std::string flows;      // overrides the config's flows folder
  std::string templates;  // overrides the config's templates folder
};

struct SendTestOptions {
  std::string platform = "whatsapp";
  std::string account;  // account id; default: the first of the platform
  std::string url;      // default: the config's server address
  std::string text = "Hallo";
  std::string button;   // send a button tap with this payload
  std::string sender;   // the pretend person's id
  bool image = false;   // send a picture instead of text
  bool verify = false;  // run the subscription check instead
  bool bad_signature = false;
  bool show_body = false;
};

int RunCheck(const CommonOptions& opts, const std::vector<std::string>& paths, bool quiet);
int RunSimulate(const CommonOptions& opts, const std::string& state_db);
int RunChat(const CommonOptions& opts, const std::string& platform, const std::string& account,
            bool in_memory);
int RunServe(const CommonOptions& opts, int port, const std::string& api_base_url,
             const std::string& log_format);
int RunSendTest(const CommonOptions& opts, const SendTestOptions& send_test);
int RunErase(const CommonOptions& opts, const std::string& account, const std::string& sender,
             int older_than_days);
// Lists dead-lettered replies, or requeues one (`retry_id`) or all of them.
int RunDeadLetters(const CommonOptions& opts, int limit, int64_t retry_id, bool retry_all);
// Prints one account's effective configuration and where each value comes from.
int RunConfigShow(const CommonOptions& opts, const std::string& account_id);
int RunTest(const CommonOptions& opts, const std::vector<std::string>& paths, bool verbose);
// Draws flows as diagrams: `format` is "mermaid" or "dot"; `flow` empty = every flow;
// `out_dir` empty = stdout, else one file per flow (and README.md for mermaid).
int RunGraph(const CommonOptions& opts, const std::string& format, const std::string& flow,
             const std::string& out_dir);

}  // namespace wache::app
