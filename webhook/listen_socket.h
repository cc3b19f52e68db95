// ListenSocket: the listening-socket settings that cpp-httplib 0.11 (as Debian ships it) has
// no option for. Install it on a server before bind_to_port, call Widen() after.
//
// - The backlog. httplib listens with a backlog of 5 (CPPHTTPLIB_LISTEN_BACKLOG, compiled
//   into libcpp-httplib). When more connections arrive than the accept loop has taken, the
//   kernel drops the surplus and the client tries again after a second. The benchmark's fake
//   platform API, an httplib server too, dropped 1–7 of the gateway's connections per 10 s
//   run (`nstat` TcpExtListenOverflows), each time a reply came 1 s late (bench/README.md).
//   A platform opens many connections at once when an appeal goes viral.
// - SO_REUSEADDR instead of httplib's SO_REUSEPORT. With SO_REUSEPORT a second `wache serve`
//   on the same port started without an error, and the kernel split the webhooks between the
//   two processes.
#pragma once

#include <atomic>
#include <memory>

namespace httplib {
class Server;
}

namespace wache::webhook {

class ListenSocket {
 public:
  // Connections waiting for accept; the kernel caps it at net.core.somaxconn (4096).
  static constexpr int kBacklog = 1024;

  // Before bind_to_port: sets the socket options and notes the listening socket.
  explicit ListenSocket(httplib::Server& server);

  // After bind_to_port: lets kBacklog connections wait. False if the server is not bound.
  bool Widen() const;

 private:
  std::shared_ptr<std::atomic<int>> fd_ = std::make_shared<std::atomic<int>>(-1);
};

}  // namespace wache::webhook
