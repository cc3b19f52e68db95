// wache chat: talk to the bot in a terminal as a chosen platform and account. Buttons are
// shown as numbered choices; typing the number taps the button.
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "app/commands.h"
#include "app/loading.h"
#include "bot/engine.h"
#include "store/sqlite_state_store.h"

namespace wache::app {

int RunChat(const CommonOptions& opts, const std::string& platform, const std::string& account_id,
            bool in_memory) {
  auto loaded = LoadAll(opts);
  if (!ReportLoad(*loaded, std::cerr)) return 1;
  const bot::Account* account = ChooseAccount(loaded->config, platform, account_id);
  if (!account) {
    std::cerr << "wache chat: no account '" << account_id << "'"
              << " for platform '" << platform << "'; accounts:";
    for (const auto& a : loaded->config.accounts)
      std::cerr << " " << a.id << " (" << a.platform << ")";
    std::cerr << "\n";
    return 1;
  }
  const std::string chat_platform = platform.empty() ? account->platform : platform;

  // The embedded default: conversations live in the config's SQLite file, so a chat that is
  // restarted goes on where it stopped (within the conversation timeout).
  std::unique_ptr<bot::StateStore> store;
  std::string where = "memory";
  if (!in_memory) {
    std::error_code ec;
    std::filesystem::create_directories(
        std::filesystem::path(loaded->config.database).parent_path(), ec);
    auto opened = store::SqliteStateStore::Open(loaded->config.database);
    if (!opened.ok()) {
      std::cerr << "wache chat: " << opened.status().message()
                << " (use --memory to try without)\n";
      return 1;
    }
    store = std::move(opened).value();
    where = loaded->config.database;
  } else {
    store = std::make_unique<bot::MemoryStateStore>();
  }
  bot::FakeClock clock(bot::SystemClock().Now());
  bot::Engine engine(loaded->playbook, *store, clock);
  const bool tty = isatty(STDIN_FILENO);
  std::cout << "Wache chat as " << chat_platform << " account '" << account->id << "' ("
            << account->name << ", default language " << account->language
            << "); conversation state in " << where << ".\n"
            << "Type a message. A number taps a button. /wait 31m moves the clock, /reset starts "
               "over, /quit ends.\n";

  std::vector<bot::Button> buttons;
  int conversation = 1;
  std::string line;
  while (true) {
    if (tty) std::cout << "\nyou> " << std::flush;
    if (!std::getline(std::cin, line)) break;
    if (line == "/quit" || line == "/exit") break;
    if (line == "/reset") {
      ++conversation;
      buttons.clear();
      std::cout << "(new conversation)\n";
      continue;
    }
    if (line.rfind("/wait ", 0) == 0) {
      std::string d = line.substr(6);
      long n = std::atol(d.c_str());
      long unit = d.empty() ? 60 : (d.back() == 'h' ? 3600 : d.back() == 's' ? 1 : 60);
      clock.Advance(std::chrono::seconds(n * unit));
      std::cout << "(clock moved on by " << d << ")\n";
      continue;
    }
    if (!tty) std::cout << "\nyou> " << line << "\n";
    bot::InboundMessage msg;
    msg.platform = chat_platform;
    msg.account = account->id;
    msg.sender = "chat-" + std::to_string(conversation);
    // A number on its own taps the matching button, as a tap would on the phone.
    bool is_number = !line.empty() && line.size() <= 2 &&
                     line.find_first_not_of("0123456789") == std::string::npos;
    if (is_number && std::stoul(line) >= 1 && std::stoul(line) <= buttons.size()) {
      msg.button_payload = buttons[std::stoul(line) - 1].payload;
      std::cout << "      [tapped: " << buttons[std::stoul(line) - 1].label << "]\n";
    } else {
      msg.text = line;
    }
    auto d = engine.Handle(msg, *account);
    if (!d.ok()) {
      std::cout << "error: " << d.status().message() << "\n";
      continue;
    }
    buttons.clear();
    for (const auto& r : d.value().replies) {
      std::cout << "bot> " << r.text << "\n";
      int n = 0;
      for (const auto& b : r.buttons) std::cout << "     [" << ++n << "] " << b.label << "\n";
      if (!r.buttons.empty()) buttons = r.buttons;
    }
    std::cout << "     (flow: " << (d.value().flow.empty() ? "-" : d.value().flow)
              << ", language: " << d.value().language;
    for (const auto& f : d.value().flags) std::cout << ", " << f;
    std::cout << ")\n";
  }
  return 0;
}

}  // namespace wache::app
