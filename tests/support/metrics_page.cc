#include "tests/support/metrics_page.h"

#include <httplib.h>

namespace wache::testing {

long MetricsGauge(int port, const std::string& name) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(5);
  auto res = client.Get("/metrics");
  if (!res || res->status != 200) return -1;
  // At the start of a line, followed by its value.
  const std::string line_start = "\n" + name + " ";
  const std::string page = "\n" + res->body;
  const size_t at = page.find(line_start);
  if (at == std::string::npos) return -1;
  return std::stol(page.substr(at + line_start.size()));
}

}  // namespace wache::testing
