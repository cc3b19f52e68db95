// Counters the server and the delivery code keep per platform and reason (received,
// accepted, ignored by kind, rejected by reason, replies sent or failed). Read by tests and
// operators; rendered in Prometheus text format at /metrics.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace wache::webhook {

class Metrics {
 public:
  // Adds `n` to the counter `name{label="value",...}`. Thread-safe.
  void Add(const std::string& name, const std::map<std::string, std::string>& labels, long n = 1);
  // The current value (0 if never counted).
  long Get(const std::string& name, const std::map<std::string, std::string>& labels) const;
  // Sum over all label values of `name`.
  long Total(const std::string& name) const;
  // Records one observation (in seconds) in the histogram `name{labels}`, whose buckets
  // are fixed at its first observation. Thread-safe.
  void Observe(const std::string& name, const std::map<std::string, std::string>& labels,
               double seconds, const std::vector<double>& buckets = LatencyBuckets());
  // How many observations of `name{labels}` were at most `le` seconds (tests, operators);
  // `le` must be one of the bucket bounds.
  long CountAtMost(const std::string& name, const std::map<std::string, std::string>& labels,
                   double le) const;
  // Prometheus text exposition format, counters and histograms with `# TYPE` lines.
  std::string RenderPrometheus() const;

  // 1 ms to 5 min: a reply normally leaves within milliseconds; retries and platform
  // outages push it to minutes.
  static const std::vector<double>& LatencyBuckets();

 private:
  struct Histogram {
    std::vector<double> bounds;
    std::vector<long> counts;  // per bound, not cumulative; one more for +Inf
    double sum = 0;
    long total = 0;
  };
  static std::string Key(const std::map<std::string, std::string>& labels);
  mutable std::mutex mu_;
  std::map<std::string, std::map<std::string, long>> counters_;  // name -> rendered labels -> n
  std::map<std::string, std::map<std::string, Histogram>> histograms_;
};

}  // namespace wache::webhook
