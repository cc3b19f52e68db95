// What the benchmark's reference servers (wache_bench_bare, the ceiling; wache_bench_httplib_bot,
// section 5a) share: cpp-httplib set up as `wache serve` sets it up, and a clean stop on
// SIGINT or SIGTERM, so that run.sh can stop them like every other server it starts.
#pragma once

#include <httplib.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <thread>

#include "webhook/listen_socket.h"
#include "webhook/server.h"

namespace wache::bench {

// Blocks SIGINT and SIGTERM in this thread and in every thread started after it, for
// ServeUntilStopSignal to wait for. Call it before starting any thread.
inline sigset_t BlockStopSignals() {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  return stop;
}

// The settings of `wache serve`: 1 MB body limit, TCP_NODELAY, webhooks per connection
// (httplib's default pool of 8 connection threads, enough for the generator's connections).
inline void ConfigureLikeWacheServe(httplib::Server& server) {
  server.set_payload_max_length(1024 * 1024);
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(webhook::kWebhooksPerConnection);
}

// Listens on 127.0.0.1:port (0: any free port) with the listen backlog of `wache serve`,
// prints "<name>: listening on 127.0.0.1:<port>", and serves until one of the `stop` signals
// arrives. False (with a message) if it cannot listen.
inline bool ServeUntilStopSignal(httplib::Server& server, int port, const sigset_t& stop,
                                 const char* name) {
  const webhook::ListenSocket listen_socket(server);
  const int bound = port == 0 ? server.bind_to_any_port("127.0.0.1")
                              : (server.bind_to_port("127.0.0.1", port) ? port : -1);
  if (bound <= 0 || !listen_socket.Widen()) {
    std::fprintf(stderr, "%s: cannot listen on 127.0.0.1:%d\n", name, port);
    return false;
  }
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&stop, &sig);
    server.stop();
  });
  std::printf("%s: listening on 127.0.0.1:%d\n", name, bound);
  std::fflush(stdout);
  server.listen_after_bind();
  kill(getpid(), SIGTERM);  // ends the waiter if the server stopped by itself
  waiter.join();
  return true;
}

}  // namespace wache::bench
