// One measured phase of load: signed, unique webhooks (webhook/example_payloads.h) sent over
// several keep-alive connections, one httplib::Client per thread, either as fast as the
// server answers (closed loop) or at a fixed rate.
//
// Fixed rate is scheduled, not paced by answers: message s of the phase is due at
// start + s/rate, connection k sends messages k, k+N, k+2N, ..., and every latency is
// measured from the time the message was due, not from when a busy connection got round to
// it. A server that stalls therefore shows its stall in the figures instead of slowing the
// generator down (no coordinated omission).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "bench/correlator.h"

namespace wache::bench {

struct LoadOptions {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::vector<Target> targets;  // message i goes to targets[i % size]
  std::string meta_secret;      // signs whatsapp, messenger and instagram webhooks
  std::string x_secret;         // signs x webhooks
  int connections = 4;
  double rate = 0;  // webhooks per second; 0: as fast as possible
  // As fast as possible only: at most this many messages without a reply yet (0: no limit,
  // only the connections bound it). The gateway answers 200 long before it has worked on a
  // message, so without this limit "as fast as possible" measures a growing queue.
  uint64_t backlog = 0;
  double seconds = 10;
  int timeout_ms = 5000;  // per request (connect, read, write)
  // Where webhooks go: "" is /webhook/<platform>, as `wache serve` routes them. Other bots
  // (bench/frameworks) listen where their framework puts the route.
  std::string webhook_path;
  // Meta sends both X-Hub-Signature-256 and the older X-Hub-Signature (HMAC-SHA1). Wache
  // checks the first; some frameworks check only the second. Off by default: in runs
  // against Wache a second HMAC per webhook would only cost the generator CPU.
  bool meta_sha1 = false;
};

struct PhaseResult {
  uint64_t first_index = 0;
  uint64_t end_index = 0;  // messages [first_index, end_index) belong to this phase
  uint64_t sent = 0;
  uint64_t ok = 0;                                   // HTTP 200
  std::map<int, uint64_t> non_200;                   // status -> count
  std::map<std::string, uint64_t> transport_errors;  // httplib error -> count (Read = timeout)
  int64_t start_ns = 0;
  int64_t end_ns = 0;  // when the last request of the phase was answered
  double window_s = 0;
  bool ran_out_of_slots = false;           // the correlator's capacity ended the phase early
  uint64_t backlog_stalls = 0;             // waits for the backlog to shrink that timed out (2 s)
  std::vector<int64_t> answer_latency_ns;  // due time -> HTTP answer, per request
};

PhaseResult RunPhase(const LoadOptions& options, Correlator& correlator, uint64_t first_index);

}  // namespace wache::bench
