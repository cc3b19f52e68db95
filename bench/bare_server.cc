// wache_bench_bare: the ceiling of the benchmark. The same cpp-httplib as `wache serve`, set
// up the same way (TCP_NODELAY, 1 MB body limit, listen backlog, webhooks per connection;
// httplib's default pool of 8 connection threads, enough for the generator's 4 connections),
// answering every POST /webhook/whatsapp with 200 "EVENT_RECEIVED" and doing nothing else: what
// this machine can take through this HTTP server before any signature, JSON or SQLite work.
//
//   wache_bench_bare [PORT]   (0 or none: any free port; the port is printed)
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench/reference_server.h"

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
  const sigset_t stop = wache::bench::BlockStopSignals();
  httplib::Server server;
  wache::bench::ConfigureLikeWacheServe(server);
  server.Post("/webhook/whatsapp", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("EVENT_RECEIVED", "text/plain");
  });
  return wache::bench::ServeUntilStopSignal(server, static_cast<int>(port), stop,
                                            "wache_bench_bare")
             ? 0
             : 1;
}
