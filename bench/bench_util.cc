#include "bench/bench_util.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace wache::bench {

ProcSample SampleProcess(int pid) {
  ProcSample s;
  const std::string dir = pid == 0 ? "/proc/self" : "/proc/" + std::to_string(pid);
  std::ifstream stat(dir + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return s;
  // The command name (field 2) may hold spaces; the fields after its ')' are fixed.
  size_t close = line.rfind(')');
  if (close == std::string::npos) return s;
  std::istringstream rest(line.substr(close + 2));
  std::vector<std::string> f;
  for (std::string w; rest >> w;) f.push_back(w);
  // rest starts at field 3 (state); utime is field 14, stime field 15.
  if (f.size() < 13) return s;
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  s.cpu_seconds = (std::stod(f[11]) + std::stod(f[12])) / tick;
  std::ifstream status(dir + "/status");
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) s.vm_hwm_kb = std::stol(line.substr(6));
    if (line.rfind("VmRSS:", 0) == 0) s.vm_rss_kb = std::stol(line.substr(6));
  }
  s.ok = true;
  return s;
}

Percentiles Summarize(std::vector<int64_t>& ns) {
  Percentiles p;
  p.n = ns.size();
  if (ns.empty()) return p;
  std::sort(ns.begin(), ns.end());
  auto at = [&](double q) {
    size_t i = static_cast<size_t>(q * static_cast<double>(ns.size() - 1) + 0.5);
    return static_cast<double>(ns[std::min(i, ns.size() - 1)]) / 1e6;
  };
  p.p50 = at(0.50);
  p.p95 = at(0.95);
  p.p99 = at(0.99);
  p.max = static_cast<double>(ns.back()) / 1e6;
  return p;
}

std::string Format(const Percentiles& p) {
  if (p.n == 0) return "(none)";
  char buf[160];
  std::snprintf(buf, sizeof buf, "p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms  (n=%zu)",
                p.p50, p.p95, p.p99, p.max, p.n);
  return buf;
}

bool ReadTargets(const std::string& file, std::vector<Target>* out, std::string* error) {
  std::ifstream in(file);
  if (!in) {
    *error = "cannot read " + file;
    return false;
  }
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    Target t;
    if (!(words >> t.platform >> t.account_id >> t.ref)) {
      *error = file + ":" + std::to_string(n) + ": expected 'platform account_id ref'";
      return false;
    }
    out->push_back(std::move(t));
  }
  if (out->empty()) *error = file + ": no targets";
  return !out->empty();
}

}  // namespace wache::bench
