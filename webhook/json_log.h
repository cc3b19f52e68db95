// Logs as JSON lines, one object per line, for log shippers (Loki, Elastic, journald).
// Call sites keep writing readable messages that start with `key=value` fields:
//   spdlog::info("correlation={} platform={} replies={}", ...)
// and the formatter lifts the leading fields of a known set into their own JSON members:
//   {"ts":"2026-11-21T09:00:00.123Z","level":"info","correlation":"…","platform":"whatsapp",
//    "replies":"1","msg":"…rest of the line…"}
// Message texts and user ids never reach the logs in clear (senders are pseudonymised at the
// call site); the formatter does not add any.
#pragma once

#include <spdlog/formatter.h>

#include <memory>
#include <string>

namespace wache::webhook {

class JsonLineFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
  std::unique_ptr<spdlog::formatter> clone() const override;
};

// "json" (default for `wache serve`) or "text": sets the default logger's format.
// Returns false for an unknown name.
bool SetLogFormat(const std::string& name);

}  // namespace wache::webhook
