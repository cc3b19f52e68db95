// Reading the gateway's GET /metrics page in tests, as an operator's scraper would.
#pragma once

#include <string>

namespace wache::testing {

// The value of the gauge `name` (one without labels) on http://127.0.0.1:<port>/metrics,
// or -1 if the page or the gauge is not there.
long MetricsGauge(int port, const std::string& name);

}  // namespace wache::testing
