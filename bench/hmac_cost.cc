// wache_bench_hmac: what one HMAC-SHA256 of a webhook-sized body costs, through OpenSSL's
// one-shot HMAC() (which looks the algorithms up by name on every call) and through
// webhook::HmacSha256 (fetched once per thread). On one thread and on four at once, as the
// gateway's connection threads, workers and senders call it. Prints µs of CPU per call.
//
//   build/bench/wache_bench_hmac [calls per thread, default 200000]
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include "webhook/crypto.h"

namespace {

double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// CPU µs per call of `mac` on `threads` threads, `calls` each.
template <typename Mac>
double Measure(int threads, int calls, Mac mac) {
  const double start = CpuSeconds();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      const std::string key(32, 'k');     // an app secret's length
      const std::string body(1100, 'b');  // a WhatsApp text webhook's length
      for (int i = 0; i < calls; ++i) mac(key, body);
    });
  }
  for (auto& t : pool) t.join();
  return (CpuSeconds() - start) * 1e6 / (static_cast<double>(threads) * calls);
}

}  // namespace

int main(int argc, char** argv) {
  const int calls = argc > 1 ? std::atoi(argv[1]) : 200000;
  auto one_shot = [](const std::string& key, const std::string& body) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &len);
  };
  auto fetched_once = [](const std::string& key, const std::string& body) {
    wache::webhook::HmacSha256(key, body);
  };
  for (int threads : {1, 4}) {
    std::printf("%d thread(s): HMAC() %.2f µs, webhook::HmacSha256 %.2f µs of CPU per call\n",
                threads, Measure(threads, calls, one_shot), Measure(threads, calls, fetched_once));
  }
}
