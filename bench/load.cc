#include "bench/load.h"

#include <httplib.h>

#include <chrono>
#include <mutex>
#include <thread>

#include "bench/texts.h"
#include "webhook/crypto.h"
#include "webhook/example_payloads.h"

namespace wache::bench {
namespace {

struct Prepared {
  std::string path;
  std::string body;
  std::pair<std::string, std::string> signature;
  std::string sha1_signature;  // X-Hub-Signature, only with LoadOptions::meta_sha1
};

Prepared Prepare(const LoadOptions& o, const Correlator& c, uint64_t index) {
  const Target& t = o.targets[index % o.targets.size()];
  webhook::ExampleMessage m;
  m.account_ref = t.ref;
  m.sender = c.SenderOf(index);
  // Unique per message and per run (the sender is unique); the shape each platform uses.
  if (t.platform == "whatsapp") {
    m.message_id = "wamid.BENCH" + m.sender;
  } else if (t.platform == "x") {
    m.message_id = m.sender;
  } else {
    m.message_id = "m_BENCH" + m.sender;
  }
  const BenchText& text = TextFor(index);
  m.image = ImageFor(index);
  if (!m.image) m.text = text.text;
  m.unix_seconds = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  Prepared p;
  p.path = o.webhook_path.empty() ? "/webhook/" + t.platform : o.webhook_path;
  p.body = webhook::ExampleWebhookBody(t.platform, m);
  p.signature =
      webhook::SignatureHeader(t.platform, t.platform == "x" ? o.x_secret : o.meta_secret, p.body);
  if (o.meta_sha1 && t.platform != "x") {
    p.sha1_signature = "sha1=" + webhook::HexEncode(webhook::HmacSha1(o.meta_secret, p.body));
  }
  return p;
}

struct ThreadResult {
  uint64_t sent = 0, ok = 0;
  std::map<int, uint64_t> non_200;
  std::map<std::string, uint64_t> transport_errors;
  std::vector<int64_t> latency_ns;
  int64_t last_answer_ns = 0;
  bool ran_out = false;
  uint64_t stalls = 0;
};

}  // namespace

PhaseResult RunPhase(const LoadOptions& o, Correlator& correlator, uint64_t first_index) {
  const int n = std::max(1, o.connections);
  const bool fixed = o.rate > 0;
  const int64_t duration_ns = static_cast<int64_t>(o.seconds * 1e9);
  // Fixed rate: the number of messages due within the window.
  const uint64_t scheduled = fixed ? static_cast<uint64_t>(o.rate * o.seconds + 0.5) : 0;
  const double interval_ns = fixed ? 1e9 / o.rate : 0;
  std::atomic<uint64_t> next{0};  // closed loop: the next message number of the phase
  std::vector<ThreadResult> results(static_cast<size_t>(n));
  std::vector<std::thread> threads;

  // Start a little in the future so every connection is ready when the first one is due.
  const int64_t start = NowNs() + 20'000'000;
  const int64_t end = start + duration_ns;
  for (int k = 0; k < n; ++k) {
    threads.emplace_back([&, k] {
      ThreadResult& r = results[static_cast<size_t>(k)];
      httplib::Client client(o.host, o.port);
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);
      const time_t secs = o.timeout_ms / 1000;
      const time_t usecs = (o.timeout_ms % 1000) * 1000;
      client.set_connection_timeout(secs, usecs);
      client.set_read_timeout(secs, usecs);
      client.set_write_timeout(secs, usecs);
      r.latency_ns.reserve(fixed ? scheduled / static_cast<uint64_t>(n) + 1 : 1 << 16);
      std::this_thread::sleep_until(
          std::chrono::steady_clock::time_point(std::chrono::nanoseconds(start)));
      for (uint64_t j = 0;; ++j) {
        uint64_t s;
        int64_t due;
        if (fixed) {
          s = static_cast<uint64_t>(k) + j * static_cast<uint64_t>(n);
          if (s >= scheduled) break;
          due = start + static_cast<int64_t>(static_cast<double>(s) * interval_ns);
        } else {
          if (o.backlog > 0 && !correlator.WaitForRoom(o.backlog, std::chrono::seconds(2))) {
            ++r.stalls;
          }
          if (NowNs() >= end) break;
          s = next.fetch_add(1);
          due = 0;
        }
        const uint64_t index = first_index + s;
        if (index >= correlator.capacity()) {
          r.ran_out = true;
          break;
        }
        // Built before waiting for the due time, so building costs no latency.
        Prepared p = Prepare(o, correlator, index);
        httplib::Headers headers{{p.signature.first, p.signature.second}};
        if (!p.sha1_signature.empty()) headers.emplace("X-Hub-Signature", p.sha1_signature);
        if (fixed) {
          std::this_thread::sleep_until(
              std::chrono::steady_clock::time_point(std::chrono::nanoseconds(due)));
        } else {
          due = NowNs();
        }
        correlator.MarkSent(index, due);
        ++r.sent;
        auto res = client.Post(p.path.c_str(), headers, p.body, "application/json");
        const int64_t done = NowNs();
        r.last_answer_ns = done;
        r.latency_ns.push_back(done - due);
        if (!res) {
          ++r.transport_errors[httplib::to_string(res.error())];
          correlator.MarkFailed();
          continue;
        }
        if (res->status == 200) {
          ++r.ok;
          correlator.MarkAccepted(index);
        } else {
          ++r.non_200[res->status];
          correlator.MarkFailed();
        }
      }
    });
  }
  for (auto& t : threads) t.join();

  PhaseResult out;
  out.first_index = first_index;
  out.end_index = first_index + (fixed ? scheduled : next.load());
  out.start_ns = start;
  out.end_ns = start;
  for (auto& r : results) {
    out.sent += r.sent;
    out.ok += r.ok;
    for (auto& [k, v] : r.non_200) out.non_200[k] += v;
    for (auto& [k, v] : r.transport_errors) out.transport_errors[k] += v;
    out.answer_latency_ns.insert(out.answer_latency_ns.end(), r.latency_ns.begin(),
                                 r.latency_ns.end());
    out.end_ns = std::max(out.end_ns, r.last_answer_ns);
    out.ran_out_of_slots |= r.ran_out;
    out.backlog_stalls += r.stalls;
  }
  // From the first due time to the last answer (never shorter than planned): a server that
  // falls behind a fixed rate shows its own, lower rate.
  out.window_s = std::max(o.seconds, static_cast<double>(out.end_ns - start) / 1e9);
  return out;
}

}  // namespace wache::bench
