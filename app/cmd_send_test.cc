// wache send-test: sends a correctly signed example webhook of any platform to a running
// `wache serve`, the way the platform would, so operators can test an installation end to
// end. With --verify it runs the platform's subscription check (Meta hub.* or X CRC) instead.
#include <httplib.h>

#include <chrono>
#include <iostream>

#include "app/commands.h"
#include "app/loading.h"
#include "webhook/crypto.h"
#include "webhook/example_payloads.h"
#include "webhook/x/x_adapter.h"

namespace wache::app {

int RunSendTest(const CommonOptions& opts, const SendTestOptions& st) {
  auto loaded = LoadAll(opts);
  if (!ReportLoad(*loaded, std::cerr)) return 1;
  const bot::Account* account = ChooseAccount(loaded->config, st.platform, st.account);
  if (!account) {
    std::cerr << "wache send-test: no account "
              << (st.account.empty() ? "for platform '" + st.platform + "'"
                                     : "'" + st.account + "'")
              << " in " << opts.config << "\n";
    return 1;
  }
  const std::string platform = account->platform;
  auto pc = loaded->webhook.platforms.find(platform);
  if (pc == loaded->webhook.platforms.end()) {
    std::cerr << "wache send-test: platforms." << platform << " is not configured\n";
    return 1;
  }
  const std::string secret = pc->second.signing_secret.Resolve();
  if (secret.empty()) {
    std::cerr << "wache send-test: no secret to sign with: set "
              << pc->second.signing_secret.Describe() << "\n";
    return 1;
  }
  std::string url = st.url.empty() ? "http://" + loaded->webhook.server.host + ":" +
                                         std::to_string(loaded->webhook.server.port)
                                   : st.url;
  httplib::Client client(url);
  client.set_connection_timeout(5);
  client.set_read_timeout(10);
  const std::string path = "/webhook/" + platform;

  if (st.verify) {
    std::string query, expected;
    if (platform == "x") {
      std::string token = webhook::RandomHex(8);
      query = "?crc_token=" + token;
      expected = webhook::XSignatureHeaderValue(secret, token);
    } else {
      std::string challenge =
          std::to_string(std::chrono::system_clock::now().time_since_epoch().count() % 1000000000);
      query = "?hub.mode=subscribe&hub.verify_token=" +
              webhook::PercentEncode(pc->second.verify_token.Resolve()) +
              "&hub.challenge=" + challenge;
      expected = challenge;
    }
    httplib::Result res = client.Get((path + query).c_str());
    if (!res) {
      std::cerr << "wache send-test: cannot reach " << url << ": "
                << httplib::to_string(res.error()) << "\n";
      return 1;
    }
    bool ok = res->status == 200 && res->body.find(expected) != std::string::npos;
    std::cout << "subscription check " << platform << ": HTTP " << res->status << " " << res->body
              << "\n"
              << (ok ? "OK: the platform would accept this webhook URL\n" : "FAILED\n");
    return ok ? 0 : 1;
  }

  webhook::ExampleMessage m;
  m.account_ref = account->platform_id;
  m.sender = st.sender.empty() ? (platform == "whatsapp" ? "4915100000000" : "990000000000001")
                               : st.sender;
  auto now = std::chrono::system_clock::now();
  m.unix_seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  m.message_id =
      (platform == "whatsapp" ? "wamid.TEST"
       : platform == "x"      ? ""
                              : "m_TEST") +
      std::to_string(
          std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count());
  m.text = st.text;
  m.button_payload = st.button;
  m.image = st.image;
  const std::string body = webhook::ExampleWebhookBody(platform, m);
  auto [header, value] =
      webhook::SignatureHeader(platform, st.bad_signature ? secret + "-wrong" : secret, body);
  httplib::Headers headers = {{header, value}};
  auto res = client.Post(path.c_str(), headers, body, "application/json");
  if (!res) {
    std::cerr << "wache send-test: cannot reach " << url << path << ": "
              << httplib::to_string(res.error()) << " (is 'wache serve' running?)\n";
    return 1;
  }
  std::cout << "POST " << url << path << " (account " << account->id << ", message " << m.message_id
            << "): HTTP " << res->status << " " << res->body << "\n";
  if (st.show_body) std::cout << body << "\n";
  return res->status == 200 ? 0 : 1;
}

}  // namespace wache::app
