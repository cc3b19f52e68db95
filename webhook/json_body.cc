#include "webhook/json_body.h"

#include <charconv>

namespace wache::webhook {

namespace {

// The deepest nesting of [ and { outside strings. nlohmann's parser is recursive; a body of
// a million '[' would overflow the stack before any limit inside it applied.
int MaxNesting(std::string_view s) {
  int depth = 0, max_depth = 0;
  bool in_string = false, escaped = false;
  for (char c : s) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      max_depth = std::max(max_depth, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return max_depth;
}

}  // namespace

Result<nlohmann::json> ParseJsonBody(std::string_view body, int max_depth) {
  if (body.empty()) return Status::Error("empty body");
  if (MaxNesting(body) > max_depth) {
    return Status::Error("JSON nested deeper than " + std::to_string(max_depth) + " levels");
  }
  nlohmann::json j = nlohmann::json::parse(body.begin(), body.end(), nullptr,
                                           /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::Error("body is not valid JSON");
  return j;
}

const nlohmann::json* Member(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

std::string StringField(const nlohmann::json& j, const char* key) {
  const nlohmann::json* m = Member(j, key);
  if (!m) return "";
  if (m->is_string()) return m->get_ref<const std::string&>();
  // is_number_integer() is also true for unsigned numbers: ask about unsigned first.
  if (m->is_number_unsigned()) return std::to_string(m->get<uint64_t>());
  if (m->is_number_integer()) return std::to_string(m->get<int64_t>());
  return "";
}

bool BoolField(const nlohmann::json& j, const char* key, bool fallback) {
  const nlohmann::json* m = Member(j, key);
  return m && m->is_boolean() ? m->get<bool>() : fallback;
}

std::optional<int64_t> IntField(const nlohmann::json& j, const char* key) {
  const nlohmann::json* m = Member(j, key);
  if (!m) return std::nullopt;
  if (m->is_number_unsigned()) {
    uint64_t v = m->get<uint64_t>();
    if (v > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<int64_t>(v);
  }
  if (m->is_number_integer()) return m->get<int64_t>();
  if (m->is_string()) {
    const std::string& s = m->get_ref<const std::string&>();
    int64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && end == s.data() + s.size() && !s.empty()) return v;
  }
  return std::nullopt;
}

std::vector<const nlohmann::json*> ArrayField(const nlohmann::json& j, const char* key) {
  std::vector<const nlohmann::json*> out;
  const nlohmann::json* m = Member(j, key);
  if (!m || !m->is_array()) return out;
  for (const auto& item : *m) out.push_back(&item);
  return out;
}

}  // namespace wache::webhook
