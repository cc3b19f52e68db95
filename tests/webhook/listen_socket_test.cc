// ListenSocket against the kernel: how many connections wait for accept, and whether a second
// server can take a port that is in use. The servers here never run their accept loop, so
// every connection stays in the listen queue, as when the accept thread is not scheduled.
#include "webhook/listen_socket.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <vector>

namespace wache::webhook {
namespace {

// Opens `n` connections to `port` at once and counts those whose handshake completes within
// `wait` (a connection the listen queue has no room for gets no answer to its SYN).
int HandshakesCompleted(int port, int n, std::chrono::milliseconds wait) {
  std::vector<int> fds;
  for (int i = 0; i < n; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);  // EINPROGRESS
    fds.push_back(fd);
  }
  const auto deadline = std::chrono::steady_clock::now() + wait;
  int completed = 0;
  for (int fd : fds) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd p{fd, POLLOUT, 0};
    int error = 0;
    socklen_t len = sizeof error;
    if (::poll(&p, 1, static_cast<int>(std::max<int64_t>(0, left.count()))) == 1 &&
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) == 0 && error == 0) {
      ++completed;
    }
    ::close(fd);
  }
  return completed;
}

TEST(ListenSocketTest, ConnectionsBeyondHttplibsBacklogOfFiveWaitForAccept) {
  // httplib's own listen queue, as a control: a handful get in, the rest wait for a retry.
  httplib::Server plain;
  const int plain_port = plain.bind_to_any_port("127.0.0.1");
  ASSERT_GT(plain_port, 0);
  EXPECT_LT(HandshakesCompleted(plain_port, 40, std::chrono::milliseconds(300)), 10);

  httplib::Server widened;
  const ListenSocket listen_socket(widened);
  const int port = widened.bind_to_any_port("127.0.0.1");
  ASSERT_GT(port, 0);
  ASSERT_TRUE(listen_socket.Widen());
  EXPECT_EQ(HandshakesCompleted(port, 40, std::chrono::milliseconds(300)), 40);
}

TEST(ListenSocketTest, ASecondServerCannotTakeAPortInUse) {
  httplib::Server first;
  const ListenSocket first_socket(first);
  const int port = first.bind_to_any_port("127.0.0.1");
  ASSERT_GT(port, 0);
  // With httplib's SO_REUSEPORT the second bind succeeded and the kernel shared the
  // connections between the two servers.
  httplib::Server second;
  const ListenSocket second_socket(second);
  EXPECT_FALSE(second.bind_to_port("127.0.0.1", port));
  EXPECT_FALSE(second_socket.Widen());
}

TEST(ListenSocketTest, WidenBeforeBindIsFalse) {
  httplib::Server server;
  const ListenSocket listen_socket(server);
  EXPECT_FALSE(listen_socket.Widen());
}

}  // namespace
}  // namespace wache::webhook
