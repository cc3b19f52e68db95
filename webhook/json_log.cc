#include "webhook/json_log.h"

#include <spdlog/spdlog.h>

#include <array>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string_view>

namespace wache::webhook {
namespace {

// Fields a message may start with. Only these become JSON members, so a stray "=" later in
// a message never splits it.
constexpr std::array<std::string_view, 15> kFields = {
    "correlation", "platform",  "account", "sender", "reply",    "flow", "step",    "language",
    "replies",     "emergency", "status",  "to",     "template", "send", "handover"};

bool IsField(std::string_view key) {
  for (auto f : kFields) {
    if (f == key) return true;
  }
  return false;
}

std::string Timestamp(spdlog::log_clock::time_point t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[40];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms % 1000));
  return out;
}

}  // namespace

void JsonLineFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
  nlohmann::ordered_json j;
  j["ts"] = Timestamp(msg.time);
  j["level"] = std::string(spdlog::level::to_string_view(msg.level).data(),
                           spdlog::level::to_string_view(msg.level).size());
  std::string_view rest(msg.payload.data(), msg.payload.size());
  // Lift leading key=value fields; stop at the first word that is not one.
  while (true) {
    auto eq = rest.find('=');
    auto space = rest.find(' ');
    if (eq == std::string_view::npos || (space != std::string_view::npos && space < eq)) break;
    std::string_view key = rest.substr(0, eq);
    if (!IsField(key)) break;
    auto end = rest.find(' ', eq + 1);
    std::string_view value =
        rest.substr(eq + 1, end == std::string_view::npos ? rest.npos : end - eq - 1);
    j[std::string(key)] = std::string(value);
    if (end == std::string_view::npos) {
      rest = {};
      break;
    }
    rest = rest.substr(end + 1);
  }
  j["msg"] = std::string(rest);
  // replace: a log line must never throw on odd bytes (e.g. a broken UTF-8 account name).
  std::string line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  dest.append(line.data(), line.data() + line.size());
  dest.push_back('\n');
}

std::unique_ptr<spdlog::formatter> JsonLineFormatter::clone() const {
  return std::make_unique<JsonLineFormatter>();
}

bool SetLogFormat(const std::string& name) {
  if (name == "json") {
    spdlog::set_formatter(std::make_unique<JsonLineFormatter>());
    return true;
  }
  if (name == "text") {
    spdlog::set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
    return true;
  }
  return false;
}

}  // namespace wache::webhook
