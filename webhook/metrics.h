// Counters the server and the delivery code keep per platform and reason (received,
// accepted, ignored by kind, rejected by reason, replies sent or failed). Read by tests and
// operators; rendered in Prometheus text format at /metrics.
#pragma once

#include <map>
#include <mutex>
#include <string>

namespace wache::webhook {

class Metrics {
 public:
  // Adds `n` to the counter `name{label="value",...}`. Thread-safe.
  void Add(const std::string& name, const std::map<std::string, std::string>& labels, long n = 1);
  // The current value (0 if never counted).
  long Get(const std::string& name, const std::map<std::string, std::string>& labels) const;
  // Sum over all label values of `name`.
  long Total(const std::string& name) const;
  // Prometheus text exposition format, counters with `# TYPE` lines.
  std::string RenderPrometheus() const;

 private:
  static std::string Key(const std::map<std::string, std::string>& labels);
  mutable std::mutex mu_;
  std::map<std::string, std::map<std::string, long>> counters_;  // name -> rendered labels -> n
};

}  // namespace wache::webhook
