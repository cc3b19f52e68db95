#include "webhook/metrics.h"

#include <algorithm>
#include <cstdio>

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

const std::vector<double>& Metrics::LatencyBuckets() {
  static const std::vector<double> buckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                              0.5,   1,      2.5,   5,    10,    30,   60,  300};
  return buckets;
}

void Metrics::Observe(const std::string& name, const std::map<std::string, std::string>& labels,
                      double seconds, const std::vector<double>& buckets) {
  std::lock_guard lock(mu_);
  Histogram& h = histograms_[name][Key(labels)];
  if (h.bounds.empty()) {
    h.bounds = buckets;
    h.counts.assign(buckets.size() + 1, 0);
  }
  size_t i = std::lower_bound(h.bounds.begin(), h.bounds.end(), seconds) - h.bounds.begin();
  ++h.counts[i];
  h.sum += seconds;
  ++h.total;
}

long Metrics::CountAtMost(const std::string& name, const std::map<std::string, std::string>& labels,
                          double le) const {
  std::lock_guard lock(mu_);
  auto it = histograms_.find(name);
  if (it == histograms_.end()) return 0;
  auto jt = it->second.find(Key(labels));
  if (jt == it->second.end()) return 0;
  long n = 0;
  for (size_t i = 0; i < jt->second.bounds.size() && jt->second.bounds[i] <= le; ++i) {
    n += jt->second.counts[i];
  }
  return n;
}

namespace {
std::string FormatBound(double b) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", b);
  return buf;
}
}  // namespace

std::string Metrics::RenderPrometheus() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& [name, series] : counters_) {
    out += "# TYPE " + name + " counter\n";
    for (const auto& [labels, n] : series) {
      out += name + (labels.empty() ? "" : "{" + labels + "}") + " " + std::to_string(n) + "\n";
    }
  }
  for (const auto& [name, series] : histograms_) {
    out += "# TYPE " + name + " histogram\n";
    for (const auto& [labels, h] : series) {
      const std::string sep = labels.empty() ? "" : labels + ",";
      long cumulative = 0;
      for (size_t i = 0; i < h.bounds.size(); ++i) {
        cumulative += h.counts[i];
        out += name + "_bucket{" + sep + "le=\"" + FormatBound(h.bounds[i]) + "\"} " +
               std::to_string(cumulative) + "\n";
      }
      out += name + "_bucket{" + sep + "le=\"+Inf\"} " + std::to_string(h.total) + "\n";
      const std::string braces = labels.empty() ? "" : "{" + labels + "}";
      out += name + "_sum" + braces + " " + std::to_string(h.sum) + "\n";
      out += name + "_count" + braces + " " + std::to_string(h.total) + "\n";
    }
  }
  return out;
}

}  // namespace wache::webhook
