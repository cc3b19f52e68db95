// A real `wache serve` (or any `wache` command) as a separate process, for tests that
// check what operators see: the crash test, the command-line tests.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace wache::testing {

// A free TCP port on 127.0.0.1. (Not with httplib::Server: it leaves its listening socket
// open with SO_REUSEPORT, and the kernel would then hand it half the connections.)
int FreePort();

class ServeProcess {
 public:
  // `extra_args` follow `serve --config CONFIG --port PORT`. Output goes to `log`.
  ServeProcess(std::filesystem::path config, int port, std::filesystem::path log,
               std::vector<std::string> extra_args = {});
  ~ServeProcess();
  // Starts the process and waits until /healthz answers. False (and a test failure) if it
  // never does: the log says why.
  [[nodiscard]] bool Start();
  void Kill(int sig = 9);
  // Sends `sig` (SIGHUP: reload) without waiting.
  void Signal(int sig);
  // The running process (for /proc/<pid>), or -1.
  pid_t pid() const { return pid_; }

 private:
  std::filesystem::path config_;
  int port_;
  std::filesystem::path log_;
  std::vector<std::string> extra_args_;
  pid_t pid_ = -1;
};

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs the `wache` binary with `args` and waits for it.
CommandResult RunWache(const std::vector<std::string>& args);

// Writes `dir`/wache.yaml for `wache serve` with one WhatsApp account (id `wa`, number
// `phone_number_id`, token `wa-token`) whose send API is `api_base_url`, the shipped flows
// and templates, mark-read off, and the webhook secret `app_secret` (read from files beside
// it, as operators keep secrets). `server` is the inside of the `server:` flow mapping, e.g.
// "host: 127.0.0.1, workers: 2". Returns the config's path.
std::filesystem::path WriteWhatsAppServeConfig(const std::filesystem::path& dir,
                                               const std::string& app_secret,
                                               const std::string& phone_number_id,
                                               const std::string& api_base_url,
                                               const std::string& server);

}  // namespace wache::testing
