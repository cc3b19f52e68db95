#include "tests/support/fake_platform_api.h"

#include <httplib.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <initializer_list>
#include <random>
#include <regex>
#include <set>

#include "webhook/listen_socket.h"

namespace wache::testing {
namespace {

using nlohmann::json;

// A local early return for the validators below: each check yields "" or the reason, and
// the platforms report the first problem they find, so the fake does too.
#define FAKE_RETURN_IF_ERROR(expr)    \
  do {                                \
    std::string fake_error_ = (expr); \
    if (!fake_error_.empty()) {       \
      return fake_error_;             \
    }                                 \
  } while (false)

// ---------------------------------------------------------------------------------------------
// Small text helpers.

// Unicode code points in valid UTF-8 (nlohmann's parser already rejected invalid UTF-8):
// the platforms' "characters" are code points, so 'ä' counts once even though it is 2 bytes.
size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

bool AllDigits(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && Lower(s.substr(0, prefix.size())) == Lower(prefix);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// %XX decoding; `plus_is_space` for application/x-www-form-urlencoded (query strings), where
// RFC 5849 section 3.4.1.3.1 says '+' stands for a space.
std::string PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else if (s[i] == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> ParseFormEncoded(std::string_view s) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t pos = 0;
  while (pos <= s.size() && !s.empty()) {
    size_t amp = s.find('&', pos);
    if (amp == std::string_view::npos) amp = s.size();
    std::string_view part = s.substr(pos, amp - pos);
    if (!part.empty()) {
      size_t eq = part.find('=');
      std::string_view name = part.substr(0, eq);
      std::string_view value = eq == std::string_view::npos ? "" : part.substr(eq + 1);
      out.emplace_back(PercentDecode(name, true), PercentDecode(value, true));
    }
    pos = amp + 1;
  }
  return out;
}

std::string QueryOf(const std::string& target) {
  size_t q = target.find('?');
  return q == std::string::npos ? "" : target.substr(q + 1);
}

std::string PathOf(const std::string& target) { return target.substr(0, target.find('?')); }

std::string QueryParam(const httplib::Request& req, std::string_view name) {
  for (const auto& [k, v] : ParseFormEncoded(QueryOf(req.target))) {
    if (k == name) return v;
  }
  return "";
}

// The token of an `Authorization: Bearer <token>` header, "" if there is none.
std::string BearerToken(const httplib::Request& req) {
  std::string auth = req.get_header_value("Authorization");
  if (!StartsWithNoCase(auth, "Bearer ")) return "";
  size_t start = auth.find_first_not_of(' ', 7);
  return start == std::string::npos ? "" : auth.substr(start);
}

bool IsJsonContentType(const httplib::Request& req) {
  return StartsWithNoCase(req.get_header_value("Content-Type"), "application/json");
}

int64_t NowUnixSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t NowUnixMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Numeric order of two decimal id strings without overflow (X ids reach 19 digits).
bool NumericLess(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

const char* ReasonPhrase(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 408:
      return "Request Timeout";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Error";
  }
}

std::string Itoa(int64_t n) { return std::to_string(n); }

// ---------------------------------------------------------------------------------------------
// Generic JSON checks. Messages use Graph's "Param x ..." wording; X bodies reuse them.

bool IsIn(std::string_view value, std::initializer_list<std::string_view> allowed) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

// Unknown keys are refused (not ignored): a misspelt key would otherwise silently drop
// buttons on the real platform, and the gateway must not send what the platform may refuse.
std::string CheckKeys(const json& obj, std::string_view where,
                      std::initializer_list<std::string_view> allowed) {
  for (const auto& item : obj.items()) {
    if (!IsIn(item.key(), allowed)) {
      return "Unexpected key \"" + item.key() + "\" in " + std::string(where) + ".";
    }
  }
  return "";
}

struct StringRule {
  bool required = true;
  bool non_empty = true;
  size_t max = 0;      // 0: no limit
  bool bytes = false;  // count UTF-8 bytes instead of code points (Instagram)
};

std::string CheckString(const json& obj, const std::string& key, const std::string& name,
                        StringRule rule) {
  if (!obj.contains(key)) return rule.required ? "The parameter " + name + " is required." : "";
  const json& v = obj.at(key);
  if (!v.is_string()) return "Param " + name + " must be a string.";
  const std::string& s = v.get_ref<const std::string&>();
  if (rule.non_empty && s.empty()) return "Param " + name + " must be non-empty.";
  size_t length = rule.bytes ? s.size() : CodePoints(s);
  if (rule.max != 0 && length > rule.max) {
    return "Param " + name + " must be at most " + Itoa(rule.max) +
           (rule.bytes ? " bytes" : " characters") + " long (got " + Itoa(length) + ").";
  }
  return "";
}

std::string CheckObject(const json& obj, const std::string& key, const std::string& name,
                        bool required) {
  if (!obj.contains(key)) return required ? "The parameter " + name + " is required." : "";
  if (!obj.at(key).is_object()) return "Param " + name + " must be an object.";
  return "";
}

std::string CheckArray(const json& obj, const std::string& key, const std::string& name,
                       size_t min_items, size_t max_items, bool required) {
  if (!obj.contains(key)) return required ? "The parameter " + name + " is required." : "";
  const json& v = obj.at(key);
  if (!v.is_array()) return "Param " + name + " must be an array.";
  if (v.size() < min_items) {
    return "Param " + name + " must have at least " + Itoa(min_items) + " item(s) (got " +
           Itoa(v.size()) + ").";
  }
  if (v.size() > max_items) {
    return "Param " + name + " must have at most " + Itoa(max_items) + " items (got " +
           Itoa(v.size()) + ").";
  }
  return "";
}

std::string CheckEnum(const json& obj, const std::string& key, const std::string& name,
                      bool required, std::initializer_list<std::string_view> allowed) {
  FAKE_RETURN_IF_ERROR(CheckString(obj, key, name, {.required = required}));
  if (!obj.contains(key)) return "";
  const std::string& s = obj.at(key).get_ref<const std::string&>();
  if (IsIn(s, allowed)) return "";
  std::string list;
  for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  return "Param " + name + " must be one of {" + list + "} - got \"" + s + "\".";
}

const std::string& Str(const json& obj, const char* key) {
  static const std::string kEmpty;
  if (!obj.is_object() || !obj.contains(key) || !obj.at(key).is_string()) return kEmpty;
  return obj.at(key).get_ref<const std::string&>();
}

// What a body asked for, found while checking it. Filled as far as the check got, so even
// a rejected or fault-answered request is recorded with its recipient and kind.
struct Check {
  std::string kind;
  std::string recipient;
};

// ---------------------------------------------------------------------------------------------
// WhatsApp Cloud API (platforms.md 1.7, 1.8; OpenAPI schemas BaseMessageProperties,
// TextMessage, InteractiveObject, ActionObject, SectionObject, MarkMessageRequestPayload).

std::string CheckWhatsAppHeader(const json& interactive, bool is_list) {
  FAKE_RETURN_IF_ERROR(CheckObject(interactive, "header", "interactive['header']", false));
  if (!interactive.contains("header")) return "";
  const json& header = interactive.at("header");
  FAKE_RETURN_IF_ERROR(CheckKeys(header, "interactive['header']",
                                 {"type", "text", "sub_text", "image", "video", "document"}));
  // List messages take text headers only; reply buttons also take media.
  if (is_list) {
    FAKE_RETURN_IF_ERROR(
        CheckEnum(header, "type", "interactive['header']['type']", true, {"text"}));
  } else {
    FAKE_RETURN_IF_ERROR(CheckEnum(header, "type", "interactive['header']['type']", true,
                                   {"text", "image", "video", "document"}));
  }
  const std::string& type = Str(header, "type");
  if (type == "text") {
    FAKE_RETURN_IF_ERROR(CheckString(header, "text", "interactive['header']['text']", {.max = 60}));
    return CheckString(header, "sub_text", "interactive['header']['sub_text']",
                       {.required = false, .max = 60});
  }
  const std::string name = "interactive['header']['" + type + "']";
  FAKE_RETURN_IF_ERROR(CheckObject(header, type, name, true));
  const json& media = header.at(type);
  if (!media.contains("id") && !media.contains("link")) {
    return "Param " + name + " needs an id or a link.";
  }
  return "";
}

std::string CheckWhatsAppButtons(const json& action) {
  FAKE_RETURN_IF_ERROR(CheckKeys(action, "interactive['action']", {"buttons"}));
  FAKE_RETURN_IF_ERROR(
      CheckArray(action, "buttons", "interactive['action']['buttons']", 1, 3, true));
  std::set<std::string> ids, titles;
  const json& buttons = action.at("buttons");
  for (size_t i = 0; i < buttons.size(); ++i) {
    const std::string where = "interactive['action']['buttons'][" + Itoa(i) + "]";
    const json& button = buttons[i];
    if (!button.is_object()) return "Param " + where + " must be an object.";
    FAKE_RETURN_IF_ERROR(CheckKeys(button, where, {"type", "reply"}));
    FAKE_RETURN_IF_ERROR(CheckEnum(button, "type", where + "['type']", true, {"reply"}));
    FAKE_RETURN_IF_ERROR(CheckObject(button, "reply", where + "['reply']", true));
    const json& reply = button.at("reply");
    FAKE_RETURN_IF_ERROR(CheckKeys(reply, where + "['reply']", {"id", "title"}));
    FAKE_RETURN_IF_ERROR(CheckString(reply, "title", where + "['reply']['title']", {.max = 20}));
    FAKE_RETURN_IF_ERROR(CheckString(reply, "id", where + "['reply']['id']", {.max = 256}));
    const std::string& id = Str(reply, "id");
    if (id.front() == ' ' || id.back() == ' ') {
      return "Param " + where + "['reply']['id'] must not have leading or trailing spaces.";
    }
    if (!ids.insert(id).second) return "Button ids must be unique (\"" + id + "\" repeats).";
    if (!titles.insert(Str(reply, "title")).second) {
      return "Button titles must be unique (\"" + Str(reply, "title") + "\" repeats).";
    }
  }
  return "";
}

std::string CheckWhatsAppList(const json& action) {
  FAKE_RETURN_IF_ERROR(CheckKeys(action, "interactive['action']", {"button", "sections"}));
  FAKE_RETURN_IF_ERROR(
      CheckString(action, "button", "interactive['action']['button']", {.max = 20}));
  FAKE_RETURN_IF_ERROR(
      CheckArray(action, "sections", "interactive['action']['sections']", 1, 10, true));
  const json& sections = action.at("sections");
  std::set<std::string> row_ids;
  size_t total_rows = 0;
  for (size_t s = 0; s < sections.size(); ++s) {
    const std::string where = "interactive['action']['sections'][" + Itoa(s) + "]";
    const json& section = sections[s];
    if (!section.is_object()) return "Param " + where + " must be an object.";
    FAKE_RETURN_IF_ERROR(CheckKeys(section, where, {"title", "rows"}));
    // A title is only needed to tell several sections apart.
    FAKE_RETURN_IF_ERROR(CheckString(section, "title", where + "['title']",
                                     {.required = sections.size() > 1, .max = 24}));
    FAKE_RETURN_IF_ERROR(CheckArray(section, "rows", where + "['rows']", 1, 10, true));
    const json& rows = section.at("rows");
    total_rows += rows.size();
    for (size_t r = 0; r < rows.size(); ++r) {
      const std::string row_where = where + "['rows'][" + Itoa(r) + "]";
      const json& row = rows[r];
      if (!row.is_object()) return "Param " + row_where + " must be an object.";
      FAKE_RETURN_IF_ERROR(CheckKeys(row, row_where, {"id", "title", "description"}));
      FAKE_RETURN_IF_ERROR(CheckString(row, "id", row_where + "['id']", {.max = 200}));
      FAKE_RETURN_IF_ERROR(CheckString(row, "title", row_where + "['title']", {.max = 24}));
      FAKE_RETURN_IF_ERROR(CheckString(row, "description", row_where + "['description']",
                                       {.required = false, .non_empty = false, .max = 72}));
      if (!row_ids.insert(Str(row, "id")).second) {
        return "Row ids must be unique (\"" + Str(row, "id") + "\" repeats).";
      }
    }
  }
  // The limit is on the whole list, not per section (platforms.md 1.7).
  if (total_rows > 10) {
    return "A list message may have at most 10 rows in total (got " + Itoa(total_rows) + ").";
  }
  return "";
}

std::string CheckWhatsAppInteractive(const json& body, Check& check) {
  FAKE_RETURN_IF_ERROR(CheckObject(body, "interactive", "interactive", true));
  const json& interactive = body.at("interactive");
  FAKE_RETURN_IF_ERROR(
      CheckKeys(interactive, "interactive", {"type", "header", "body", "footer", "action"}));
  // The fake knows the two kinds the gateway sends; product, flow and the like are refused.
  FAKE_RETURN_IF_ERROR(
      CheckEnum(interactive, "type", "interactive['type']", true, {"button", "list"}));
  const bool is_list = Str(interactive, "type") == "list";
  check.kind = is_list ? "list" : "button";
  FAKE_RETURN_IF_ERROR(CheckWhatsAppHeader(interactive, is_list));
  FAKE_RETURN_IF_ERROR(CheckObject(interactive, "body", "interactive['body']", true));
  FAKE_RETURN_IF_ERROR(CheckKeys(interactive.at("body"), "interactive['body']", {"text"}));
  FAKE_RETURN_IF_ERROR(
      CheckString(interactive.at("body"), "text", "interactive['body']['text']", {.max = 1024}));
  FAKE_RETURN_IF_ERROR(CheckObject(interactive, "footer", "interactive['footer']", false));
  if (interactive.contains("footer")) {
    FAKE_RETURN_IF_ERROR(CheckKeys(interactive.at("footer"), "interactive['footer']", {"text"}));
    FAKE_RETURN_IF_ERROR(CheckString(interactive.at("footer"), "text",
                                     "interactive['footer']['text']", {.max = 60}));
  }
  FAKE_RETURN_IF_ERROR(CheckObject(interactive, "action", "interactive['action']", true));
  return is_list ? CheckWhatsAppList(interactive.at("action"))
                 : CheckWhatsAppButtons(interactive.at("action"));
}

std::string CheckWhatsAppTemplate(const json& body) {
  FAKE_RETURN_IF_ERROR(CheckObject(body, "template", "template", true));
  const json& tmpl = body.at("template");
  FAKE_RETURN_IF_ERROR(CheckKeys(tmpl, "template", {"name", "language", "components"}));
  FAKE_RETURN_IF_ERROR(CheckString(tmpl, "name", "template['name']", {.max = 512}));
  FAKE_RETURN_IF_ERROR(CheckObject(tmpl, "language", "template['language']", true));
  FAKE_RETURN_IF_ERROR(CheckKeys(tmpl.at("language"), "template['language']", {"code", "policy"}));
  FAKE_RETURN_IF_ERROR(
      CheckString(tmpl.at("language"), "code", "template['language']['code']", {}));
  FAKE_RETURN_IF_ERROR(CheckEnum(tmpl.at("language"), "policy", "template['language']['policy']",
                                 false, {"deterministic"}));
  FAKE_RETURN_IF_ERROR(CheckArray(tmpl, "components", "template['components']", 0, 100, false));
  if (!tmpl.contains("components")) return "";
  const json& components = tmpl.at("components");
  for (size_t i = 0; i < components.size(); ++i) {
    const std::string where = "template['components'][" + Itoa(i) + "]";
    const json& c = components[i];
    if (!c.is_object()) return "Param " + where + " must be an object.";
    FAKE_RETURN_IF_ERROR(CheckString(c, "type", where + "['type']", {}));
    FAKE_RETURN_IF_ERROR(CheckArray(c, "parameters", where + "['parameters']", 0, 100, false));
    if (!c.contains("parameters")) continue;
    const json& params = c.at("parameters");
    for (size_t p = 0; p < params.size(); ++p) {
      const std::string pwhere = where + "['parameters'][" + Itoa(p) + "]";
      if (!params[p].is_object()) return "Param " + pwhere + " must be an object.";
      FAKE_RETURN_IF_ERROR(CheckString(params[p], "type", pwhere + "['type']", {}));
      if (Str(params[p], "type") == "text") {
        FAKE_RETURN_IF_ERROR(CheckString(params[p], "text", pwhere + "['text']", {}));
      }
    }
  }
  return "";
}

std::string CheckWhatsApp(const json& body, Check& check) {
  // A body that is not a JSON object is, for Graph, a request without parameters.
  if (!body.is_object() || !body.contains("messaging_product")) {
    return "The parameter messaging_product is required.";
  }
  FAKE_RETURN_IF_ERROR(
      CheckEnum(body, "messaging_product", "messaging_product", true, {"whatsapp"}));

  // Mark as read / typing indicator: same endpoint, told apart by `status`
  // (MarkMessageRequestPayload; the path's requestBody schema omits it, see specs/README.md).
  if (body.contains("status")) {
    check.kind = "mark_read";
    FAKE_RETURN_IF_ERROR(CheckKeys(
        body, "the request", {"messaging_product", "status", "message_id", "typing_indicator"}));
    FAKE_RETURN_IF_ERROR(CheckEnum(body, "status", "status", true, {"read"}));
    FAKE_RETURN_IF_ERROR(CheckString(body, "message_id", "message_id", {}));
    FAKE_RETURN_IF_ERROR(CheckObject(body, "typing_indicator", "typing_indicator", false));
    if (body.contains("typing_indicator")) {
      FAKE_RETURN_IF_ERROR(CheckKeys(body.at("typing_indicator"), "typing_indicator", {"type"}));
      FAKE_RETURN_IF_ERROR(CheckEnum(body.at("typing_indicator"), "type",
                                     "typing_indicator['type']", true, {"text"}));
    }
    return "";
  }

  FAKE_RETURN_IF_ERROR(CheckKeys(body, "the request",
                                 {"messaging_product", "recipient_type", "to", "type", "context",
                                  "text", "interactive", "template"}));
  // The spec also has "group"; a DM gateway only ever writes to individuals.
  FAKE_RETURN_IF_ERROR(CheckEnum(body, "recipient_type", "recipient_type", false, {"individual"}));
  FAKE_RETURN_IF_ERROR(CheckString(body, "to", "to", {.max = 20}));
  const std::string& to = Str(body, "to");
  check.recipient = to;
  // Meta's own example response has "input":"+16505551234", so a leading '+' is accepted.
  if (!AllDigits(to[0] == '+' ? std::string_view(to).substr(1) : std::string_view(to))) {
    return "Param to must be a phone number (digits, optionally after '+') - got \"" + to + "\".";
  }
  // Graph defaults `type` to text; the spec's "Send Text Message with Preview URL" example
  // leaves it out.
  FAKE_RETURN_IF_ERROR(CheckEnum(body, "type", "type", false, {"text", "interactive", "template"}));
  const std::string type = body.contains("type") ? Str(body, "type") : "text";
  for (const char* other : {"text", "interactive", "template"}) {
    if (other != type && body.contains(other)) {
      return "Param " + std::string(other) + " is not allowed when type is \"" + type + "\".";
    }
  }
  FAKE_RETURN_IF_ERROR(CheckObject(body, "context", "context", false));
  if (body.contains("context")) {
    FAKE_RETURN_IF_ERROR(CheckKeys(body.at("context"), "context", {"message_id"}));
    FAKE_RETURN_IF_ERROR(
        CheckString(body.at("context"), "message_id", "context['message_id']", {}));
  }

  if (type == "text") {
    check.kind = "text";
    FAKE_RETURN_IF_ERROR(CheckObject(body, "text", "text", true));
    FAKE_RETURN_IF_ERROR(CheckKeys(body.at("text"), "text", {"body", "preview_url"}));
    FAKE_RETURN_IF_ERROR(CheckString(body.at("text"), "body", "text['body']", {.max = 4096}));
    if (body.at("text").contains("preview_url") &&
        !body.at("text").at("preview_url").is_boolean()) {
      return "Param text['preview_url'] must be a boolean.";
    }
    return "";
  }
  if (type == "interactive") return CheckWhatsAppInteractive(body, check);
  check.kind = "template";
  return CheckWhatsAppTemplate(body);
}

// ---------------------------------------------------------------------------------------------
// Messenger and Instagram Send API (platforms.md 2.6, 2.7, 3.5).

std::string CheckQuickReplies(const json& message, bool instagram) {
  FAKE_RETURN_IF_ERROR(
      CheckArray(message, "quick_replies", "message['quick_replies']", 1, 13, true));
  const json& replies = message.at("quick_replies");
  for (size_t i = 0; i < replies.size(); ++i) {
    const std::string where = "message['quick_replies'][" + Itoa(i) + "]";
    const json& qr = replies[i];
    if (!qr.is_object()) return "Param " + where + " must be an object.";
    FAKE_RETURN_IF_ERROR(CheckKeys(qr, where, {"content_type", "title", "payload", "image_url"}));
    // Instagram quick replies are text only (platforms.md 3.5).
    if (instagram) {
      FAKE_RETURN_IF_ERROR(
          CheckEnum(qr, "content_type", where + "['content_type']", true, {"text"}));
    } else {
      FAKE_RETURN_IF_ERROR(CheckEnum(qr, "content_type", where + "['content_type']", true,
                                     {"text", "user_phone_number", "user_email"}));
    }
    if (Str(qr, "content_type") != "text") continue;
    // Meta cuts longer titles; refusing them makes a client that forgets to shorten show up
    // here instead of as a silently cut label in production.
    FAKE_RETURN_IF_ERROR(CheckString(qr, "title", where + "['title']", {.max = 20}));
    FAKE_RETURN_IF_ERROR(CheckString(qr, "payload", where + "['payload']", {.max = 1000}));
    FAKE_RETURN_IF_ERROR(
        CheckString(qr, "image_url", where + "['image_url']", {.required = false}));
  }
  return "";
}

std::string CheckMessengerOrInstagram(const json& body, bool instagram, Check& check) {
  if (!body.is_object() || !body.contains("recipient")) {
    return "The parameter recipient is required.";
  }
  FAKE_RETURN_IF_ERROR(CheckKeys(body, "the request",
                                 {"recipient", "messaging_type", "tag", "message", "sender_action",
                                  "notification_type", "persona_id"}));
  FAKE_RETURN_IF_ERROR(CheckObject(body, "recipient", "recipient", true));
  FAKE_RETURN_IF_ERROR(CheckKeys(body.at("recipient"), "recipient", {"id"}));
  FAKE_RETURN_IF_ERROR(CheckString(body.at("recipient"), "id", "recipient['id']", {}));
  check.recipient = Str(body.at("recipient"), "id");
  FAKE_RETURN_IF_ERROR(CheckEnum(body, "notification_type", "notification_type", false,
                                 {"REGULAR", "SILENT_PUSH", "NO_PUSH"}));
  FAKE_RETURN_IF_ERROR(CheckString(body, "persona_id", "persona_id", {.required = false}));

  const bool has_message = body.contains("message");
  const bool has_action = body.contains("sender_action");
  if (has_message && has_action) {
    check.kind = "sender_action";
    return "Param sender_action cannot be sent together with message.";
  }
  if (!has_message && !has_action) return "The parameter message or sender_action is required.";
  if (has_action) {
    check.kind = "sender_action";
    return CheckEnum(body, "sender_action", "sender_action", true,
                     {"typing_on", "typing_off", "mark_seen"});
  }

  FAKE_RETURN_IF_ERROR(CheckEnum(body, "messaging_type", "messaging_type", !instagram,
                                 {"RESPONSE", "UPDATE", "MESSAGE_TAG"}));
  const bool tagged = Str(body, "messaging_type") == "MESSAGE_TAG";
  // Message tags Meta lists; HUMAN_AGENT is a person's reply up to 7 days (platforms.md 2.8).
  if (tagged) {
    FAKE_RETURN_IF_ERROR(CheckEnum(body, "tag", "tag", true,
                                   {"HUMAN_AGENT", "ACCOUNT_UPDATE", "CONFIRMED_EVENT_UPDATE",
                                    "POST_PURCHASE_UPDATE", "CUSTOMER_FEEDBACK"}));
  }
  if (!tagged && body.contains("tag")) {
    return "Param tag is only allowed with messaging_type MESSAGE_TAG.";
  }

  FAKE_RETURN_IF_ERROR(CheckObject(body, "message", "message", true));
  const json& message = body.at("message");
  FAKE_RETURN_IF_ERROR(
      CheckKeys(message, "message", {"text", "quick_replies", "attachment", "metadata"}));
  check.kind = message.contains("quick_replies") ? "quick_replies"
               : message.contains("attachment")  ? "attachment"
                                                 : "text";
  FAKE_RETURN_IF_ERROR(
      CheckString(message, "metadata", "message['metadata']", {.required = false, .max = 1000}));
  if (message.contains("text") && message.contains("attachment")) {
    return "Param message must have either text or attachment, not both.";
  }
  if (message.contains("attachment")) {
    FAKE_RETURN_IF_ERROR(CheckObject(message, "attachment", "message['attachment']", true));
    const json& attachment = message.at("attachment");
    FAKE_RETURN_IF_ERROR(CheckKeys(attachment, "message['attachment']", {"type", "payload"}));
    FAKE_RETURN_IF_ERROR(CheckEnum(attachment, "type", "message['attachment']['type']", true,
                                   {"image", "audio", "video", "file", "template"}));
    FAKE_RETURN_IF_ERROR(
        CheckObject(attachment, "payload", "message['attachment']['payload']", true));
  } else {
    // Messenger counts characters; Instagram counts UTF-8 bytes (platforms.md 2.7, 3.5).
    FAKE_RETURN_IF_ERROR(CheckString(message, "text", "message['text']",
                                     {.max = instagram ? 1000u : 2000u, .bytes = instagram}));
  }
  if (message.contains("quick_replies"))
    FAKE_RETURN_IF_ERROR(CheckQuickReplies(message, instagram));
  return "";
}

// ---------------------------------------------------------------------------------------------
// X API v2 (OpenAPI CreateDirectMessagesByParticipantIdRequest) and v1.1 (platforms.md 4.8).

constexpr size_t kXTextLimit = 10000;

std::string CheckX2(const json& body, Check& check) {
  if (!body.is_object()) return "$: the request body must be a JSON object";
  for (const auto& item : body.items()) {
    if (item.key() != "text" && item.key() != "attachments") {
      return "$." + item.key() +
             ": is not defined in the schema and the schema does not allow additional properties";
    }
  }
  if (!body.contains("text") && !body.contains("attachments")) {
    return "$: at least one of text or attachments is required";
  }
  check.kind = body.contains("attachments") ? "attachment" : "text";
  if (body.contains("text")) {
    if (!body.at("text").is_string()) return "$.text: string expected";
    const std::string& text = body.at("text").get_ref<const std::string&>();
    if (text.empty()) return "$.text: must be at least 1 characters long";
    if (CodePoints(text) > kXTextLimit) {
      return "$.text: must be at most " + Itoa(kXTextLimit) + " characters long (got " +
             Itoa(CodePoints(text)) + ")";
    }
  }
  if (body.contains("attachments")) {
    const json& attachments = body.at("attachments");
    if (!attachments.is_array()) return "$.attachments: array expected";
    // One media item per message (X's integration guide, platforms.md 4.7).
    if (attachments.size() != 1) return "$.attachments: exactly one media item is allowed";
    const json& a = attachments[0];
    if (!a.is_object() || !a.contains("media_id")) return "$.attachments[0].media_id: required";
    for (const auto& item : a.items()) {
      if (item.key() != "media_id") {
        return "$.attachments[0]." + item.key() +
               ": is not defined in the schema and the schema does not allow additional "
               "properties";
      }
    }
    if (!a.at("media_id").is_string() || !AllDigits(Str(a, "media_id")) ||
        Str(a, "media_id").size() > 19) {
      return "$.attachments[0].media_id: does not match the regex pattern ^[0-9]{1,19}$";
    }
  }
  return "";
}

// X refuses URLs in quick-reply labels; this catches the usual spellings (scheme, www., and
// bare domains with common top-level domains).
bool LooksLikeUrl(const std::string& text) {
  static const std::regex kUrl(
      R"((https?://|www\.)|\b[a-z0-9-]+\.(com|net|org|de|io|co|info|gov|edu|eu|ly|me|app|dev|gl|be|to|tv|us|uk|at|ch|x)\b)",
      std::regex::icase);
  return std::regex_search(text, kUrl);
}

std::string CheckX1QuickReply(const json& data) {
  FAKE_RETURN_IF_ERROR(CheckObject(data, "quick_reply", "quick_reply", true));
  const json& qr = data.at("quick_reply");
  FAKE_RETURN_IF_ERROR(CheckKeys(qr, "quick_reply", {"type", "options"}));
  FAKE_RETURN_IF_ERROR(CheckEnum(qr, "type", "quick_reply.type", true, {"options"}));
  FAKE_RETURN_IF_ERROR(CheckArray(qr, "options", "quick_reply.options", 1, 20, true));
  const json& options = qr.at("options");
  size_t with_description = 0;
  for (size_t i = 0; i < options.size(); ++i) {
    const std::string where = "quick_reply.options[" + Itoa(i) + "]";
    const json& o = options[i];
    if (!o.is_object()) return "Param " + where + " must be an object.";
    FAKE_RETURN_IF_ERROR(CheckKeys(o, where, {"label", "description", "metadata"}));
    FAKE_RETURN_IF_ERROR(CheckString(o, "label", where + ".label", {.max = 36}));
    if (LooksLikeUrl(Str(o, "label"))) return "Param " + where + ".label must not contain URLs.";
    FAKE_RETURN_IF_ERROR(
        CheckString(o, "description", where + ".description", {.required = false, .max = 72}));
    FAKE_RETURN_IF_ERROR(CheckString(o, "metadata", where + ".metadata",
                                     {.required = false, .non_empty = false, .max = 1000}));
    if (o.contains("description")) ++with_description;
  }
  if (with_description != 0 && with_description != options.size()) {
    return "If one quick_reply option has a description, all options must have one.";
  }
  return "";
}

std::string CheckX1(const json& body, Check& check) {
  if (!body.is_object() || !body.contains("event")) return "The parameter event is required.";
  FAKE_RETURN_IF_ERROR(CheckKeys(body, "the request", {"event"}));
  FAKE_RETURN_IF_ERROR(CheckObject(body, "event", "event", true));
  const json& event = body.at("event");
  FAKE_RETURN_IF_ERROR(CheckKeys(event, "event", {"type", "message_create"}));
  FAKE_RETURN_IF_ERROR(CheckEnum(event, "type", "event.type", true, {"message_create"}));
  FAKE_RETURN_IF_ERROR(CheckObject(event, "message_create", "event.message_create", true));
  const json& mc = event.at("message_create");
  FAKE_RETURN_IF_ERROR(CheckKeys(mc, "event.message_create", {"target", "message_data"}));
  FAKE_RETURN_IF_ERROR(CheckObject(mc, "target", "event.message_create.target", true));
  FAKE_RETURN_IF_ERROR(CheckKeys(mc.at("target"), "event.message_create.target", {"recipient_id"}));
  FAKE_RETURN_IF_ERROR(
      CheckString(mc.at("target"), "recipient_id", "event.message_create.target.recipient_id", {}));
  check.recipient = Str(mc.at("target"), "recipient_id");
  if (!AllDigits(check.recipient)) {
    return "Param event.message_create.target.recipient_id must be a numeric user id - got \"" +
           check.recipient + "\".";
  }
  FAKE_RETURN_IF_ERROR(CheckObject(mc, "message_data", "event.message_create.message_data", true));
  const json& data = mc.at("message_data");
  FAKE_RETURN_IF_ERROR(CheckKeys(data, "event.message_create.message_data",
                                 {"text", "quick_reply", "attachment", "ctas"}));
  check.kind = data.contains("quick_reply")  ? "quick_replies"
               : data.contains("attachment") ? "attachment"
                                             : "text";
  // Text may only be empty when a media or location attachment carries the message.
  FAKE_RETURN_IF_ERROR(CheckString(
      data, "text", "event.message_create.message_data.text",
      {.required = true, .non_empty = !data.contains("attachment"), .max = kXTextLimit}));
  if (data.contains("attachment")) {
    FAKE_RETURN_IF_ERROR(CheckObject(data, "attachment", "message_data.attachment", true));
    const json& a = data.at("attachment");
    FAKE_RETURN_IF_ERROR(
        CheckEnum(a, "type", "message_data.attachment.type", true, {"media", "location"}));
    if (Str(a, "type") == "media") {
      FAKE_RETURN_IF_ERROR(CheckObject(a, "media", "message_data.attachment.media", true));
      FAKE_RETURN_IF_ERROR(
          CheckString(a.at("media"), "id", "message_data.attachment.media.id", {}));
    } else {
      FAKE_RETURN_IF_ERROR(CheckObject(a, "location", "message_data.attachment.location", true));
    }
  }
  if (data.contains("ctas")) {
    FAKE_RETURN_IF_ERROR(CheckArray(data, "ctas", "message_data.ctas", 1, 3, true));
    for (size_t i = 0; i < data.at("ctas").size(); ++i) {
      const json& cta = data.at("ctas")[i];
      const std::string where = "message_data.ctas[" + Itoa(i) + "]";
      if (!cta.is_object()) return "Param " + where + " must be an object.";
      FAKE_RETURN_IF_ERROR(CheckKeys(cta, where, {"type", "label", "url"}));
      FAKE_RETURN_IF_ERROR(CheckEnum(cta, "type", where + ".type", true, {"web_url"}));
      FAKE_RETURN_IF_ERROR(CheckString(cta, "label", where + ".label", {.max = 36}));
      FAKE_RETURN_IF_ERROR(CheckString(cta, "url", where + ".url", {}));
    }
  }
  if (data.contains("quick_reply")) FAKE_RETURN_IF_ERROR(CheckX1QuickReply(data));
  return "";
}

// ---------------------------------------------------------------------------------------------
// Error bodies.

json GraphErrorJson(int code, int subcode, const std::string& message, const std::string& type,
                    const std::string& fbtrace_id, const std::string* whatsapp_details) {
  json error = {{"message", message}, {"type", type}, {"code", code}};
  if (subcode != 0) error["error_subcode"] = subcode;
  if (whatsapp_details != nullptr) {
    error["error_data"] = {{"messaging_product", "whatsapp"}, {"details", *whatsapp_details}};
  }
  error["fbtrace_id"] = fbtrace_id;
  return {{"error", error}};
}

json XProblem(int status, const std::string& title, const std::string& detail,
              const std::string& type) {
  return {{"title", title}, {"detail", detail}, {"type", type}, {"status", status}};
}

json XInvalidRequest(const std::string& reason) {
  return {{"errors", json::array({{{"message", reason}}})},
          {"title", "Invalid Request"},
          {"detail", "One or more parameters to your request was invalid."},
          {"type", "https://api.x.com/2/problems/invalid-request"}};
}

json XUnauthorized() { return XProblem(401, "Unauthorized", "Unauthorized", "about:blank"); }

json X1Error(int code, const std::string& message) {
  return {{"errors", json::array({{{"code", code}, {"message", message}}})}};
}

// The texts Meta sends for the codes the delivery tests use (platforms.md 1.11, 2.9). The
// gateway must act on codes, not on these texts; they are here so logs read naturally.
struct GraphCodeText {
  const char* message;
  const char* details;  // WhatsApp error_data.details; nullptr for non-WhatsApp codes
};

GraphCodeText GraphText(int code, int subcode) {
  switch (code) {
    case 1:
      return {"An unknown error occurred", nullptr};
    case 2:
      return {"An unexpected error has occurred. Please retry your request later.", nullptr};
    case 4:
      return {"(#4) Application request limit reached", nullptr};
    case 10:
      if (subcode == 2018278)
        return {"(#10) This message is sent outside of allowed window.", nullptr};
      return {"(#10) Application does not have permission for this action", nullptr};
    case 17:
      return {"(#17) User request limit reached", nullptr};
    case 32:
      return {"(#32) Page request limit reached", nullptr};
    case 100:
      return {"(#100) Invalid parameter", nullptr};
    case 190:
      return {"Error validating access token: Session has expired.", nullptr};
    case 551:
      return {"(#551) This person isn't available right now.", nullptr};
    case 613:
      return {"(#613) Calls to this api have exceeded the rate limit.", nullptr};
    case 80007:
      return {"(#80007) Rate limit issues",
              "The WhatsApp Business Account has reached its rate limit."};
    case 130429:
      return {"(#130429) Rate limit hit", "Cloud API message throughput has been reached."};
    case 131026:
      return {"(#131026) Message undeliverable",
              "Message could not be delivered to the recipient."};
    case 131047:
      return {"(#131047) Re-engagement message",
              "Message failed to send because more than 24 hours have passed since the customer "
              "last replied to this number."};
    case 131048:
      return {"(#131048) Spam rate limit hit",
              "Message failed to send because there are restrictions on how many messages can be "
              "sent from this phone number."};
    case 131056:
      return {"(#131056) (Business Account, Consumer Account) pair rate limit hit",
              "Message failed to send because there were too many messages sent from this phone "
              "number to the same phone number in a short period of time."};
    default:
      return {"", nullptr};
  }
}

std::string RandomHexTag(size_t n) {
  std::random_device rd;
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) out.push_back(kHex[rd() % 16]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// OAuth 1.0a Authorization header parsing.

// Parses `OAuth k="v", k2="v2"` into decoded pairs. False on anything malformed or a
// repeated parameter (RFC 5849 section 3.5.1: each parameter at most once).
bool ParseOAuthHeader(std::string_view header, std::map<std::string, std::string>* out) {
  if (!StartsWithNoCase(header, "OAuth ")) return false;
  size_t i = 6;
  while (i < header.size()) {
    while (i < header.size() && (header[i] == ' ' || header[i] == ',' || header[i] == '\t')) ++i;
    if (i >= header.size()) break;
    size_t eq = header.find('=', i);
    if (eq == std::string_view::npos) return false;
    std::string key(header.substr(i, eq - i));
    while (!key.empty() && key.back() == ' ') key.pop_back();
    i = eq + 1;
    if (i >= header.size() || header[i] != '"') return false;
    size_t close = header.find('"', i + 1);
    if (close == std::string_view::npos) return false;
    std::string value = PercentDecode(header.substr(i + 1, close - i - 1), false);
    if (!out->emplace(PercentDecode(key, false), value).second) return false;
    i = close + 1;
    if (i < header.size() && header[i] != ',' && header[i] != ' ') return false;
  }
  return !out->empty();
}

}  // namespace

// =============================================================================================
// Fault helpers.

Fault Fault::ServerError() { return Fault{}; }

Fault Fault::GraphError(int http_status, int code, int subcode) {
  Fault f;
  f.status = http_status;
  const GraphCodeText text = GraphText(code, subcode);
  const bool whatsapp_code = code == 80007 || (code >= 130000 && code < 140000);
  std::string message = text.message;
  if (message.empty()) message = "(#" + Itoa(code) + ") Error";
  const std::string details = text.details != nullptr ? text.details : "Error " + Itoa(code) + ".";
  json body = GraphErrorJson(code, subcode, message, "OAuthException",
                             "AFakeFault" + RandomHexTag(12), whatsapp_code ? &details : nullptr);
  // Throttling errors are transient; Graph says so, and clients may key retries on it.
  static const std::set<int> kTransient = {2, 4, 17, 32, 613, 80007, 130429, 131056};
  if (kTransient.count(code) != 0) body["error"]["is_transient"] = true;
  f.body = body.dump();
  return f;
}

Fault Fault::XRateLimited(int64_t reset_unix_seconds) {
  Fault f;
  f.status = 429;
  // Body left empty: filled per API when served (v2 problem JSON, v1.1 code 88).
  f.headers = {{"x-rate-limit-limit", "15"},
               {"x-rate-limit-remaining", "0"},
               {"x-rate-limit-reset", Itoa(reset_unix_seconds)}};
  return f;
}

Fault Fault::Timeout(std::chrono::milliseconds delay) {
  Fault f;
  f.status = 504;
  f.delay = delay;
  return f;
}

// =============================================================================================
// OAuth 1.0a.

namespace oauth1 {

std::string PercentEncode(std::string_view text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0F]);
    }
  }
  return out;
}

std::string SignatureBaseString(std::string_view method, std::string_view base_url,
                                const std::vector<std::pair<std::string, std::string>>& params) {
  // RFC 5849 3.4.1.3.2: encode first, then sort by name and value as encoded.
  std::vector<std::pair<std::string, std::string>> encoded;
  for (const auto& [k, v] : params) encoded.emplace_back(PercentEncode(k), PercentEncode(v));
  std::sort(encoded.begin(), encoded.end());
  std::string normalized;
  for (const auto& [k, v] : encoded) {
    if (!normalized.empty()) normalized += '&';
    normalized += k + "=" + v;
  }
  std::string upper(method);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper + "&" + PercentEncode(base_url) + "&" + PercentEncode(normalized);
}

std::string Sign(std::string_view base_string, std::string_view consumer_secret,
                 std::string_view token_secret) {
  const std::string key = PercentEncode(consumer_secret) + "&" + PercentEncode(token_secret);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(base_string.data()), base_string.size(), mac,
           &mac_len) == nullptr) {
    return "";
  }
  std::string b64(4 * ((mac_len + 2) / 3) + 1, '\0');
  int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), mac, static_cast<int>(mac_len));
  b64.resize(static_cast<size_t>(n));
  return b64;
}

std::string AuthorizationHeader(std::string_view method, std::string_view url,
                                std::string_view consumer_key, std::string_view consumer_secret,
                                std::string_view token, std::string_view token_secret,
                                std::string_view nonce, int64_t timestamp) {
  const std::string full(url);
  std::string base = full.substr(0, full.find('?'));
  // RFC 5849 3.4.1.2: scheme and host in lower case, the scheme's default port left out.
  const size_t scheme_end = base.find("://");
  if (scheme_end != std::string::npos) {
    const size_t host_end = std::min(base.find('/', scheme_end + 3), base.size());
    std::string authority = Lower(base.substr(0, host_end));
    const std::string default_port = authority.rfind("https://", 0) == 0 ? ":443" : ":80";
    if (authority.size() > default_port.size() &&
        authority.compare(authority.size() - default_port.size(), default_port.size(),
                          default_port) == 0) {
      authority.resize(authority.size() - default_port.size());
    }
    base = authority + base.substr(host_end);
  }
  std::vector<std::pair<std::string, std::string>> oauth = {
      {"oauth_consumer_key", std::string(consumer_key)},
      {"oauth_nonce", std::string(nonce)},
      {"oauth_signature_method", "HMAC-SHA1"},
      {"oauth_timestamp", Itoa(timestamp)},
      {"oauth_token", std::string(token)},
      {"oauth_version", "1.0"}};
  std::vector<std::pair<std::string, std::string>> params = oauth;
  for (auto& p : ParseFormEncoded(QueryOf(full))) params.push_back(std::move(p));
  const std::string signature =
      Sign(SignatureBaseString(method, base, params), consumer_secret, token_secret);
  oauth.emplace_back("oauth_signature", signature);
  std::sort(oauth.begin(), oauth.end());
  std::string header = "OAuth ";
  for (size_t i = 0; i < oauth.size(); ++i) {
    if (i != 0) header += ", ";
    header += PercentEncode(oauth[i].first) + "=\"" + PercentEncode(oauth[i].second) + "\"";
  }
  return header;
}

}  // namespace oauth1

// =============================================================================================
// FakePlatformApi.

FakePlatformApi::FakePlatformApi(int connection_threads)
    : instance_tag_(RandomHexTag(8)), connection_threads_(connection_threads) {
  std::random_device rd;
  // 19-digit ids like X's snowflakes, each fake in its own range.
  x_id_base_ = 1'800'000'000'000'000'000ULL + (rd() % 100'000'000ULL) * 1'000'000ULL;
}

FakePlatformApi::~FakePlatformApi() { Stop(); }

bool FakePlatformApi::Start() {
  if (server_ != nullptr) return true;
  auto server = std::make_unique<httplib::Server>();
  // More workers than httplib's default: keep-alive connections from several gateway
  // workers, plus requests parked in injected delays, each hold one.
  server->new_task_queue = [n = connection_threads_] {
    return new httplib::ThreadPool(static_cast<size_t>(n));
  };
  // Without it, Nagle's algorithm and delayed ACKs add ~40 ms to every answer on a kept-alive
  // connection (httplib writes headers and body separately).
  server->set_tcp_nodelay(true);
  server->Post(
      R"(/(v\d+\.\d+)/([^/]+)/messages)",
      [this](const httplib::Request& req, httplib::Response& res) { HandleGraph(req, res); });
  server->Post(R"(/2/dm_conversations/with/([^/]*)/messages)",
               [this](const httplib::Request& req, httplib::Response& res) { HandleX2(req, res); });
  server->Post(R"(/1\.1/direct_messages/events/new\.json)",
               [this](const httplib::Request& req, httplib::Response& res) { HandleX1(req, res); });
  auto unknown = [this](const httplib::Request& req, httplib::Response& res) {
    HandleUnknown(req, res);
  };
  server->Post(R"(.*)", unknown);
  server->Get(R"(.*)", unknown);
  server->Put(R"(.*)", unknown);
  server->Delete(R"(.*)", unknown);

  // httplib's listen backlog of 5 made several gateway workers connecting at once retry
  // after a second; the gateway's own server widens it the same way.
  const webhook::ListenSocket listen_socket(*server);
  const int port = server->bind_to_any_port("127.0.0.1");
  if (port <= 0 || !listen_socket.Widen()) return false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = false;
    port_ = port;
  }
  httplib::Server* raw = server.get();
  server_ = std::move(server);
  thread_ = std::thread([raw] { raw->listen_after_bind(); });
  // httplib's stop() does nothing until the accept loop runs, so a Stop() right after
  // Start() would otherwise leave the thread listening forever.
  for (int i = 0; i < 2000 && !raw->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (!raw->is_running()) {
    Stop();
    return false;
  }
  return true;
}

void FakePlatformApi::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (server_ != nullptr) server_->stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
}

int FakePlatformApi::port() const {
  std::lock_guard<std::mutex> lock(mu_);
  return port_;
}

std::string FakePlatformApi::base_url() const { return "http://127.0.0.1:" + Itoa(port()); }

void FakePlatformApi::AddWhatsAppNumber(const std::string& phone_number_id,
                                        const std::string& token) {
  std::lock_guard<std::mutex> lock(mu_);
  whatsapp_[phone_number_id] = token;
}

void FakePlatformApi::AddMessengerPage(const std::string& page_id, const std::string& token) {
  std::lock_guard<std::mutex> lock(mu_);
  messenger_[page_id] = token;
}

void FakePlatformApi::AddInstagramAccount(const std::string& ig_id, const std::string& token) {
  std::lock_guard<std::mutex> lock(mu_);
  instagram_[ig_id] = token;
}

void FakePlatformApi::AddXUser(const std::string& user_id, const std::string& oauth2_user_token) {
  std::lock_guard<std::mutex> lock(mu_);
  x_oauth2_[oauth2_user_token] = user_id;
}

void FakePlatformApi::AddXOAuth1User(const std::string& user_id, const std::string& consumer_key,
                                     const std::string& consumer_secret, const std::string& token,
                                     const std::string& token_secret) {
  std::lock_guard<std::mutex> lock(mu_);
  x_oauth1_.push_back({user_id, consumer_key, consumer_secret, token, token_secret});
}

void FakePlatformApi::set_oauth1_max_clock_skew(std::chrono::seconds skew) {
  std::lock_guard<std::mutex> lock(mu_);
  max_clock_skew_ = skew;
}

void FakePlatformApi::InjectFaults(const std::string& platform, std::vector<Fault> faults) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& queue = faults_[platform];
  for (Fault& f : faults) queue.push_back(std::move(f));
}

void FakePlatformApi::ClearFaults() {
  std::lock_guard<std::mutex> lock(mu_);
  faults_.clear();
}

std::vector<RecordedRequest> FakePlatformApi::Requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return records_;
}

std::vector<RecordedRequest> FakePlatformApi::Accepted() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<RecordedRequest> out;
  for (const RecordedRequest& r : records_) {
    if (r.status >= 200 && r.status < 300) out.push_back(r);
  }
  return out;
}

bool FakePlatformApi::WaitForRequests(size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mu_);
  return records_cv_.wait_for(lock, timeout, [&] { return records_.size() >= n; });
}

bool FakePlatformApi::WaitForAccepted(size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mu_);
  return records_cv_.wait_for(lock, timeout, [&] {
    return static_cast<size_t>(std::count_if(records_.begin(), records_.end(), [](const auto& r) {
             return r.status >= 200 && r.status < 300;
           })) >= n;
  });
}

void FakePlatformApi::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  records_.clear();
  max_calls_at_once_ = calls_at_once_;
  max_mark_reads_at_once_ = mark_reads_at_once_;
}

bool FakePlatformApi::PopFault(const std::string& platform, Fault* fault) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = faults_.find(platform);
  if (it == faults_.end() || it->second.empty()) return false;
  *fault = std::move(it->second.front());
  it->second.pop_front();
  return true;
}

void FakePlatformApi::Record(RecordedRequest rec) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    records_.push_back(std::move(rec));
  }
  records_cv_.notify_all();
}

class FakePlatformApi::CallInProgress {
 public:
  CallInProgress(FakePlatformApi& api, bool mark_read) : api_(api), mark_read_(mark_read) {
    std::chrono::milliseconds delay;
    {
      std::lock_guard<std::mutex> lock(api_.mu_);
      api_.max_calls_at_once_ = std::max(api_.max_calls_at_once_, ++api_.calls_at_once_);
      if (mark_read_) {
        api_.max_mark_reads_at_once_ =
            std::max(api_.max_mark_reads_at_once_, ++api_.mark_reads_at_once_);
      }
      delay = api_.answer_delay_;
    }
    api_.InterruptibleSleep(delay);
  }
  ~CallInProgress() {
    std::lock_guard<std::mutex> lock(api_.mu_);
    --api_.calls_at_once_;
    if (mark_read_) --api_.mark_reads_at_once_;
  }

 private:
  FakePlatformApi& api_;
  const bool mark_read_;
};

void FakePlatformApi::set_answer_delay(std::chrono::milliseconds delay) {
  std::lock_guard<std::mutex> lock(mu_);
  answer_delay_ = delay;
}

int FakePlatformApi::max_calls_at_once() const {
  std::lock_guard<std::mutex> lock(mu_);
  return max_calls_at_once_;
}

int FakePlatformApi::max_mark_reads_at_once() const {
  std::lock_guard<std::mutex> lock(mu_);
  return max_mark_reads_at_once_;
}

void FakePlatformApi::InterruptibleSleep(std::chrono::milliseconds delay) {
  if (delay.count() <= 0) return;
  std::unique_lock<std::mutex> lock(mu_);
  stop_cv_.wait_for(lock, delay, [&] { return stopping_; });
}

std::string FakePlatformApi::NextIdLocked(std::string_view prefix) {
  return std::string(prefix) + instance_tag_ + "_" + Itoa(static_cast<int64_t>(++counter_));
}

std::string FakePlatformApi::NextXEventIdLocked() {
  return std::to_string(x_id_base_ + ++counter_);
}

std::string FakePlatformApi::FbTraceIdLocked() { return NextIdLocked("AFake"); }

namespace {

RecordedRequest BaseRecord(const httplib::Request& req, const std::string& api) {
  RecordedRequest rec;
  rec.api = api;
  rec.path = req.target.empty() ? req.path : req.target;
  rec.raw_body = req.body;
  json body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  rec.body = body.is_discarded() ? json() : body;
  for (const auto& [name, value] : req.headers) rec.headers[Lower(name)] = value;
  return rec;
}

void SendJson(httplib::Response& res, int status, const json& body,
              const char* content_type = "application/json") {
  res.status = status;
  res.set_content(body.dump(), content_type);
}

}  // namespace

void FakePlatformApi::ServeFault(const Fault& fault, RecordedRequest rec, httplib::Response& res) {
  rec.status = fault.status;
  rec.error = "injected fault: HTTP " + Itoa(fault.status);
  std::string body = fault.body;
  if (body.empty()) {
    // The platform's generic answer for this status, so one Fault suits every platform.
    if (rec.api == "graph") {
      std::lock_guard<std::mutex> lock(mu_);
      json error = fault.status >= 500
                       ? GraphErrorJson(2, 0, GraphText(2, 0).message, "OAuthException",
                                        FbTraceIdLocked(), nullptr)
                       : GraphErrorJson(1, 0, GraphText(1, 0).message, "OAuthException",
                                        FbTraceIdLocked(), nullptr);
      if (fault.status >= 500) error["error"]["is_transient"] = true;
      body = error.dump();
    } else if (rec.api == "x2") {
      body = XProblem(fault.status, ReasonPhrase(fault.status), ReasonPhrase(fault.status),
                      "about:blank")
                 .dump();
    } else if (rec.api == "x1.1") {
      body = fault.status == 429 ? X1Error(88, "Rate limit exceeded").dump()
                                 : X1Error(131, "Internal error").dump();
    } else {
      body = json{{"error", ReasonPhrase(fault.status)}}.dump();
    }
  }
  Record(rec);  // before the delay: waiters see the request while the client still waits
  InterruptibleSleep(fault.delay);
  res.status = fault.status;
  std::string content_type = "application/json";
  for (const auto& [name, value] : fault.headers) {
    if (Lower(name) == "content-type") {
      content_type = value;
    } else {
      res.set_header(name, value);
    }
  }
  res.set_content(body, content_type);
}

FakePlatformApi::OAuth1Result FakePlatformApi::VerifyOAuth1Locked(const httplib::Request& req,
                                                                  std::string_view url_path) {
  OAuth1Result result;
  auto fail = [&](int status, int code, std::string message, std::string why) {
    result.user = nullptr;
    result.status = status;
    result.code = code;
    result.message = std::move(message);
    result.error = std::move(why);
    return result;
  };
  const std::string header = req.get_header_value("Authorization");
  if (header.empty()) {
    return fail(400, 215, "Bad Authentication data.", "no Authorization header");
  }
  std::map<std::string, std::string> p;
  if (!ParseOAuthHeader(header, &p)) {
    return fail(401, 32, "Could not authenticate you.",
                "Authorization is not a valid OAuth header");
  }
  for (const char* required : {"oauth_consumer_key", "oauth_token", "oauth_signature_method",
                               "oauth_timestamp", "oauth_nonce", "oauth_signature"}) {
    if (p.count(required) == 0) {
      return fail(401, 32, "Could not authenticate you.",
                  std::string("OAuth: missing ") + required);
    }
  }
  if (p["oauth_signature_method"] != "HMAC-SHA1") {
    return fail(401, 32, "Could not authenticate you.", "OAuth: signature method is not HMAC-SHA1");
  }
  if (p.count("oauth_version") != 0 && p["oauth_version"] != "1.0") {
    return fail(401, 32, "Could not authenticate you.", "OAuth: oauth_version is not 1.0");
  }
  const OAuth1User* user = nullptr;
  bool token_known = false;
  for (const OAuth1User& u : x_oauth1_) {
    if (u.token != p["oauth_token"]) continue;
    token_known = true;
    if (u.consumer_key == p["oauth_consumer_key"]) user = &u;
  }
  if (!token_known) {
    return fail(401, 89, "Invalid or expired token.", "OAuth: unknown oauth_token");
  }
  if (user == nullptr) {
    return fail(401, 32, "Could not authenticate you.", "OAuth: consumer key does not match");
  }
  if (!AllDigits(p["oauth_timestamp"]) || p["oauth_timestamp"].size() > 12) {
    return fail(401, 32, "Could not authenticate you.", "OAuth: timestamp is not a number");
  }
  if (max_clock_skew_.count() > 0 &&
      std::llabs(std::stoll(p["oauth_timestamp"]) - NowUnixSeconds()) > max_clock_skew_.count()) {
    return fail(401, 135, "Timestamp out of bounds.", "OAuth: timestamp too far from now");
  }

  // Base string URI from what the client addressed (Host header), as RFC 5849 3.4.1.2 says;
  // for the gateway that is base_url() + path.
  std::string host = Lower(req.get_header_value("Host"));
  if (host.empty()) host = "127.0.0.1:" + Itoa(port_);
  if (host.size() > 3 && host.compare(host.size() - 3, 3, ":80") == 0) host.resize(host.size() - 3);
  const std::string base_url = "http://" + host + std::string(url_path);

  std::vector<std::pair<std::string, std::string>> params;
  for (const auto& [k, v] : p) {
    if (k != "oauth_signature" && k != "realm") params.emplace_back(k, v);
  }
  for (auto& q : ParseFormEncoded(QueryOf(req.target))) params.push_back(std::move(q));
  // Form bodies are signed (RFC 5849 3.4.1.3.1); JSON bodies are not.
  if (StartsWithNoCase(req.get_header_value("Content-Type"), "application/x-www-form-urlencoded")) {
    for (auto& f : ParseFormEncoded(req.body)) params.push_back(std::move(f));
  }
  const std::string base_string = oauth1::SignatureBaseString(req.method, base_url, params);
  const std::string expected = oauth1::Sign(base_string, user->consumer_secret, user->token_secret);
  const std::string& given = p["oauth_signature"];
  if (expected.empty() || expected.size() != given.size() ||
      CRYPTO_memcmp(expected.data(), given.data(), expected.size()) != 0) {
    return fail(401, 32, "Could not authenticate you.",
                "OAuth: signature mismatch; expected base string: " + base_string);
  }
  // A nonce is good for one request (RFC 5849 3.3): a client that resends an old header
  // instead of signing again is refused.
  const std::string nonce_key = p["oauth_consumer_key"] + '\n' + p["oauth_token"] + '\n' +
                                p["oauth_timestamp"] + '\n' + p["oauth_nonce"];
  if (!seen_nonces_.insert(nonce_key).second) {
    return fail(401, 32, "Could not authenticate you.", "OAuth: nonce used before");
  }
  result.user = user;
  return result;
}

void FakePlatformApi::HandleGraph(const httplib::Request& req, httplib::Response& res) {
  RecordedRequest rec = BaseRecord(req, "graph");  // parses the body
  CallInProgress call(*this, rec.body.is_object() && rec.body.value("status", "") == "read");
  std::string id = req.matches[2];
  const std::string header_token = BearerToken(req);
  const std::string query_token = QueryParam(req, "access_token");

  // Which platform the path names. "/me/messages" names the Page or Instagram account the
  // token belongs to (Messenger and Instagram only).
  bool token_known = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const std::string any_token = header_token.empty() ? query_token : header_token;
    if (whatsapp_.count(id) != 0) {
      rec.platform = "whatsapp";
    } else if (messenger_.count(id) != 0) {
      rec.platform = "messenger";
    } else if (instagram_.count(id) != 0) {
      rec.platform = "instagram";
    }
    for (const auto* registry : {&whatsapp_, &messenger_, &instagram_}) {
      for (const auto& [account, token] : *registry) {
        if (token != any_token) continue;
        token_known = true;
        if (id == "me" && registry != &whatsapp_ && rec.platform.empty()) {
          id = account;
          rec.platform = registry == &messenger_ ? "messenger" : "instagram";
        }
        // An unknown id: attribute the request to the token's platform, for the record.
        if (rec.platform.empty() && id != "me") {
          rec.platform = registry == &whatsapp_    ? "whatsapp"
                         : registry == &messenger_ ? "messenger"
                                                   : "instagram";
        }
      }
    }
  }
  rec.account = id;
  const bool whatsapp = rec.platform == "whatsapp";
  const bool instagram = rec.platform == "instagram";
  const json body = IsJsonContentType(req) ? rec.body : json();

  Check check;
  std::string invalid =
      whatsapp ? CheckWhatsApp(body, check) : CheckMessengerOrInstagram(body, instagram, check);
  rec.kind = check.kind;
  rec.recipient = check.recipient;

  Fault fault;
  if (!rec.platform.empty() && PopFault(rec.platform, &fault)) {
    ServeFault(fault, std::move(rec), res);
    return;
  }

  std::lock_guard<std::mutex> lock(mu_);
  auto graph_fail = [&](int status, int code, int subcode, const std::string& message,
                        const std::string& type, const std::string& why, bool details) {
    rec.status = status;
    rec.error = why;
    SendJson(res, status,
             GraphErrorJson(code, subcode, message, type, FbTraceIdLocked(),
                            whatsapp && details ? &why : nullptr));
  };
  // WhatsApp takes the token only as a header (platforms.md 1.7); Messenger and Instagram
  // also as ?access_token=.
  const std::string token = whatsapp || !header_token.empty() ? header_token : query_token;
  const std::map<std::string, std::string>& accounts = whatsapp    ? whatsapp_
                                                       : instagram ? instagram_
                                                                   : messenger_;
  const auto account = accounts.find(id);
  const std::string registered = account == accounts.end() ? "" : account->second;

  if (token.empty()) {
    graph_fail(400, 2500, 0,
               "An active access token must be used to query information about the current user.",
               "OAuthException", "no access token", false);
  } else if (!token_known) {
    graph_fail(401, 190, 0, "Invalid OAuth access token - Cannot parse access token",
               "OAuthException", "invalid access token", false);
  } else if (registered.empty() || registered != token) {
    graph_fail(400, 100, 33,
               "Unsupported post request. Object with ID '" + id +
                   "' does not exist, cannot be loaded due to missing permissions, or does not "
                   "support this operation. Please read the Graph API documentation at "
                   "https://developers.facebook.com/docs/graph-api",
               "GraphMethodException", "unknown account or token of another account", false);
  } else if (!invalid.empty()) {
    graph_fail(400, 100, 0, whatsapp ? "(#100) Invalid parameter" : "(#100) " + invalid,
               "OAuthException", invalid, true);
  } else if (whatsapp && check.kind == "mark_read") {
    rec.status = 200;
    SendJson(res, 200, {{"success", true}});
  } else if (whatsapp) {
    rec.status = 200;
    rec.platform_message_id = NextIdLocked("wamid.FAKE");
    const std::string wa_id =
        check.recipient[0] == '+' ? check.recipient.substr(1) : check.recipient;
    SendJson(res, 200,
             {{"messaging_product", "whatsapp"},
              {"contacts", json::array({{{"input", check.recipient}, {"wa_id", wa_id}}})},
              {"messages", json::array({{{"id", rec.platform_message_id}}})}});
  } else if (check.kind == "sender_action") {
    // Sender actions create no message, so Meta answers without a message_id.
    rec.status = 200;
    SendJson(res, 200, {{"recipient_id", check.recipient}});
  } else {
    rec.status = 200;
    rec.platform_message_id = NextIdLocked("m_");
    SendJson(res, 200,
             {{"recipient_id", check.recipient}, {"message_id", rec.platform_message_id}});
  }
  res.set_header("facebook-api-version", std::string(req.matches[1]));
  records_.push_back(std::move(rec));
  records_cv_.notify_all();
}

// The user whose OAuth 1.0a token the request names (before its signature is checked), for
// the record; "" if none.
std::string FakePlatformApi::OAuth1SenderLocked(const httplib::Request& req) {
  std::map<std::string, std::string> p;
  if (!ParseOAuthHeader(req.get_header_value("Authorization"), &p)) return "";
  for (const OAuth1User& u : x_oauth1_) {
    if (u.token == p["oauth_token"]) return u.user_id;
  }
  return "";
}

void FakePlatformApi::HandleX2(const httplib::Request& req, httplib::Response& res) {
  CallInProgress call(*this, false);
  RecordedRequest rec = BaseRecord(req, "x2");
  rec.platform = "x";
  const std::string participant = req.matches[1];
  rec.recipient = participant;
  Check check;
  const std::string invalid = CheckX2(IsJsonContentType(req) ? rec.body : json(), check);
  rec.kind = check.kind;
  {
    // The sender, for the record, even if the request is later refused.
    std::lock_guard<std::mutex> lock(mu_);
    const std::string bearer = BearerToken(req);
    if (x_oauth2_.count(bearer) != 0) rec.account = x_oauth2_[bearer];
    if (rec.account.empty()) rec.account = OAuth1SenderLocked(req);
  }
  Fault fault;
  if (PopFault("x", &fault)) {
    ServeFault(fault, std::move(rec), res);
    return;
  }

  std::lock_guard<std::mutex> lock(mu_);
  auto problem = [&](int status, const json& body, const std::string& why) {
    rec.status = status;
    rec.error = why;
    SendJson(res, status, body, "application/problem+json");
  };
  // The spec allows an OAuth 2.0 user token or OAuth 1.0a user context; app-only is refused.
  const std::string auth = req.get_header_value("Authorization");
  std::string sender;
  std::string auth_error;
  if (StartsWithNoCase(auth, "OAuth ")) {
    OAuth1Result r = VerifyOAuth1Locked(req, PathOf(req.target));
    if (r.user != nullptr) {
      sender = r.user->user_id;
    } else {
      auth_error = r.error;
    }
  } else {
    const std::string bearer = BearerToken(req);
    if (x_oauth2_.count(bearer) != 0) {
      sender = x_oauth2_[bearer];
    } else {
      auth_error = bearer.empty() ? "no user token" : "unknown OAuth 2.0 user token";
    }
  }
  if (sender.empty()) {
    problem(401, XUnauthorized(), auth_error);
  } else if (!AllDigits(participant) || participant.size() > 19) {
    json body = XInvalidRequest("The `participant_id` path parameter value [" + participant +
                                "] does not match ^[0-9]{1,19}$");
    problem(400, body, "participant_id is not a numeric user id");
  } else if (!invalid.empty()) {
    problem(400, XInvalidRequest(invalid), invalid);
  } else {
    rec.status = 201;  // the spec's only success code for this path
    rec.platform_message_id = NextXEventIdLocked();
    const std::string conversation =
        NumericLess(sender, participant) ? sender + "-" + participant : participant + "-" + sender;
    SendJson(res, 201,
             {{"data",
               {{"dm_conversation_id", conversation}, {"dm_event_id", rec.platform_message_id}}}});
  }
  // X sends its rate-limit headers on every answer; clients are meant to read them.
  res.set_header("x-rate-limit-limit", "15");
  res.set_header("x-rate-limit-remaining", "14");
  res.set_header("x-rate-limit-reset", Itoa(NowUnixSeconds() + 900));
  records_.push_back(std::move(rec));
  records_cv_.notify_all();
}

void FakePlatformApi::HandleX1(const httplib::Request& req, httplib::Response& res) {
  CallInProgress call(*this, false);
  RecordedRequest rec = BaseRecord(req, "x1.1");
  rec.platform = "x";
  Check check;
  const std::string invalid = CheckX1(IsJsonContentType(req) ? rec.body : json(), check);
  rec.kind = check.kind;
  rec.recipient = check.recipient;
  {
    std::lock_guard<std::mutex> lock(mu_);
    rec.account = OAuth1SenderLocked(req);
  }
  Fault fault;
  if (PopFault("x", &fault)) {
    ServeFault(fault, std::move(rec), res);
    return;
  }

  std::lock_guard<std::mutex> lock(mu_);
  OAuth1Result auth = VerifyOAuth1Locked(req, PathOf(req.target));
  if (auth.user == nullptr) {
    rec.status = auth.status;
    rec.error = auth.error;
    SendJson(res, auth.status, X1Error(auth.code, auth.message));
  } else if (!invalid.empty()) {
    rec.status = 400;
    rec.error = invalid;
    SendJson(res, 400, X1Error(214, invalid));
  } else {
    rec.status = 200;
    rec.account = auth.user->user_id;
    rec.platform_message_id = NextXEventIdLocked();
    const json& mc = rec.body["event"]["message_create"];
    json message_data = mc["message_data"];
    message_data["entities"] = {{"hashtags", json::array()},
                                {"symbols", json::array()},
                                {"user_mentions", json::array()},
                                {"urls", json::array()}};
    SendJson(res, 200,
             {{"event",
               {{"type", "message_create"},
                {"id", rec.platform_message_id},
                {"created_timestamp", Itoa(NowUnixMillis())},
                {"message_create",
                 {{"target", mc["target"]},
                  {"sender_id", auth.user->user_id},
                  {"message_data", message_data}}}}}});
  }
  records_.push_back(std::move(rec));
  records_cv_.notify_all();
}

void FakePlatformApi::HandleUnknown(const httplib::Request& req, httplib::Response& res) {
  RecordedRequest rec = BaseRecord(req, "");
  static const std::regex kGraphLike(R"(/[^/]+/[^/]+/messages)");
  std::lock_guard<std::mutex> lock(mu_);
  if (req.method == "POST" && std::regex_match(req.path, kGraphLike)) {
    // A Graph send path with a malformed version segment.
    rec.api = "graph";
    rec.status = 400;
    rec.error = "path version is not vN.N";
    SendJson(res, 400,
             GraphErrorJson(2500, 0, "Unknown path components: " + req.path, "OAuthException",
                            FbTraceIdLocked(), nullptr));
  } else {
    rec.status = 404;
    rec.error = "the fake serves no " + req.method + " " + req.path;
    SendJson(res, 404, {{"error", rec.error}});
  }
  records_.push_back(std::move(rec));
  records_cv_.notify_all();
}

#undef FAKE_RETURN_IF_ERROR

}  // namespace wache::testing
