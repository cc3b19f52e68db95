#include "bench/fake_sink.h"

#include <httplib.h>

#include <cstdio>
#include <string_view>
#include <thread>

#include "bench/bench_util.h"
#include "webhook/listen_socket.h"

namespace wache::bench {
namespace {

// The string value of the first `"key": "..."` in a JSON text, without parsing the whole
// body (the sink shares the CPU with the server it measures). Good enough for the compact
// JSON the gateway writes; ids never hold escapes.
std::string_view StringAfterKey(std::string_view body, std::string_view quoted_key) {
  size_t at = body.find(quoted_key);
  if (at == std::string_view::npos) return {};
  at += quoted_key.size();
  while (at < body.size() && (body[at] == ' ' || body[at] == ':' || body[at] == '\n')) ++at;
  if (at >= body.size() || body[at] != '"') return {};
  size_t end = body.find('"', at + 1);
  if (end == std::string_view::npos) return {};
  return body.substr(at + 1, end - at - 1);
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

FakeSink::FakeSink(Correlator& correlator, std::chrono::milliseconds delay)
    : correlator_(correlator), delay_(delay) {}

FakeSink::~FakeSink() { Stop(); }

bool FakeSink::Start(int port) {
  server_ = std::make_unique<httplib::Server>();
  server_->set_tcp_nodelay(true);
  // The platforms keep a client's connection for many calls; httplib's default closes it
  // after 5 requests, which would make the gateway reconnect all the time.
  server_->set_keep_alive_max_count(1000000);
  server_->set_keep_alive_timeout(60);
  // A thread per connection the gateway may hold (one per sender thread and platform host):
  // a connection beyond the pool waits until another closes, which kept-alive ones do not.
  server_->new_task_queue = [] { return new httplib::ThreadPool(512); };
  // One catch-all route (a pre-routing handler would run before httplib reads the body).
  server_->Post("/.*",
                [this](const httplib::Request& req, httplib::Response& res) { Handle(req, res); });
  // A Graph object read: BuilderBot's Meta provider reads its phone number's profile when it
  // starts (bench/frameworks). Nothing is recorded.
  server_->Get(R"(/v[0-9.]+/([0-9]+))", [](const httplib::Request& req, httplib::Response& res) {
    const std::string id = req.matches[1];
    res.set_content(R"({"id":")" + id + R"(","display_phone_number":"+49 1500 )" + id +
                        R"(","verified_name":"Benchmark"})",
                    "application/json");
  });
  // A sender thread of the gateway opens its connection when it starts, and under load
  // several start at once: with httplib's backlog of 5, one was dropped now and then and its
  // reply came a second late.
  const webhook::ListenSocket listen_socket(*server_);
  if (port == 0) {
    port_ = server_->bind_to_any_port("127.0.0.1");
  } else {
    port_ = server_->bind_to_port("127.0.0.1", port) ? port : -1;
  }
  if (port_ <= 0 || !listen_socket.Widen()) return false;
  // The socket already listens: calls made before the accept loop runs wait in its backlog.
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  return true;
}

void FakeSink::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

FakeSink::Counts FakeSink::counts() const {
  return {replies_.load(), mark_reads_.load(), unknown_.load(), refused_.load()};
}

void FakeSink::Handle(const httplib::Request& req, httplib::Response& res) {
  const int64_t now = NowNs();  // arrival: the reply has reached the platform
  if (delay_.count() > 0) std::this_thread::sleep_for(delay_);
  const std::string_view path(req.path);
  const std::string_view body(req.body);
  const std::string id = std::to_string(ids_.fetch_add(1) + 1);
  auto refuse = [&](int status) {
    // The first few are shown: a refused call means the sink and the gateway disagree.
    if (refused_.fetch_add(1) < 3) {
      std::fprintf(stderr, "sink: answered %d to %s %s %.300s\n", status, req.method.c_str(),
                   req.path.c_str(), req.body.c_str());
    }
    res.status = status;
    res.set_content(R"({"error":{"message":"not served by the benchmark sink","code":100}})",
                    "application/json");
  };
  auto reply = [&](std::string_view recipient) {
    replies_.fetch_add(1);
    if (!correlator_.OnReply(recipient, now)) unknown_.fetch_add(1);
  };

  // X API v2: the recipient is in the path.
  constexpr std::string_view kX = "/2/dm_conversations/with/";
  if (StartsWith(path, kX) && EndsWith(path, "/messages")) {
    std::string_view rest = path.substr(kX.size());
    std::string_view recipient = rest.substr(0, rest.find('/'));
    reply(recipient);
    res.status = 201;
    res.set_content(R"({"data":{"dm_conversation_id":")" + std::string(recipient) +
                        R"(-1","dm_event_id":"19)" + id + R"("}})",
                    "application/json");
    return;
  }
  if (!StartsWith(path, "/v") || !EndsWith(path, "/messages")) return refuse(404);

  if (body.find(R"("messaging_product":"whatsapp")") != std::string_view::npos) {
    if (StringAfterKey(body, R"("status")") == "read") {
      mark_reads_.fetch_add(1);
      res.set_content(R"({"success":true})", "application/json");
      return;
    }
    std::string_view to = StringAfterKey(body, R"("to")");
    if (to.empty()) return refuse(400);
    reply(to);
    const std::string to_s(to);
    res.set_content(R"({"messaging_product":"whatsapp","contacts":[{"input":")" + to_s +
                        R"(","wa_id":")" + to_s + R"("}],"messages":[{"id":"wamid.BENCH)" + id +
                        R"("}]})",
                    "application/json");
    return;
  }
  // Messenger and Instagram (Graph Send API): {"recipient":{"id":"..."}, ...}.
  size_t at = body.find(R"("recipient")");
  std::string_view recipient = at == std::string_view::npos
                                   ? std::string_view()
                                   : StringAfterKey(body.substr(at), R"("id")");
  if (recipient.empty()) return refuse(400);
  reply(recipient);
  res.set_content(
      R"({"recipient_id":")" + std::string(recipient) + R"(","message_id":"m_BENCH)" + id + R"("})",
      "application/json");
}

}  // namespace wache::bench
