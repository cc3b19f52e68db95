// wache_bench_httplib_bot: the least a WhatsApp bot built on cpp-httplib does for each
// message, as a reference for bench/run.sh (section 5). It is node_bot.mjs written on the
// HTTP library Wache uses: no flows, no storage, one process. Beside the bare ceiling
// (section 2) it shows what the three HTTP exchanges of a reply cost on this library and
// these two cores before any of Wache's own work.
//
//   wache_bench_httplib_bot PORT API_BASE_URL ANSWERS_JSON   (app secret in WACHE_META_APP_SECRET)
//
// ANSWERS_JSON holds bot_answers.cjs's rules as JSON ({"rules":[{"words":[...],"answer":...}],
// "fallback":...}; run.sh writes it with node), so that every reference bot gives the same
// answers. For each POST /webhook/whatsapp it checks X-Hub-Signature-256 over the raw body,
// parses the JSON, answers 200, then for each text message picks an answer (first rule with a
// word anywhere in the text, ignoring case), POSTs it to the Cloud API and marks the message
// read. httplib writes the 200 only when the handler returns, so the two calls are handed to
// sender threads (as Wache hands them to its senders); each sender keeps its own connection
// to the API alive. A message that arrives while the process dies is lost, and nothing is
// retried.
#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "bench/reference_server.h"
#include "webhook/crypto.h"

namespace {

using nlohmann::json;

struct Rule {
  std::vector<std::string> words;  // lower case
  std::string answer;
};

struct Answers {
  std::vector<Rule> rules;
  std::string fallback;

  const std::string& For(std::string text) const {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const Rule& r : rules) {
      for (const std::string& w : r.words) {
        if (text.find(w) != std::string::npos) return r.answer;
      }
    }
    return fallback;
  }
};

bool LoadAnswers(const std::string& path, Answers* out) {
  std::ifstream in(path);
  json j = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j["rules"].is_array() || !j["fallback"].is_string()) return false;
  for (const json& r : j["rules"]) {
    Rule rule;
    for (const json& w : r.value("words", json::array()))
      rule.words.push_back(w.get<std::string>());
    rule.answer = r.value("answer", "");
    out->rules.push_back(std::move(rule));
  }
  out->fallback = j["fallback"].get<std::string>();
  return true;
}

struct Job {
  std::string phone_number_id, to, message_id, text;
};

// Jobs from the connection threads to the senders.
class JobQueue {
 public:
  void Push(std::vector<Job> jobs) {
    if (jobs.empty()) return;
    {
      std::lock_guard lock(mu_);
      for (Job& j : jobs) jobs_.push_back(std::move(j));
    }
    cv_.notify_one();
  }
  // False once stopped.
  bool Pop(Job* job) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return stopped_ || !jobs_.empty(); });
    if (jobs_.empty()) return false;
    *job = std::move(jobs_.front());
    jobs_.pop_front();
    if (!jobs_.empty()) cv_.notify_one();  // more work: the next sender takes it
    return true;
  }
  void Stop() {
    {
      std::lock_guard lock(mu_);
      stopped_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> jobs_;
  bool stopped_ = false;
};

void SendLoop(JobQueue& queue, const Answers& answers, const std::string& api_base,
              const std::string& token) {
  httplib::Client api(api_base);
  api.set_keep_alive(true);
  api.set_tcp_nodelay(true);
  const httplib::Headers auth = {{"Authorization", "Bearer " + token}};
  Job job;
  while (queue.Pop(&job)) {
    const std::string path = "/v23.0/" + job.phone_number_id + "/messages";
    const json reply = {{"messaging_product", "whatsapp"},
                        {"recipient_type", "individual"},
                        {"to", job.to},
                        {"type", "text"},
                        {"text", {{"body", answers.For(job.text)}}}};
    api.Post(path, auth, reply.dump(), "application/json");
    const json read = {
        {"messaging_product", "whatsapp"}, {"status", "read"}, {"message_id", job.message_id}};
    api.Post(path, auth, read.dump(), "application/json");
  }
}

// The text messages of a WhatsApp webhook.
std::vector<Job> JobsOf(const json& update) {
  std::vector<Job> jobs;
  for (const json& entry : update.value("entry", json::array())) {
    for (const json& change : entry.value("changes", json::array())) {
      const json value = change.value("value", json::object());
      const std::string phone =
          value.value("metadata", json::object()).value("phone_number_id", "");
      for (const json& m : value.value("messages", json::array())) {
        jobs.push_back({phone, m.value("from", ""), m.value("id", ""),
                        m.value("text", json::object()).value("body", "")});
      }
    }
  }
  return jobs;
}

}  // namespace

int main(int argc, char** argv) {
  const char* secret_env = std::getenv("WACHE_META_APP_SECRET");
  if (argc != 4 || !secret_env) {
    std::fprintf(stderr,
                 "usage: WACHE_META_APP_SECRET=... wache_bench_httplib_bot PORT API_BASE_URL "
                 "ANSWERS_JSON\n");
    return 2;
  }
  const int port = std::atoi(argv[1]);
  const std::string api_base = argv[2];
  const std::string secret = secret_env;
  const char* token_env = std::getenv("WACHE_BENCH_TOKEN");
  const std::string token = token_env ? token_env : "bench-token";
  Answers answers;
  if (!LoadAnswers(argv[3], &answers)) {
    std::fprintf(stderr, "wache_bench_httplib_bot: cannot read the answers from %s\n", argv[3]);
    return 2;
  }

  // SIGINT/SIGTERM stop the server, then the senders. Blocked before any thread starts.
  const sigset_t stop = wache::bench::BlockStopSignals();

  JobQueue queue;
  constexpr int kSenders = 8;  // enough for a fast API; as many as httplib's connection threads
  std::vector<std::thread> senders;
  for (int i = 0; i < kSenders; ++i) {
    senders.emplace_back([&] { SendLoop(queue, answers, api_base, token); });
  }

  httplib::Server server;
  wache::bench::ConfigureLikeWacheServe(server);  // as wache serve and the ceiling
  server.Post("/webhook/whatsapp", [&](const httplib::Request& req, httplib::Response& res) {
    const std::string given = req.get_header_value("X-Hub-Signature-256");
    const std::string expected =
        "sha256=" + wache::webhook::HexEncode(wache::webhook::HmacSha256(secret, req.body));
    if (!wache::webhook::ConstantTimeEquals(given, expected)) {
      res.status = 403;
      return;
    }
    json update = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
    if (update.is_discarded()) {
      res.status = 400;
      return;
    }
    std::vector<Job> jobs = JobsOf(update);
    res.set_content("EVENT_RECEIVED", "text/plain");
    queue.Push(std::move(jobs));
  });
  const bool served =
      wache::bench::ServeUntilStopSignal(server, port, stop, "wache_bench_httplib_bot");
  queue.Stop();
  for (auto& t : senders) t.join();
  return served ? 0 : 1;
}
