// Small helpers of the benchmark: one steady clock, /proc readings of the measured server,
// latency percentiles and the targets file (which accounts to send to).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace wache::bench {

// Nanoseconds on the steady clock: the generator and the sink run in one process and stamp
// every event with this, so a reply's latency is a difference of two readings of one clock.
inline int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// CPU time (utime + stime, all threads) and memory of a process, from /proc/<pid>/stat and
// /proc/<pid>/status. pid 0 means this process.
struct ProcSample {
  bool ok = false;
  double cpu_seconds = 0;
  long vm_hwm_kb = 0;  // peak resident set since the process started
  long vm_rss_kb = 0;
};
ProcSample SampleProcess(int pid);

// Latency figures in milliseconds; sorts `ns` in place.
struct Percentiles {
  size_t n = 0;
  double p50 = 0, p95 = 0, p99 = 0, max = 0;
};
Percentiles Summarize(std::vector<int64_t>& ns);
std::string Format(const Percentiles& p);  // "p50 1.23 ms  p95 ... (n=...)"

// One account the generator writes to: its platform, the configured account id (for the
// prefilled state) and the platform's id for it (phone_number_id, Page id, ...).
struct Target {
  std::string platform;
  std::string account_id;
  std::string ref;
};
// Lines "platform account_id ref"; blank lines and lines starting with '#' are skipped.
bool ReadTargets(const std::string& file, std::vector<Target>* out, std::string* error);

}  // namespace wache::bench
