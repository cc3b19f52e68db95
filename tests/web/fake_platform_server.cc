// The fake platform API (tests/support/fake_platform_api.h) as a process of its own, for
// the browser tests in Node: the same fake that checks the C++ tests' requests (paths,
// tokens, JSON fields, limits, the platforms' error envelopes) checks the replies a staff
// member sends from the web inbox.
//
//   fake_platform_server --whatsapp ID=TOKEN --messenger ID=TOKEN --instagram ID=TOKEN
//                        --x USER_ID=TOKEN
//
// Prints {"port":N} as its first line, then every request it answered as one JSON line
// (platform, api, account, recipient, kind, status, error, path, authorization, body).
// Ends when its standard input closes (the test that started it went away) or on SIGTERM.
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "tests/support/fake_platform_api.h"

namespace {

std::atomic<bool> stop_requested{false};

void OnSignal(int) { stop_requested = true; }

bool StdinClosed() {
  pollfd p{STDIN_FILENO, POLLIN, 0};
  if (::poll(&p, 1, 0) <= 0) return false;
  char buf[256];
  return ::read(STDIN_FILENO, buf, sizeof buf) <= 0;  // EOF: the parent is gone
}

}  // namespace

int main(int argc, char** argv) {
  wache::testing::FakePlatformApi fake;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    const size_t eq = value.find('=');
    if (eq == std::string::npos) {
      std::cerr << "fake_platform_server: " << flag << " wants ID=TOKEN\n";
      return 2;
    }
    const std::string id = value.substr(0, eq), token = value.substr(eq + 1);
    if (flag == "--whatsapp") {
      fake.AddWhatsAppNumber(id, token);
    } else if (flag == "--messenger") {
      fake.AddMessengerPage(id, token);
    } else if (flag == "--instagram") {
      fake.AddInstagramAccount(id, token);
    } else if (flag == "--x") {
      fake.AddXUser(id, token);
    } else {
      std::cerr << "fake_platform_server: unknown option " << flag << "\n";
      return 2;
    }
  }
  if (!fake.Start()) {
    std::cerr << "fake_platform_server: cannot listen\n";
    return 1;
  }
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGINT, OnSignal);
  std::cout << nlohmann::json{{"port", fake.port()}}.dump() << std::endl;

  size_t printed = 0;
  while (!stop_requested && !StdinClosed()) {
    const auto requests = fake.Requests();
    for (; printed < requests.size(); ++printed) {
      const auto& r = requests[printed];
      auto auth = r.headers.find("authorization");
      nlohmann::json line = {
          {"platform", r.platform},
          {"api", r.api},
          {"account", r.account},
          {"recipient", r.recipient},
          {"kind", r.kind},
          {"status", r.status},
          {"error", r.error},
          {"path", r.path},
          {"authorization", auth == r.headers.end() ? "" : auth->second},
          {"body", r.body},
      };
      std::cout << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  fake.Stop();
  return 0;
}
