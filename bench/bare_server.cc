// wache_bench_bare: the ceiling of the benchmark. The same cpp-httplib as `wache serve`, set
// up the same way (TCP_NODELAY, 1 MB body limit, listen backlog, webhooks per connection;
// httplib's default pool of 8 connection threads, enough for the generator's 4 connections),
// answering every POST /webhook/whatsapp with 200 "EVENT_RECEIVED" and doing nothing else: what
// this machine can take through this HTTP server before any signature, JSON or SQLite work.
//
//   wache_bench_bare PORT     (0: any free port; the port is printed)
#include <httplib.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "webhook/listen_socket.h"
#include "webhook/server.h"

int main(int argc, char** argv) {
  char* end = nullptr;
  const long port = argc > 1 ? std::strtol(argv[1], &end, 10) : 0;
  if (argc > 2 || (argc == 2 && (*end != '\0' || port < 0 || port > 65535))) {
    std::fprintf(
        stderr,
        "usage: wache_bench_bare [PORT]\n"
        "  answers 200 \"EVENT_RECEIVED\" to every POST /webhook/whatsapp on 127.0.0.1:PORT\n"
        "  (0 or none: any free port, printed); SIGINT or SIGTERM stops it\n");
    return argc == 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") ? 0 : 2;
  }
  httplib::Server server;
  server.set_payload_max_length(1024 * 1024);
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(wache::webhook::kWebhooksPerConnection);
  server.Post("/webhook/whatsapp", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("EVENT_RECEIVED", "text/plain");
  });
  const wache::webhook::ListenSocket listen_socket(server);  // the same backlog as wache serve
  const int bound =
      port == 0 ? server.bind_to_any_port("127.0.0.1")
                : (server.bind_to_port("127.0.0.1", static_cast<int>(port)) ? static_cast<int>(port)
                                                                            : -1);
  if (bound <= 0 || !listen_socket.Widen()) {
    std::fprintf(stderr, "wache_bench_bare: cannot listen on 127.0.0.1:%ld\n", port);
    return 1;
  }
  // SIGINT/SIGTERM stop the server cleanly (waited for in a thread of its own).
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&stop, &sig);
    server.stop();
  });
  std::printf("wache_bench_bare: listening on 127.0.0.1:%d\n", bound);
  std::fflush(stdout);
  server.listen_after_bind();
  kill(getpid(), SIGTERM);  // ends the waiter if the server stopped by itself
  waiter.join();
  return 0;
}
