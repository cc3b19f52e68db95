// wache simulate: JSON lines in (one inbound message each), JSON lines out (one decision
// each). Same sender = same conversation. For staff and operators checking many messages
// at once; documented in the README.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/loading.h"
#include "app/time_parse.h"
#include "bot/engine.h"
#include "store/sqlite_state_store.h"

namespace wache::app {

using nlohmann::json;

namespace {

std::string StringField(const json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

}  // namespace

int RunSimulate(const CommonOptions& opts, const std::string& state_db) {
  auto loaded = LoadAll(opts);
  if (!ReportLoad(*loaded, std::cerr)) return 1;

  bot::SystemClock clock;
  std::unique_ptr<bot::StateStore> store;
  if (state_db.empty()) {
    store = std::make_unique<bot::MemoryStateStore>();
  } else {
    auto opened = store::SqliteStateStore::Open(state_db);
    if (!opened.ok()) {
      std::cerr << "wache simulate: " << opened.status().message() << "\n";
      return 1;
    }
    store = std::move(opened).value();
  }
  bot::Engine engine(loaded->playbook, *store, clock);

  std::string line;
  int line_no = 0;
  while (std::getline(std::cin, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    json out;
    out["line"] = line_no;
    json in = json::parse(line, nullptr, /*allow_exceptions=*/false);
    auto fail = [&](const std::string& why) {
      out["error"] = why;
      std::cout << out.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
    };
    if (in.is_discarded() || !in.is_object()) {
      fail("not a JSON object; expected e.g. {\"sender\":\"u1\",\"text\":\"hallo\"}");
      continue;
    }
    bot::InboundMessage msg;
    std::string account_id = StringField(in, "account");
    const bot::Account* account = account_id.empty() ? &loaded->config.accounts.front()
                                                     : loaded->config.FindAccount(account_id);
    if (!account) {
      fail("unknown account '" + account_id + "'");
      continue;
    }
    msg.account = account->id;
    msg.platform = StringField(in, "platform");
    if (msg.platform.empty()) msg.platform = account->platform;
    msg.sender = StringField(in, "sender");
    if (msg.sender.empty()) msg.sender = "simulate";
    msg.message_id = StringField(in, "id");
    msg.text = StringField(in, "text");
    msg.button_payload = StringField(in, "button");
    if (std::string t = StringField(in, "time"); !t.empty()) {
      msg.time = ParseTime(t);
      if (!msg.time) {
        fail("time '" + t + "' is not ISO 8601 (2026-11-23T10:00:00Z) or Unix seconds");
        continue;
      }
    }
    if (msg.text.empty() && msg.button_payload.empty()) {
      fail("give \"text\" or \"button\"");
      continue;
    }
    auto decision = engine.Handle(msg, *account);
    if (!decision.ok()) {
      fail(decision.status().message());
      continue;
    }
    const bot::Decision& d = decision.value();
    out["sender"] = msg.sender;
    out["account"] = account->id;
    out["platform"] = msg.platform;
    out["flow"] = d.flow;
    out["step"] = d.step;
    out["language"] = d.language;
    out["flags"] = d.flags;
    out["matched"] = d.matched;
    out["waiting_for_answer"] = d.waiting_for_answer;
    json replies = json::array();
    for (const auto& r : d.replies) {
      json jr{{"template", r.template_key}, {"text", r.text}, {"language", r.language}};
      json buttons = json::array();
      for (const auto& b : r.buttons)
        buttons.push_back({{"payload", b.payload}, {"label", b.label}});
      if (!buttons.empty()) jr["buttons"] = buttons;
      replies.push_back(jr);
    }
    out["replies"] = replies;
    std::cout << out.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
    std::cout.flush();
  }
  return 0;
}

}  // namespace wache::app
