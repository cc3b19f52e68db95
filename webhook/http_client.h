// HttpClient: the seam between the send code and the network. Production uses cpp-httplib
// (HTTPS to the platforms, plain HTTP to a local test API); tests use the same real client
// against a local fake platform API, so there is no mock of it.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace wache::webhook {

struct HttpRequest {
  std::string method = "POST";
  std::string url;  // absolute: https://graph.facebook.com/v23.0/123/messages
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string content_type = "application/json";
  std::chrono::milliseconds timeout{10000};
};

struct HttpResponse {
  int status = 0;  // 0: no answer (timeout, refused, TLS failure); see `error`
  std::string body;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string error;
  // Case-insensitive header value, "" if absent.
  std::string Header(const std::string& name) const;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Thread-safe. Never throws.
  virtual HttpResponse Send(const HttpRequest& request) = 0;
};

// cpp-httplib, one keep-alive connection per host and calling thread (workers send to the
// same few hosts all day; a new TLS handshake per reply would cost more than the reply).
class HttplibClient final : public HttpClient {
 public:
  HttpResponse Send(const HttpRequest& request) override;
};

// Splits "https://host:port/path?q" into "https://host:port" and "/path?q".
std::pair<std::string, std::string> SplitUrl(const std::string& url);

}  // namespace wache::webhook
