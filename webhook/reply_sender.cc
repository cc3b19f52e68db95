#include "webhook/reply_sender.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "webhook/json_body.h"

namespace wache::webhook {

ReplySender::ReplySender(HttpClient& http, std::ostream* console, const Pseudonymizer& pseudonym,
                         Metrics& metrics, std::chrono::milliseconds timeout)
    : http_(http), console_(console), pseudonym_(pseudonym), metrics_(metrics), timeout_(timeout) {}

void ReplySender::AddAccount(const std::string& account_id, SendTarget target) {
  targets_[account_id] = std::move(target);
}

SendResult ReplySender::Call(const SendTarget& t, const PlatformRequest& req,
                             const std::string& platform) {
  HttpRequest http;
  http.method = req.method;
  http.url = t.base_url + req.path;
  http.body = req.body;
  http.timeout = timeout_;
  if (t.oauth1.complete() && platform == "x" && req.path.rfind("/1.1/", 0) == 0) {
    http.headers.emplace_back("Authorization",
                              OAuth1AuthorizationHeader(t.oauth1, req.method, http.url));
  } else {
    http.headers.emplace_back("Authorization", "Bearer " + t.bearer_token);
  }
  HttpResponse res = http_.Send(http);
  return t.adapter->Interpret(res.status, res.body,
                              [&res](const std::string& name) { return res.Header(name); });
}

SendResult ReplySender::Send(const OutboundMessage& msg, const std::string& correlation_id) {
  auto it = targets_.find(msg.account_id);
  if (it == targets_.end() || !it->second.adapter) {
    SendResult r;
    r.outcome = SendResult::Outcome::kPermanent;
    r.reason = "no send target for account";
    return r;
  }
  const SendTarget& t = it->second;
  std::vector<PlatformRequest> requests = t.adapter->Render(msg);
  if (t.console()) {
    PrintToConsole(msg, requests, correlation_id);
    metrics_.Add("wache_replies_total", {{"platform", msg.platform}, {"outcome", "console"}});
    SendResult r;
    r.outcome = SendResult::Outcome::kSent;
    return r;
  }
  SendResult result;
  for (const auto& req : requests) {
    result = Call(t, req, msg.platform);
    if (result.outcome != SendResult::Outcome::kSent) break;
  }
  metrics_.Add("wache_replies_total",
               {{"platform", msg.platform}, {"outcome", OutcomeName(result.outcome)}});
  auto log_level =
      result.outcome == SendResult::Outcome::kSent ? spdlog::level::info : spdlog::level::warn;
  // The words after the fields are the JSON line's "msg" (json_log.h).
  spdlog::log(log_level, "correlation={} platform={} account={} to={} template={} send={}{}{} {}",
              correlation_id, msg.platform, msg.account_id, pseudonym_(msg.recipient),
              msg.reply.template_key, OutcomeName(result.outcome),
              result.error_code.empty() ? "" : " code=" + result.error_code,
              result.reason.empty() ? "" : " reason=\"" + result.reason + "\"",
              result.outcome == SendResult::Outcome::kSent ? "reply sent" : "reply not sent");
  return result;
}

void ReplySender::MarkRead(const std::string& account_id, const std::string& account_ref,
                           const std::string& message_id) {
  auto it = targets_.find(account_id);
  if (it == targets_.end() || !it->second.adapter || it->second.console()) return;
  auto req = it->second.adapter->MarkRead(account_ref, message_id);
  if (!req) return;
  SendResult r = Call(it->second, *req, it->second.adapter->platform());
  const bool sent = r.outcome == SendResult::Outcome::kSent;
  // Not retried (blue ticks are not worth a backlog), but counted: a token that stopped
  // working shows here too.
  metrics_.Add("wache_mark_reads_total", {{"platform", it->second.adapter->platform()},
                                          {"outcome", sent ? "sent" : "failed"}});
  if (!sent) {
    spdlog::debug("account={} mark-read failed: {} {}", account_id, r.error_code, r.reason);
  }
}

void ReplySender::PrintToConsole(const OutboundMessage& msg,
                                 const std::vector<PlatformRequest>& reqs,
                                 const std::string& correlation_id) {
  if (!console_) return;
  nlohmann::json line = {{"console_reply", true},           {"correlation", correlation_id},
                         {"platform", msg.platform},        {"account", msg.account_id},
                         {"to", pseudonym_(msg.recipient)}, {"template", msg.reply.template_key},
                         {"language", msg.reply.language},  {"text", msg.reply.text}};
  nlohmann::json buttons = nlohmann::json::array();
  for (const auto& b : msg.reply.buttons) buttons.push_back(b.label);
  line["buttons"] = buttons;
  nlohmann::json calls = nlohmann::json::array();
  const std::string tag = pseudonym_(msg.recipient);
  auto hide_recipient = [&](std::string text) {
    for (size_t at = text.find(msg.recipient); !msg.recipient.empty() && at != std::string::npos;
         at = text.find(msg.recipient, at + tag.size())) {
      text.replace(at, msg.recipient.size(), tag);
    }
    return text;
  };
  for (const auto& r : reqs) {
    // The console is read by people: the person's id appears only as its pseudonym.
    auto body = ParseJsonBody(hide_recipient(r.body));
    calls.push_back(
        {{"path", r.path}, {"body", body.ok() ? body.value() : nlohmann::json(r.body)}});
  }
  line["would_send"] = calls;
  std::lock_guard lock(console_mu_);
  *console_ << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
}

}  // namespace wache::webhook
