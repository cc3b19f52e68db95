// wache_bench: the benchmark's load generator with the fake platform API inside (so the
// generator and the sink stamp their events with one steady clock), and the fixtures the
// benchmark needs. bench/run.sh drives it; bench/README.md explains the figures.
//
//   wache_bench load       warm-up, full load, half load against a running server
//   wache_bench prefill    stored conversations in a SQLite file (the gateway's own store)
//   wache_bench gen-flows  many flow files derived from the shipped ones, for `wache check`
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <random>
#include <thread>

#include "bench/bench_util.h"
#include "bench/correlator.h"
#include "bench/fake_sink.h"
#include "bench/fixtures.h"
#include "bench/load.h"
#include "bench/texts.h"

namespace wache::bench {
namespace {

struct LoadCommand {
  std::string url = "http://127.0.0.1:8080";
  std::string targets_file;
  std::string label = "wache";
  int connections = 4;
  double warmup = 3;
  double duration = 10;
  double rate = 0;        // > 0: one fixed-rate phase instead of full + half
  uint64_t backlog = 64;  // full load: at most this many messages without a reply yet
  double intake = 0;      // seconds of an intake-only phase at the end (0: none)
  bool half = true;       // after full load, half of it at a fixed rate
  bool replies = true;    // false: the server does not answer (the bare ceiling)
  int sink_port = 0;      // the fake platform API's port (0: any; the gateway must know it)
  int sink_delay_ms = 0;  // every answer of the fake platform API takes this long
  int server_pid = 0;     // for CPU and memory of the server
  double drain = 20;      // seconds to wait for outstanding replies after a phase
  int timeout_ms = 5000;
  std::string sender_prefix;
  uint64_t first_index = 0;
  uint64_t max_messages = 4'000'000;
  std::string webhook_path;  // "": /webhook/<platform>, as `wache serve` routes
  bool meta_sha1 = false;    // Meta webhooks also carry X-Hub-Signature (HMAC-SHA1)
};

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

bool ParseUrl(const std::string& url, std::string* host, int* port) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) return false;
  std::string rest = url.substr(scheme.size());
  rest = rest.substr(0, rest.find('/'));
  size_t colon = rest.rfind(':');
  if (colon == std::string::npos) return false;
  *host = rest.substr(0, colon);
  *port = std::atoi(rest.c_str() + colon + 1);
  return *port > 0;
}

struct PhaseFigures {
  double accepted_per_s = 0;
  double replies_per_s = 0;
};

// What a phase waits for and reports.
enum class Mode {
  kWarmUp,  // one line, replies awaited (so the next phase starts with an empty server)
  kFull,    // everything, replies awaited
  kIntake,  // webhook answers only; the replies are left to the server
};

class Runner {
 public:
  Runner(const LoadCommand& cmd, LoadOptions base, Correlator& correlator, FakeSink* sink)
      : cmd_(cmd),
        base_(std::move(base)),
        correlator_(correlator),
        sink_(sink),
        next_index_(cmd.first_index) {}

  PhaseFigures Run(const std::string& phase, double rate, double seconds, uint64_t backlog,
                   Mode mode) {
    LoadOptions o = base_;
    o.rate = rate;
    o.seconds = seconds;
    o.backlog = backlog;
    const bool await = cmd_.replies && mode != Mode::kIntake;
    const ProcSample server_before = SampleProcess(cmd_.server_pid);
    const ProcSample self_before = SampleProcess(0);
    const FakeSink::Counts sink_before = sink_ ? sink_->counts() : FakeSink::Counts{};

    PhaseResult r = RunPhase(o, correlator_, next_index_);
    next_index_ = r.end_index;

    Correlator::RangeStats replies;
    if (await) {
      // Wait for the replies still on their way (the gateway answers 200 before it works).
      const int64_t give_up = NowNs() + static_cast<int64_t>(cmd_.drain * 1e9);
      while (true) {
        replies = correlator_.Collect(r.first_index, r.end_index, false);
        if (replies.answered >= replies.accepted || NowNs() >= give_up) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      // Let the last reply's further parts and calls arrive before counting them.
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    replies = correlator_.Collect(r.first_index, r.end_index, true, [](uint64_t i) {
      return !ImageFor(i) && std::string_view(TextFor(i).kind) == "emergency";
    });
    const ProcSample server_after = SampleProcess(cmd_.server_pid);
    const ProcSample self_after = SampleProcess(0);
    const FakeSink::Counts sink_after = sink_ ? sink_->counts() : FakeSink::Counts{};

    PhaseFigures f;
    f.accepted_per_s = static_cast<double>(r.ok) / r.window_s;
    const double reply_span_s = static_cast<double>(replies.last_reply_ns - r.start_ns) / 1e9;
    if (await && replies.answered > 0 && reply_span_s > 0) {
      f.replies_per_s = static_cast<double>(replies.answered) / reply_span_s;
    }
    if (mode == Mode::kWarmUp) {
      std::printf("[%s] %s: %llu webhooks, %.0f/s accepted", cmd_.label.c_str(), phase.c_str(),
                  static_cast<unsigned long long>(r.sent), f.accepted_per_s);
      if (await) {
        std::printf(", %llu of %llu answered", static_cast<unsigned long long>(replies.answered),
                    static_cast<unsigned long long>(replies.accepted));
      }
      std::printf(" (not reported)\n");
      std::printf("RESULT label=%s phase=warm-up sent=%llu ok=%llu\n", cmd_.label.c_str(),
                  static_cast<unsigned long long>(r.sent), static_cast<unsigned long long>(r.ok));
      std::fflush(stdout);
      return f;
    }

    uint64_t transport = 0, timeouts = 0, non200 = 0;
    std::string error_detail;
    for (const auto& [name, n] : r.transport_errors) {
      transport += n;
      if (name.find("Read") != std::string::npos) timeouts += n;
      error_detail += " " + name + "=" + std::to_string(n);
    }
    for (const auto& [status, n] : r.non_200) {
      non200 += n;
      error_detail += " HTTP" + std::to_string(status) + "=" + std::to_string(n);
    }
    const uint64_t missing = await ? replies.accepted - replies.answered : 0;
    Percentiles answer = Summarize(r.answer_latency_ns);
    Percentiles e2e = Summarize(replies.latency_ns);
    Percentiles e2e_emergency = Summarize(replies.marked_latency_ns);
    const double server_cpu = server_after.cpu_seconds - server_before.cpu_seconds;
    const double self_cpu = self_after.cpu_seconds - self_before.cpu_seconds;
    const double per_msg = r.ok ? 1.0 / static_cast<double>(r.ok) : 0;

    std::printf("\n== %s: %s (", cmd_.label.c_str(), phase.c_str());
    if (rate > 0) {
      std::printf("fixed rate %.0f/s", rate);
    } else if (backlog > 0) {
      std::printf("as fast as possible, at most %llu messages unanswered",
                  static_cast<unsigned long long>(backlog));
    } else {
      std::printf("as fast as possible");
    }
    std::printf(", %d connections, %.0f s) ==\n", o.connections, seconds);
    std::printf("  webhooks sent            %llu, accepted (200) %llu = %.1f/s\n",
                static_cast<unsigned long long>(r.sent), static_cast<unsigned long long>(r.ok),
                f.accepted_per_s);
    std::printf("  errors                   non-200 %llu, transport %llu (timeouts %llu)%s%s\n",
                static_cast<unsigned long long>(non200), static_cast<unsigned long long>(transport),
                static_cast<unsigned long long>(timeouts), error_detail.empty() ? "" : ":",
                error_detail.c_str());
    if (r.ran_out_of_slots) std::printf("  NOTE: stopped early, --max-messages reached\n");
    if (r.backlog_stalls > 0) {
      std::printf("  NOTE: %llu times no reply came for 2 s while the backlog was full\n",
                  static_cast<unsigned long long>(r.backlog_stalls));
    }
    std::printf("  webhook answer latency   %s\n", Format(answer).c_str());
    if (await) {
      std::printf(
          "  replies                  %llu of %llu messages answered, missing %llu; "
          "%.1f/s end to end\n",
          static_cast<unsigned long long>(replies.answered),
          static_cast<unsigned long long>(replies.accepted),
          static_cast<unsigned long long>(missing), f.replies_per_s);
      std::printf(
          "  send API calls           %llu replies (all parts), %llu mark-read, %llu unknown\n",
          static_cast<unsigned long long>(sink_after.replies - sink_before.replies),
          static_cast<unsigned long long>(sink_after.mark_reads - sink_before.mark_reads),
          static_cast<unsigned long long>(sink_after.unknown - sink_before.unknown +
                                          sink_after.refused - sink_before.refused));
      std::printf("  reply latency            %s\n", Format(e2e).c_str());
      std::printf("    emergencies only       %s\n", Format(e2e_emergency).c_str());
      std::printf(
          "                           (webhook due -> first reply call at the sink; last reply "
          "%.1f s after start)\n",
          reply_span_s);
    } else if (cmd_.replies) {
      std::printf(
          "  replies                  %llu of %llu answered by the end of the phase (not awaited: "
          "the rest is queued in the server)\n",
          static_cast<unsigned long long>(replies.answered),
          static_cast<unsigned long long>(replies.accepted));
    }
    if (server_after.ok) {
      std::printf("  server                   CPU %.2f s", server_cpu);
      if (await || !cmd_.replies) {
        std::printf(" = %.3f ms per accepted message", server_cpu * 1000 * per_msg);
      }
      std::printf("; peak RSS (VmHWM, since start) %.1f MB, RSS now %.1f MB\n",
                  static_cast<double>(server_after.vm_hwm_kb) / 1024.0,
                  static_cast<double>(server_after.vm_rss_kb) / 1024.0);
    }
    std::printf("  generator (+ sink)       CPU %.2f s = %.3f ms per message\n", self_cpu,
                self_cpu * 1000 * per_msg);
    std::printf(
        "RESULT label=%s phase=%s rate=%.1f backlog=%llu connections=%d seconds=%.1f sent=%llu "
        "ok=%llu accepted_per_s=%.1f replies_per_s=%.1f answered=%llu missing=%llu non200=%llu "
        "transport_errors=%llu timeouts=%llu answer_p50_ms=%.2f answer_p99_ms=%.2f "
        "e2e_p50_ms=%.2f e2e_p95_ms=%.2f e2e_p99_ms=%.2f e2e_max_ms=%.2f "
        "e2e_emergency_p50_ms=%.2f e2e_emergency_p99_ms=%.2f "
        "server_cpu_ms_per_msg=%.3f server_vmhwm_kb=%ld generator_cpu_ms_per_msg=%.3f\n",
        cmd_.label.c_str(), PhaseKey(phase).c_str(), rate, static_cast<unsigned long long>(backlog),
        o.connections, seconds, static_cast<unsigned long long>(r.sent),
        static_cast<unsigned long long>(r.ok), f.accepted_per_s, f.replies_per_s,
        static_cast<unsigned long long>(replies.answered), static_cast<unsigned long long>(missing),
        static_cast<unsigned long long>(non200), static_cast<unsigned long long>(transport),
        static_cast<unsigned long long>(timeouts), answer.p50, answer.p99, e2e.p50, e2e.p95,
        e2e.p99, e2e.max, e2e_emergency.p50, e2e_emergency.p99, server_cpu * 1000 * per_msg,
        server_after.vm_hwm_kb, self_cpu * 1000 * per_msg);
    std::fflush(stdout);
    return f;
  }

 private:
  // "full load" -> "full": one word for the RESULT line.
  static std::string PhaseKey(const std::string& phase) { return phase.substr(0, phase.find(' ')); }

  const LoadCommand& cmd_;
  LoadOptions base_;
  Correlator& correlator_;
  FakeSink* sink_;
  uint64_t next_index_;
};

int RunLoad(const LoadCommand& cmd) {
  LoadOptions o;
  if (!ParseUrl(cmd.url, &o.host, &o.port)) {
    std::cerr << "wache_bench: --url must look like http://127.0.0.1:8080\n";
    return 2;
  }
  std::string error;
  if (!ReadTargets(cmd.targets_file, &o.targets, &error)) {
    std::cerr << "wache_bench: " << error << "\n";
    return 2;
  }
  // The same variables `wache serve` reads (config/wache.yaml), so both sides agree.
  o.meta_secret = Env("WACHE_META_APP_SECRET");
  o.x_secret = Env("WACHE_X_CONSUMER_SECRET");
  for (const auto& t : o.targets) {
    if ((t.platform == "x" ? o.x_secret : o.meta_secret).empty()) {
      std::cerr << "wache_bench: set "
                << (t.platform == "x" ? "WACHE_X_CONSUMER_SECRET" : "WACHE_META_APP_SECRET")
                << " (the webhook secret the server checks)\n";
      return 2;
    }
  }
  o.connections = cmd.connections;
  o.timeout_ms = cmd.timeout_ms;
  o.webhook_path = cmd.webhook_path;
  o.meta_sha1 = cmd.meta_sha1;

  std::string prefix = cmd.sender_prefix;
  if (prefix.empty()) {
    // Digits only (WhatsApp ids are phone numbers), different in every run.
    std::random_device rd;
    prefix = "49" + std::to_string(100000 + rd() % 900000);
  }
  Correlator correlator(prefix, cmd.max_messages);
  FakeSink sink(correlator, std::chrono::milliseconds(cmd.sink_delay_ms));
  if (cmd.replies) {
    if (!sink.Start(cmd.sink_port)) {
      std::cerr << "wache_bench: the sink cannot listen on 127.0.0.1:" << cmd.sink_port << "\n";
      return 1;
    }
  }
  std::printf("wache_bench: %s at %s, %zu account(s), senders %s<n>%s\n", cmd.label.c_str(),
              cmd.url.c_str(), o.targets.size(), prefix.c_str(),
              cmd.replies
                  ? (", fake platform API on 127.0.0.1:" + std::to_string(sink.port())).c_str()
                  : ", no replies expected");
  std::fflush(stdout);

  Runner runner(cmd, o, correlator, cmd.replies ? &sink : nullptr);
  const uint64_t backlog = cmd.replies ? cmd.backlog : 0;
  if (cmd.warmup > 0) runner.Run("warm-up", 0, cmd.warmup, backlog, Mode::kWarmUp);
  if (cmd.rate > 0) {
    runner.Run("fixed rate", cmd.rate, cmd.duration, backlog, Mode::kFull);
  } else {
    PhaseFigures full = runner.Run("full load", 0, cmd.duration, backlog, Mode::kFull);
    if (cmd.half) {
      // Half of what the server really sustained: replies/s when it answers, else
      // accepted/s (a server taking webhooks faster than it answers them is not done).
      double sustained = full.accepted_per_s;
      if (cmd.replies && full.replies_per_s > 0) {
        sustained = std::min(sustained, full.replies_per_s);
      }
      if (sustained >= 2) runner.Run("half load", sustained / 2, cmd.duration, 0, Mode::kFull);
    }
  }
  if (cmd.intake > 0 && cmd.replies) {
    // Last, because it leaves a queue behind: how fast the server takes webhooks when
    // nothing holds the generator back but the HTTP answers.
    runner.Run("intake only", 0, cmd.intake, 0, Mode::kIntake);
  }
  if (correlator.unknown() > 0) {
    std::printf("NOTE: %llu send calls for recipients this run did not create\n",
                static_cast<unsigned long long>(correlator.unknown()));
  }
  std::fflush(stdout);
  // Not sink.Stop(): its threads sit in the server's kept-alive connections until the
  // keep-alive timeout (60 s) ends them. Nothing is left to write or clean up.
  std::_Exit(0);
}

}  // namespace
}  // namespace wache::bench

int main(int argc, char** argv) {
  using namespace wache::bench;
  CLI::App app{"wache_bench: load generator, fake platform API and fixtures of the benchmark"};
  app.require_subcommand(1);

  LoadCommand load;
  auto* l = app.add_subcommand("load", "measure a running server: warm-up, full load, half load");
  l->add_option("--url", load.url, "the server")->capture_default_str();
  l->add_option("--targets", load.targets_file, "file of 'platform account_id ref' lines")
      ->required();
  l->add_option("--label", load.label, "name in the output")->capture_default_str();
  l->add_option("--connections", load.connections, "keep-alive connections, one thread each")
      ->capture_default_str();
  l->add_option("--warmup", load.warmup, "seconds at full load, not reported")
      ->capture_default_str();
  l->add_option("--duration", load.duration, "seconds per measured phase")->capture_default_str();
  l->add_option("--rate", load.rate, "one phase at this fixed rate (webhooks/s) instead");
  l->add_option("--backlog", load.backlog,
                "full load: at most this many messages without a reply (0: no limit)")
      ->capture_default_str();
  l->add_flag("!--no-half", load.half, "no half-load phase after full load");
  l->add_option("--intake", load.intake,
                "seconds of a last phase that does not wait for replies (the webhook intake "
                "alone; leaves a queue in the server)")
      ->capture_default_str();
  l->add_flag("!--no-replies", load.replies, "the server does not answer (the bare ceiling)");
  l->add_option("--sink-port", load.sink_port, "port of the fake platform API")
      ->capture_default_str();
  l->add_option("--sink-delay-ms", load.sink_delay_ms,
                "the fake platform API answers after this long (a real API's round trip)")
      ->capture_default_str();
  l->add_option("--server-pid", load.server_pid, "pid of the server, for its CPU and memory");
  l->add_option("--drain", load.drain, "seconds to wait for late replies after each phase")
      ->capture_default_str();
  l->add_option("--timeout-ms", load.timeout_ms, "per webhook request")->capture_default_str();
  l->add_option("--sender-prefix", load.sender_prefix,
                "digits in front of each message's sender id (default: random per run)");
  l->add_option("--first-index", load.first_index, "number of the first message")
      ->capture_default_str();
  l->add_option("--max-messages", load.max_messages, "size of the reply table")
      ->capture_default_str();
  l->add_option("--webhook-path", load.webhook_path,
                "POST every webhook to this path (default: /webhook/<platform>, as wache routes)");
  l->add_flag("--meta-sha1", load.meta_sha1,
              "Meta webhooks also carry the older X-Hub-Signature (HMAC-SHA1), as Meta sends "
              "it; for bots that check only that one");

  std::string db, targets_file, prefix;
  long conversations = 100000;
  auto* p = app.add_subcommand("prefill", "write stored conversations into a SQLite file");
  p->add_option("--db", db, "the SQLite file (created with the gateway's schema)")->required();
  p->add_option("--targets", targets_file, "file of 'platform account_id ref' lines")->required();
  p->add_option("--conversations", conversations)->capture_default_str();
  p->add_option("--sender-prefix", prefix, "as for load, to write to these conversations later")
      ->required();

  std::string from, to;
  int total = 200;
  auto* g = app.add_subcommand("gen-flows", "shipped flows plus derived copies, for wache check");
  g->add_option("--from", from, "the shipped flows folder")->required();
  g->add_option("--to", to, "the folder to fill")->required();
  g->add_option("--count", total, "flow files in total")->capture_default_str();
  bool with_interrupts = true;
  g->add_flag("!--no-interrupt-copies", with_interrupts,
              "copy only flows that are not interrupts (emergency, fire_medical, self_harm)");

  CLI11_PARSE(app, argc, argv);
  if (l->parsed()) return RunLoad(load);
  if (p->parsed()) {
    std::vector<Target> targets;
    std::string error;
    if (!ReadTargets(targets_file, &targets, &error)) {
      std::cerr << "wache_bench: " << error << "\n";
      return 2;
    }
    return Prefill(db, targets, conversations, prefix) ? 0 : 1;
  }
  if (g->parsed()) return GenerateFlows(from, to, total, with_interrupts) ? 0 : 1;
  return 2;
}
