// The fake platform API the gateway sends its replies to during the benchmark: answers the
// four send APIs the way the platforms do (status and body shape), as fast as it can, and
// tells the Correlator which generated message each reply answers. It checks nothing else:
// tests/support/fake_platform_api.* is the strict fake for correctness; this one is for speed.
//
//   WhatsApp   POST /{version}/{phone_number_id}/messages
//                message   -> 200 {"messaging_product":"whatsapp","contacts":[...],
//                                  "messages":[{"id":"wamid...."}]}
//                mark-read ({"status":"read"}) -> 200 {"success":true}; counted, not a reply
//   Messenger, Instagram   POST /{version}/me/messages or /{version}/{id}/messages
//                          -> 200 {"recipient_id":..,"message_id":"m_..."}
//   X          POST /2/dm_conversations/with/{participant_id}/messages
//                          -> 201 {"data":{"dm_conversation_id":..,"dm_event_id":..}}
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "bench/correlator.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace wache::bench {

class FakeSink {
 public:
  // `delay`: how long every answer takes (0: at once), to play a platform's round trip.
  explicit FakeSink(Correlator& correlator, std::chrono::milliseconds delay = {});
  ~FakeSink();  // Stop()s

  // Listens on 127.0.0.1:port (0: any free port). False if it cannot bind.
  bool Start(int port);
  void Stop();
  int port() const { return port_; }

  struct Counts {
    uint64_t replies = 0;     // send calls (every part of every answer)
    uint64_t mark_reads = 0;  // WhatsApp mark-read calls
    uint64_t unknown = 0;     // send calls to a recipient the generator did not make
    uint64_t refused = 0;     // paths or bodies the sink does not know (answered 404/400)
  };
  Counts counts() const;

 private:
  void Handle(const httplib::Request& req, httplib::Response& res);

  Correlator& correlator_;
  std::chrono::milliseconds delay_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<uint64_t> replies_{0}, mark_reads_{0}, unknown_{0}, refused_{0}, ids_{0};
};

}  // namespace wache::bench
