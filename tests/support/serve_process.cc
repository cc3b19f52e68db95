#include "tests/support/serve_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

namespace wache::testing {

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);  // a tiny race with other processes, acceptable in a test
}

ServeProcess::ServeProcess(std::filesystem::path config, int port, std::filesystem::path log,
                           std::vector<std::string> extra_args)
    : config_(std::move(config)),
      port_(port),
      log_(std::move(log)),
      extra_args_(std::move(extra_args)) {}

ServeProcess::~ServeProcess() { Kill(); }

bool ServeProcess::Start() {
  std::vector<std::string> args = {WACHE_BINARY,     "serve",  "--config",
                                   config_.string(), "--port", std::to_string(port_)};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  pid_ = fork();
  if (pid_ == 0) {
    int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(WACHE_BINARY, argv.data());
    _exit(127);
  }
  httplib::Client c("127.0.0.1", port_);
  c.set_connection_timeout(0, 100000);
  for (int i = 0; i < 200; ++i) {
    if (auto r = c.Get("/healthz"); r && r->status == 200) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ADD_FAILURE() << "wache serve did not start; see " << log_;
  return false;
}

void ServeProcess::Signal(int sig) {
  if (pid_ > 0) ::kill(pid_, sig);
}

void ServeProcess::Kill(int sig) {
  if (pid_ <= 0) return;
  ::kill(pid_, sig);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

CommandResult RunWache(const std::vector<std::string>& args) {
  std::string command = std::string("'") + WACHE_BINARY + "'";
  for (const auto& a : args) {
    std::string quoted = "'";
    for (char c : a) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    command += " " + quoted + "'";
  }
  command += " 2>&1";
  CommandResult result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return result;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) result.output.append(buf.data(), n);
  int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::filesystem::path WriteWhatsAppServeConfig(const std::filesystem::path& dir,
                                               const std::string& app_secret,
                                               const std::string& phone_number_id,
                                               const std::string& api_base_url,
                                               const std::string& server) {
  std::ofstream(dir / "app_secret") << app_secret << "\n";
  std::ofstream(dir / "verify_token") << "v\n";
  std::ofstream(dir / "wa_token") << "wa-token\n";
  const std::string src = WACHE_SOURCE_DIR;
  const std::filesystem::path config = dir / "wache.yaml";
  std::ofstream(config)
      << "flows: " << src << "/flows\ntemplates: " << src << "/templates\ndatabase: state.db\n"
      << "server: { " << server << " }\n"
      << "platforms:\n  whatsapp:\n    app_secret: { file: app_secret }\n"
      << "    verify_token: { file: verify_token }\n    api_base_url: " << api_base_url
      << "\n    mark_read: false\n"
      << "defaults:\n  variables:\n    station_name: Test\n    emergency_number: \"110\"\n"
      << "    fire_medical_number: \"112\"\n    crisis_line_name: T\n    crisis_line: \"0800\"\n"
      << "    women_helpline: \"116 016\"\n    online_station_url: https://example.org\n"
      << "    recruiting_url: https://example.org\n    recruiting_portal_url: https://example.org\n"
      << "    recruiting_contact: \"0\"\n    office_hours: \"8-16\"\n"
      << "accounts:\n  - { id: wa, platform: whatsapp, platform_id: \"" << phone_number_id
      << "\", credentials: { access_token: { file: wa_token } } }\n";
  return config;
}

}  // namespace wache::testing
