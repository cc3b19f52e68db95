// The staff web inbox on the gateway's server: served at /staff/ with its security headers,
// the staff API still answering under /staff/api, and request targets sent byte for byte
// (no client normalising them first) never reaching a file outside web/inbox.
#include "tests/webhook/staff_fixture.h"

namespace wache::webhook {
namespace {

class WebInboxServerTest : public StaffGatewayTest {
 protected:
  void SetUp() override {
    StaffFixtureOptions o;
    o.server_extra = std::string("web_dir: ") + WACHE_SOURCE_DIR + "/web/inbox, ";
    Start(o);
  }

  // Sends `target` exactly as given in a GET request line; returns the whole answer.
  std::string RawGet(const std::string& target) {
    int fd = ConnectToLocalPort(gateway_->port());
    if (fd < 0) return "";
    const std::string request =
        "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    ::send(fd, request.data(), request.size(), 0);
    std::string answer;
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) answer.append(buf, n);
    ::close(fd);
    return answer;
  }

  static int StatusOf(const std::string& answer) {
    return answer.size() > 12 ? std::atoi(answer.substr(9, 3).c_str()) : 0;
  }
};

TEST_F(WebInboxServerTest, TheInboxPageIsServedWithItsSecurityHeaders) {
  httplib::Client client("127.0.0.1", gateway_->port());
  auto page = client.Get("/staff/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page->get_header_value("Content-Security-Policy").find("script-src 'self'"),
            std::string::npos);
  EXPECT_EQ(page->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_NE(page->body.find("js/app.js"), std::string::npos);
  auto bare = client.Get("/staff");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->status, 301);
  EXPECT_EQ(bare->get_header_value("Location"), "/staff/");
  // The API keeps its own answers under the same prefix.
  auto api = client.Get("/staff/api/me");
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 401);
  EXPECT_EQ(api->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(api->get_header_value("X-Content-Type-Options"), "nosniff");
}

TEST_F(WebInboxServerTest, RequestTargetsThatClimbOutOfTheFolderFindNothing) {
  ASSERT_EQ(StatusOf(RawGet("/staff/js/app.js")), 200);
  for (const std::string target :
       {"/staff/../config/wache.yaml", "/staff/js/../../config/wache.yaml",
        "/staff/%2e%2e/config/wache.yaml", "/staff/%2E%2E%2F%2E%2E%2Fconfig%2Fwache.yaml",
        "/staff/..%2f..%2fREADME.md", "/staff/js/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/staff/%00index.html", "/staff/js/", "/staff/.git/config", "/staff/..\\..\\README.md"}) {
    const std::string answer = RawGet(target);
    const int status = StatusOf(answer);
    EXPECT_TRUE(status == 404 || status == 400) << target << ": " << answer.substr(0, 40);
    EXPECT_EQ(answer.find("platforms:"), std::string::npos) << target;
    EXPECT_EQ(answer.find("root:"), std::string::npos) << target;
  }
}

}  // namespace
}  // namespace wache::webhook
