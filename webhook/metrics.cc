#include "webhook/metrics.h"

namespace wache::webhook {

std::string Metrics::Key(const std::map<std::string, std::string>& labels) {
  std::string out;
  for (const auto& [k, v] : labels) {
    if (!out.empty()) out += ',';
    out += k + "=\"";
    for (char c : v) {  // label values are ours, but escape as the format requires
      if (c == '"' || c == '\\') out += '\\';
      out += c == '\n' ? ' ' : c;
    }
    out += '"';
  }
  return out;
}

void Metrics::Add(const std::string& name, const std::map<std::string, std::string>& labels,
                  long n) {
  std::lock_guard lock(mu_);
  counters_[name][Key(labels)] += n;
}

long Metrics::Get(const std::string& name, const std::map<std::string, std::string>& labels) const {
  std::lock_guard lock(mu_);
  auto it = counters_.find(name);
  if (it == counters_.end()) return 0;
  auto jt = it->second.find(Key(labels));
  return jt == it->second.end() ? 0 : jt->second;
}

long Metrics::Total(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = counters_.find(name);
  long sum = 0;
  if (it != counters_.end()) {
    for (const auto& [k, v] : it->second) sum += v;
  }
  return sum;
}

std::string Metrics::RenderPrometheus() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& [name, series] : counters_) {
    out += "# TYPE " + name + " counter\n";
    for (const auto& [labels, n] : series) {
      out += name + (labels.empty() ? "" : "{" + labels + "}") + " " + std::to_string(n) + "\n";
    }
  }
  return out;
}

}  // namespace wache::webhook
