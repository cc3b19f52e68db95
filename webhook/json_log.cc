#include "webhook/json_log.h"

#include <spdlog/spdlog.h>
#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
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

void Append(spdlog::memory_buf_t& dest, std::string_view s) {
  dest.append(s.data(), s.data() + s.size());
}

// "2026-11-21T09:00:00.123Z". gmtime_r once per second per thread: lines come in bursts.
void AppendTimestamp(spdlog::log_clock::time_point t, spdlog::memory_buf_t& dest) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  thread_local std::time_t cached_secs = -1;
  thread_local char cached[24];  // "2026-11-21T09:00:00"
  if (secs != cached_secs) {
    std::tm tm{};
    gmtime_r(&secs, &tm);
    std::strftime(cached, sizeof cached, "%Y-%m-%dT%H:%M:%S", &tm);
    cached_secs = secs;
  }
  char millis[8];
  std::snprintf(millis, sizeof millis, ".%03dZ", static_cast<int>(ms % 1000));
  dest.append(cached, cached + std::strlen(cached));
  dest.append(millis, millis + 5);
}

// Length of the valid UTF-8 sequence at s[i], or 0 if the bytes there are not one
// (utf8proc refuses overlong forms, surrogates, code points above U+10FFFF and cut-off
// sequences).
size_t Utf8Length(std::string_view s, size_t i) {
  utf8proc_int32_t code_point;
  const utf8proc_ssize_t n =
      utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                       static_cast<utf8proc_ssize_t>(s.size() - i), &code_point);
  return n > 0 ? static_cast<size_t>(n) : 0;
}

// `text` as a JSON string: quotes, backslashes and control characters escaped, and every
// byte that is not part of valid UTF-8 replaced by U+FFFD, so that a log line never breaks
// on odd bytes (e.g. a broken UTF-8 account name).
void AppendJsonString(std::string_view text, spdlog::memory_buf_t& dest) {
  static constexpr char kHex[] = "0123456789abcdef";
  static constexpr std::string_view kReplacement = "\xef\xbf\xbd";
  dest.push_back('"');
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      dest.push_back('\\');
      dest.push_back(static_cast<char>(c));
      ++i;
    } else if (c < 0x20) {
      const char* esc = c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r" : nullptr;
      if (esc) {
        dest.append(esc, esc + 2);
      } else {
        const char u[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0x0f]};
        dest.append(u, u + sizeof u);
      }
      ++i;
    } else if (c < 0x80) {
      dest.push_back(static_cast<char>(c));
      ++i;
    } else if (const size_t n = Utf8Length(text, i); n > 0) {
      dest.append(text.data() + i, text.data() + i + n);
      i += n;
    } else {
      dest.append(kReplacement.data(), kReplacement.data() + kReplacement.size());
      ++i;
    }
  }
  dest.push_back('"');
}

void AppendMember(std::string_view key, std::string_view value, spdlog::memory_buf_t& dest) {
  dest.push_back(',');
  AppendJsonString(key, dest);
  dest.push_back(':');
  AppendJsonString(value, dest);
}

}  // namespace

// Written directly, not through a JSON library: a line per message and per reply, and
// building a JSON object for each was 4% of the server's instructions (bench/README.md).
void JsonLineFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
  Append(dest, "{\"ts\":\"");
  AppendTimestamp(msg.time, dest);
  Append(dest, "\",\"level\":");
  const auto level = spdlog::level::to_string_view(msg.level);
  AppendJsonString(std::string_view(level.data(), level.size()), dest);
  std::string_view rest(msg.payload.data(), msg.payload.size());
  // Lift leading key=value fields; stop at the first word that is not one. A field given
  // twice keeps its first place and its last value, so no key appears twice.
  std::array<std::pair<std::string_view, std::string_view>, kFields.size()> fields;
  size_t count = 0;
  while (true) {
    auto eq = rest.find('=');
    auto space = rest.find(' ');
    if (eq == std::string_view::npos || (space != std::string_view::npos && space < eq)) break;
    std::string_view key = rest.substr(0, eq);
    if (!IsField(key)) break;
    auto end = rest.find(' ', eq + 1);
    std::string_view value =
        rest.substr(eq + 1, end == std::string_view::npos ? rest.npos : end - eq - 1);
    auto same = std::find_if(fields.begin(), fields.begin() + static_cast<std::ptrdiff_t>(count),
                             [&](const auto& f) { return f.first == key; });
    if (same != fields.begin() + static_cast<std::ptrdiff_t>(count)) {
      same->second = value;
    } else {
      fields[count++] = {key, value};
    }
    if (end == std::string_view::npos) {
      rest = {};
      break;
    }
    rest = rest.substr(end + 1);
  }
  for (size_t i = 0; i < count; ++i) AppendMember(fields[i].first, fields[i].second, dest);
  AppendMember("msg", rest, dest);
  Append(dest, "}\n");
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
