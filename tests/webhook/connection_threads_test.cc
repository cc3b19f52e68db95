// ConnectionThreads: the threads that serve the gateway's HTTP connections. Unit tests of
// the pool (every job runs, threads only as many as needed, the most recently idle one
// reused, the cap, shutdown), and the real server: more kept-alive platform connections
// than httplib's default of 8 threads are all answered at once, and
// server.connection_threads is the cap.
#include "webhook/connection_threads.h"

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "tests/webhook/staff_fixture.h"
#include "webhook/server.h"

namespace wache::webhook {
namespace {

// A latch the jobs wait on until the test opens it.
struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  bool open = false;
  int inside = 0;
  void Enter() {
    std::unique_lock lock(mu);
    ++inside;
    cv.notify_all();
    cv.wait(lock, [&] { return open; });
  }
  bool WaitInside(int n) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(5), [&] { return inside >= n; });
  }
  void Open() {
    std::lock_guard lock(mu);
    open = true;
    cv.notify_all();
  }
};

TEST(ConnectionThreadsTest, OneThreadServesOneConnectionAfterAnother) {
  ConnectionThreads pool(64);
  std::atomic<int> done{0};
  for (int i = 0; i < 50; ++i) {
    pool.enqueue([&] { ++done; });
    // The next connection arrives after this one is finished: the idle thread takes it.
    for (int spin = 0; done.load() <= i && spin < 5000; ++spin) {
      std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
  }
  pool.shutdown();
  EXPECT_EQ(done.load(), 50);
  EXPECT_EQ(pool.threads_started(), 1u) << "a pool that hands work round-robin warms every thread";
}

TEST(ConnectionThreadsTest, ConnectionsOpenAtOnceEachGetAThread) {
  ConnectionThreads pool(64);
  Gate gate;
  for (int i = 0; i < 12; ++i) pool.enqueue([&] { gate.Enter(); });
  EXPECT_TRUE(gate.WaitInside(12)) << "a connection waited although threads were allowed";
  EXPECT_EQ(pool.threads_started(), 12u);
  gate.Open();
  pool.shutdown();
}

// The server uses the hook so that its connection threads share the compiled patterns.
TEST(ConnectionThreadsTest, TheStartHookRunsOnEveryThreadBeforeItsFirstConnection) {
  thread_local bool hooked = false;
  std::atomic<int> hooks{0}, served_hooked{0};
  ConnectionThreads pool(64, [&] {
    hooked = true;
    ++hooks;
  });
  Gate gate;
  for (int i = 0; i < 3; ++i) {
    pool.enqueue([&] {
      if (hooked) ++served_hooked;
      gate.Enter();
    });
  }
  EXPECT_TRUE(gate.WaitInside(3));
  gate.Open();
  pool.shutdown();
  EXPECT_EQ(hooks.load(), 3);
  EXPECT_EQ(served_hooked.load(), 3);
}

TEST(ConnectionThreadsTest, BeyondTheCapConnectionsWaitAndAreServedLater) {
  ConnectionThreads pool(2);
  Gate gate;
  std::atomic<int> done{0};
  for (int i = 0; i < 5; ++i) {
    pool.enqueue([&] {
      gate.Enter();
      ++done;
    });
  }
  EXPECT_TRUE(gate.WaitInside(2));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  {
    std::lock_guard lock(gate.mu);
    EXPECT_EQ(gate.inside, 2) << "only two threads may exist";
  }
  EXPECT_EQ(pool.threads_started(), 2u);
  gate.Open();
  pool.shutdown();  // serves the three that waited, then ends the threads
  EXPECT_EQ(done.load(), 5);
}

// The gateway with a real port: raw keep-alive connections, each sending one request and
// staying open, as a platform's connection pool does.
class ServerConnectionsTest : public StaffGatewayTest {
 protected:
  int Connect() { return ConnectToLocalPort(gateway_->port()); }
  // Sends GET /healthz (keep-alive) and waits up to `timeout` for the answer's first bytes.
  static bool Answered(int fd, std::chrono::milliseconds timeout) {
    const std::string request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    ::send(fd, request.data(), request.size(), 0);
    return Receives(fd, timeout);
  }
  static bool Receives(int fd, std::chrono::milliseconds timeout) {
    timeval tv{};
    tv.tv_sec = timeout.count() / 1000;
    tv.tv_usec = (timeout.count() % 1000) * 1000;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char buf[256];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    return n > 12 && std::string(buf, 12) == "HTTP/1.1 200";
  }
};

TEST_F(ServerConnectionsTest, MoreKeptAliveConnectionsThanHttplibsEightThreadsAreAllAnswered) {
  Start();
  std::vector<int> fds;
  for (int i = 0; i < 12; ++i) {
    int fd = Connect();
    ASSERT_GE(fd, 0);
    fds.push_back(fd);
    // With httplib's pool of 8, the ninth connection waits until a kept-alive one times out
    // (5 s).
    EXPECT_TRUE(Answered(fd, std::chrono::milliseconds(2000))) << "connection " << i + 1;
  }
  for (int fd : fds) ::close(fd);
}

// httplib closes a connection after 5 requests by default; a platform's connection serves
// kWebhooksPerConnection before the server closes it.
TEST_F(ServerConnectionsTest, OneKeptAliveConnectionServesAHundredRequestsThenCloses) {
  Start();
  int fd = Connect();
  ASSERT_GE(fd, 0);
  timeval tv{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  // Sends GET /healthz and reads its whole answer: headers, then Content-Length bytes.
  auto request = [&]() -> std::string {
    const std::string get = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    ::send(fd, get.data(), get.size(), 0);
    std::string in;
    char buf[512];
    size_t head_end = std::string::npos, length = 0;
    while (head_end == std::string::npos || in.size() < head_end + 4 + length) {
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return in;
      in.append(buf, static_cast<size_t>(n));
      if (head_end == std::string::npos && (head_end = in.find("\r\n\r\n")) != std::string::npos) {
        const size_t at = in.find("Content-Length: ");
        if (at != std::string::npos && at < head_end) length = std::stoul(in.substr(at + 16));
      }
    }
    return in;
  };
  for (size_t i = 0; i < kWebhooksPerConnection; ++i) {
    ASSERT_EQ(request().substr(0, 12), "HTTP/1.1 200") << "request " << i + 1;
  }
  // The last answer said "Connection: close"; the server has closed its end.
  char byte;
  EXPECT_EQ(::recv(fd, &byte, 1, 0), 0);
  ::close(fd);
}

TEST_F(ServerConnectionsTest, ConnectionThreadsIsTheNumberOfConnectionsServedAtOnce) {
  StaffFixtureOptions o;
  o.server_extra = "connection_threads: 2, ";
  Start(o);
  int first = Connect(), second = Connect(), third = Connect();
  ASSERT_GE(first, 0);
  ASSERT_GE(second, 0);
  ASSERT_GE(third, 0);
  EXPECT_TRUE(Answered(first, std::chrono::milliseconds(2000)));
  EXPECT_TRUE(Answered(second, std::chrono::milliseconds(2000)));
  EXPECT_FALSE(Answered(third, std::chrono::milliseconds(300))) << "a third thread was started";
  ::close(first);  // its thread becomes free and takes the waiting connection
  EXPECT_TRUE(Receives(third, std::chrono::milliseconds(3000)));
  ::close(second);
  ::close(third);
}

}  // namespace
}  // namespace wache::webhook
