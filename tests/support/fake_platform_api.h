// A local stand-in for the four send APIs (WhatsApp Cloud API, Messenger and Instagram on
// the Graph API, X API v2 and v1.1) that the gateway's send clients are tested against.
//
// It checks every request the way the real platform does (authentication, paths, field
// names, limits) and answers with the platform's own status codes and error envelopes, so a
// client that passes here has been held to the rules in shared/docs/platforms.md and the
// vendor OpenAPI files, not to our own idea of them. It records what it saw, and it can be
// told to fail on purpose (rate limits, 5xx, slow answers) to drive the delivery tests.
//
// Not for: webhooks in the other direction (the fake never calls the gateway), media
// uploads, templates management, or any platform behaviour that depends on a real user
// (windows, blocks): inject those as faults.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace wache::testing {

// One request as the fake received and answered it.
struct RecordedRequest {
  std::string platform;   // whatsapp | messenger | instagram | x; "" if the path named no
                          // known account and no known token
  std::string api;        // graph | x2 | x1.1 ("" for a path the fake does not serve)
  std::string account;    // phone_number_id, Page id, Instagram id, or the X sender's user id
  std::string recipient;  // WhatsApp `to`, Graph recipient.id, X participant/recipient id
  std::string kind;       // WhatsApp: text | button | list | template | mark_read;
                          // Messenger/Instagram: text | quick_replies | attachment | sender_action;
                          // X: text | quick_replies | attachment. "" when the body said too little.
  nlohmann::json body;    // parsed body; null if it was not JSON
  std::string raw_body;
  std::string path;                            // request target as sent, query string included
  std::map<std::string, std::string> headers;  // names lower-cased (HTTP names are
                                               // case-insensitive; one spelling for lookups)
  int status = 0;                              // what the fake answered
  std::string error;                // why it was rejected, or which fault answered; "" if accepted
  std::string platform_message_id;  // wamid, mid or X event id returned; "" otherwise
};

// A canned failure, served instead of the normal answer (before any validation) to the next
// request for one platform.
struct Fault {
  int status = 500;
  // Empty: the platform's own generic body for `status` (Graph envelope, X problem JSON or
  // X v1.1 errors array), so a fault built once works for every platform.
  std::string body;
  std::map<std::string, std::string> headers;
  // Waited before answering. Stop() cuts the wait short so a test never hangs on it.
  std::chrono::milliseconds delay{0};

  // HTTP 500 with the platform's generic "unexpected error" body.
  static Fault ServerError();
  // A Graph error envelope: e.g. (400, 130429) WhatsApp throughput, (400, 131056) pair rate,
  // (400, 131047) re-engagement, (400, 10, 2018278) Messenger window, (400, 4) app limit,
  // (400, 613) rate limit, (401, 190) token. WhatsApp codes (13xxxx, 80007) also carry
  // error_data.details as WhatsApp sends it.
  static Fault GraphError(int http_status, int code, int subcode = 0);
  // X's 429 with x-rate-limit-limit/-remaining/-reset (reset in Unix seconds) and the
  // problem body X sends.
  static Fault XRateLimited(int64_t reset_unix_seconds);
  // Waits `delay`, then answers 504: a client with a shorter timeout sees no answer at all.
  static Fault Timeout(std::chrono::milliseconds delay);
};

// OAuth 1.0a (RFC 5849) with HMAC-SHA1, written for the fake independently of the gateway's
// own signer so the two check each other. Exposed so tests can sign requests to the fake.
namespace oauth1 {

// RFC 3986 unreserved characters kept, every other byte as %XX (upper-case hex).
std::string PercentEncode(std::string_view text);

// METHOD & pct(base URL) & pct(normalised parameters); `params` hold decoded names and
// values (oauth_* without oauth_signature, plus query and form parameters).
std::string SignatureBaseString(std::string_view method, std::string_view base_url,
                                const std::vector<std::pair<std::string, std::string>>& params);

// base64(HMAC-SHA1(pct(consumer_secret) & pct(token_secret), base_string)).
std::string Sign(std::string_view base_string, std::string_view consumer_secret,
                 std::string_view token_secret);

// A complete `OAuth ...` Authorization header value for a request to `url` (query string
// allowed; its parameters are signed). The body is not signed (JSON bodies never are).
std::string AuthorizationHeader(std::string_view method, std::string_view url,
                                std::string_view consumer_key, std::string_view consumer_secret,
                                std::string_view token, std::string_view token_secret,
                                std::string_view nonce, int64_t timestamp);

}  // namespace oauth1

class FakePlatformApi {
 public:
  // `connection_threads`: connections served at once. A gateway keeps one connection per
  // sender thread, so a test with many senders needs as many.
  explicit FakePlatformApi(int connection_threads = 32);
  ~FakePlatformApi();  // Stop()s
  FakePlatformApi(const FakePlatformApi&) = delete;
  FakePlatformApi& operator=(const FakePlatformApi&) = delete;

  // Listens on 127.0.0.1 on a free port. False if it cannot bind. Identities, faults and
  // records can be set before or after.
  bool Start();
  // Stops listening and waits for answers in flight (injected delays end at once).
  void Stop();
  int port() const;
  std::string base_url() const;  // "http://127.0.0.1:<port>"

  // Accounts the fake knows. Requests naming any other id or token are refused as the
  // platform refuses them.
  // WhatsApp: POST /{vN.N}/{phone_number_id}/messages, Authorization: Bearer <token>.
  void AddWhatsAppNumber(const std::string& phone_number_id, const std::string& token);
  // Messenger and Instagram: POST /{vN.N}/{id or "me"}/messages, token as Bearer header or
  // access_token query parameter.
  void AddMessengerPage(const std::string& page_id, const std::string& token);
  void AddInstagramAccount(const std::string& ig_id, const std::string& token);
  // X API v2 (POST /2/dm_conversations/with/{participant_id}/messages) with an OAuth 2.0
  // user token; the sender is the token's user.
  void AddXUser(const std::string& user_id, const std::string& oauth2_user_token);
  // X with OAuth 1.0a user context: v1.1 POST /1.1/direct_messages/events/new.json, and v2
  // (which accepts both). The signature is recomputed and checked.
  void AddXOAuth1User(const std::string& user_id, const std::string& consumer_key,
                      const std::string& consumer_secret, const std::string& token,
                      const std::string& token_secret);
  // How far an OAuth 1.0a timestamp may be from now (X answers 401 code 135 beyond it).
  // Zero turns the check off, for clients tested with a fixed clock. Default 15 minutes.
  void set_oauth1_max_clock_skew(std::chrono::seconds skew);

  // Appends to `platform`'s queue (whatsapp | messenger | instagram | x). Each request to
  // that platform takes the next fault, if any, before it is checked; then normal service.
  void InjectFaults(const std::string& platform, std::vector<Fault> faults);
  void ClearFaults();

  std::vector<RecordedRequest> Requests() const;
  std::vector<RecordedRequest> Accepted() const;  // status 2xx only
  // Wait until at least n requests (accepted ones) were recorded; false on timeout.
  bool WaitForRequests(size_t n, std::chrono::milliseconds timeout) const;
  bool WaitForAccepted(size_t n, std::chrono::milliseconds timeout) const;
  // Forgets recorded requests and the most calls at once so far (identities and pending
  // faults stay).
  void Clear();

  // Every send call is answered after this long, as a real platform's round trip (0: at
  // once). Stop() cuts the waits short.
  void set_answer_delay(std::chrono::milliseconds delay);
  // The most send calls that were being answered at the same moment since Start() or
  // Clear(), and the most WhatsApp mark-read calls among them.
  int max_calls_at_once() const;
  int max_mark_reads_at_once() const;

 private:
  struct OAuth1User {
    std::string user_id, consumer_key, consumer_secret, token, token_secret;
  };
  // Verdict of the OAuth 1.0a check: the user on success, else X's v1.1 error.
  struct OAuth1Result {
    const OAuth1User* user = nullptr;
    int status = 0;
    int code = 0;
    std::string message;
    std::string error;
  };

  void HandleGraph(const httplib::Request& req, httplib::Response& res);
  void HandleX2(const httplib::Request& req, httplib::Response& res);
  void HandleX1(const httplib::Request& req, httplib::Response& res);
  void HandleUnknown(const httplib::Request& req, httplib::Response& res);

  // Takes the next fault for `platform` into `fault`; false if none is queued.
  bool PopFault(const std::string& platform, Fault* fault);
  // Answers with `fault` (recorded first, so waiters see it before a long delay ends).
  void ServeFault(const Fault& fault, RecordedRequest rec, httplib::Response& res);
  // Needs mu_ held; verifies signature, keys, timestamp and nonce.
  OAuth1Result VerifyOAuth1Locked(const httplib::Request& req, std::string_view url_path);
  std::string OAuth1SenderLocked(const httplib::Request& req);
  std::string NextIdLocked(std::string_view prefix);
  std::string NextXEventIdLocked();
  std::string FbTraceIdLocked();
  void Record(RecordedRequest rec);
  // Sleeps up to `delay`; returns early when Stop() begins.
  void InterruptibleSleep(std::chrono::milliseconds delay);
  // Counts a send call as being answered (max_calls_at_once) and waits the answer delay.
  class CallInProgress;

  mutable std::mutex mu_;
  mutable std::condition_variable records_cv_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::chrono::milliseconds answer_delay_{0};
  int calls_at_once_ = 0, max_calls_at_once_ = 0;
  int mark_reads_at_once_ = 0, max_mark_reads_at_once_ = 0;

  std::map<std::string, std::string> whatsapp_;   // phone_number_id -> token
  std::map<std::string, std::string> messenger_;  // page id -> token
  std::map<std::string, std::string> instagram_;  // ig id -> token
  std::map<std::string, std::string> x_oauth2_;   // token -> user id
  std::vector<OAuth1User> x_oauth1_;
  std::set<std::string> seen_nonces_;
  std::chrono::seconds max_clock_skew_{15 * 60};

  std::map<std::string, std::deque<Fault>> faults_;
  std::vector<RecordedRequest> records_;
  uint64_t counter_ = 0;
  std::string instance_tag_;  // keeps ids unique across fakes in one test run
  uint64_t x_id_base_ = 0;

  const int connection_threads_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace wache::testing
