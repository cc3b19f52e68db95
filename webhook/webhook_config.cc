#include "webhook/webhook_config.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "bot/yaml_source.h"

namespace wache::webhook {
namespace {

namespace fs = std::filesystem;

SecretRef ReadSecret(bot::YamlReader& r, const bot::YamlNode& node, const std::string& what,
                     const std::string& base_dir) {
  SecretRef ref;
  ref.where = r.At(node);
  ref.written = true;
  if (!node.IsMap()) {
    r.diags().Error(ref.where,
                    what +
                        " is a secret: name where it comes from, e.g. "
                        "'{ env: WACHE_META_APP_SECRET }' or '{ file: secrets/app_secret }'; "
                        "secrets are never written into the config");
    return ref;
  }
  r.CheckKeys(node, {"env", "file"}, what);
  if (node["env"]) ref.env = r.String(node["env"], "an environment variable name").value_or("");
  if (node["file"]) {
    ref.file = r.String(node["file"], "a file").value_or("");
    if (!ref.file.empty() && !fs::path(ref.file).is_absolute() && !base_dir.empty()) {
      ref.file = (fs::path(base_dir) / ref.file).lexically_normal().string();
    }
  }
  if (!ref.configured()) r.diags().Error(ref.where, what + ": give 'env:' or 'file:'");
  return ref;
}

void ReadServer(bot::YamlReader& r, const bot::YamlNode& node, ServerConfig& s) {
  if (!node.IsMap()) {
    r.diags().Error(r.At(node),
                    "server: is a map (host, port, max_body_kb, workers, connection_threads, "
                    "senders, send_timeout_seconds, retention_days, handover_idle_minutes, "
                    "reload_watch_seconds, web_dir)");
    return;
  }
  r.CheckKeys(node,
              {"host", "port", "max_body_kb", "workers", "connection_threads", "senders",
               "send_timeout_seconds", "retention_days", "handover_idle_minutes",
               "reload_watch_seconds", "web_dir"},
              "'server'");
  if (node["host"]) s.host = r.String(node["host"], "a host name or address").value_or(s.host);
  if (node["web_dir"]) s.web_dir = r.String(node["web_dir"], "a folder").value_or(s.web_dir);
  auto read_int = [&](const char* key, int lo, int hi, int& out) {
    if (!node[key]) return;
    auto v = r.Int(node[key], "a number");
    if (!v) return;
    if (*v < lo || *v > hi) {
      r.diags().Error(r.At(node[key]), std::string(key) + " must be between " + std::to_string(lo) +
                                           " and " + std::to_string(hi));
      return;
    }
    out = *v;
  };
  read_int("port", 0, 65535, s.port);
  int kb = static_cast<int>(s.max_body_bytes / 1024);
  read_int("max_body_kb", 1, 64 * 1024, kb);
  s.max_body_bytes = static_cast<size_t>(kb) * 1024;
  read_int("workers", 1, 64, s.workers);
  read_int("connection_threads", 1, 4096, s.connection_threads);
  read_int("senders", 1, 1024, s.senders);
  read_int("send_timeout_seconds", 1, 120, s.send_timeout_seconds);
  read_int("retention_days", 0, 3650, s.retention_days);
  read_int("handover_idle_minutes", 1, 7 * 24 * 60, s.handover_idle_minutes);
  read_int("reload_watch_seconds", 0, 3600, s.reload_watch_seconds);
}

// `{ messages: 15, minutes: 15 }` (also seconds: / hours:), for pacing and budgets.
std::optional<std::pair<int, std::chrono::seconds>> ReadRate(bot::YamlReader& r,
                                                             const bot::YamlNode& node,
                                                             const std::string& what,
                                                             std::vector<std::string> extra_keys) {
  const std::string form = what + " is a map like { messages: 15, minutes: 15 }";
  if (!node.IsMap()) {
    r.diags().Error(r.At(node), form);
    return std::nullopt;
  }
  std::vector<std::string> keys = {"messages", "seconds", "minutes", "hours"};
  keys.insert(keys.end(), extra_keys.begin(), extra_keys.end());
  r.CheckKeys(node, keys, what);
  std::optional<int> messages;
  if (node["messages"]) messages = r.Int(node["messages"], "a number");
  long long secs = 0;
  int units = 0;
  for (auto [key, factor] : {std::pair{"seconds", 1}, {"minutes", 60}, {"hours", 3600}}) {
    if (!node[key]) continue;
    ++units;
    if (auto v = r.Int(node[key], "a number")) secs = static_cast<long long>(*v) * factor;
  }
  if (!messages || *messages < 1 || units != 1 || secs < 1) {
    r.diags().Error(r.At(node), form +
                                    " (messages at least 1, and one of seconds, minutes, "
                                    "hours)");
    return std::nullopt;
  }
  return std::pair{*messages, std::chrono::seconds(secs)};
}

void ReadPolicy(bot::YamlReader& r, const std::string& name, const bot::YamlNode& node,
                PlatformPolicy& p) {
  const std::string prefix = "platforms." + name + ".";
  if (const bot::YamlNode& pacing = node["pacing"]) {
    if (pacing.IsScalar() && pacing.Scalar() == "off") {
      p.pacing = {};
    } else if (auto rate = ReadRate(r, pacing, prefix + "pacing", {})) {
      p.pacing = {rate->first, rate->second};
    }
  }
  if (const bot::YamlNode& budgets = node["dm_budget"]) {
    p.budgets.clear();
    if (budgets.IsScalar() && budgets.Scalar() == "off") return;
    if (!budgets.IsSequence()) {
      r.diags().Error(r.At(budgets), prefix +
                                         "dm_budget is a list like [{ messages: 15, minutes: 15 "
                                         "}, { messages: 1440, hours: 24, scope: app }]");
    } else {
      for (const auto& b : budgets) {
        auto rate = ReadRate(r, b, prefix + "dm_budget[]", {"scope"});
        if (!rate) continue;
        BudgetRule rule{rate->first, rate->second, false};
        if (b["scope"]) {
          std::string scope = r.String(b["scope"], "account or app").value_or("account");
          if (scope != "account" && scope != "app") {
            r.diags().Error(r.At(b["scope"]), "scope is 'account' (default) or 'app'");
          }
          rule.whole_app = scope == "app";
        }
        p.budgets.push_back(rule);
      }
    }
  }
  if (node["emergency_reserve"]) {
    p.emergency_reserve = std::max(0, r.Int(node["emergency_reserve"], "a number").value_or(0));
  }
  if (const bot::YamlNode& t = node["window_template"]) {
    if (!t.IsMap() || !t["name"]) {
      r.diags().Error(r.At(t), prefix +
                                   "window_template is a map like { name: wache_follow_up, "
                                   "languages: [de, en] } naming a template Meta approved");
      return;
    }
    r.CheckKeys(t, {"name", "languages"}, prefix + "window_template");
    p.window_template.name = r.String(t["name"], "the template's name").value_or("");
    if (const bot::YamlNode& langs = t["languages"]) {
      if (!langs.IsSequence()) {
        r.diags().Error(r.At(langs), "languages is a list like [de, en]");
      } else {
        for (const auto& l : langs) {
          if (auto code = r.String(l, "a language code"))
            p.window_template.languages.push_back(*code);
        }
      }
    }
  }
}

PlatformConfig ReadPlatform(bot::YamlReader& r, const std::string& name, const bot::YamlNode& node,
                            const std::string& base_dir) {
  PlatformConfig p;
  p.where = r.At(node);
  p.api_base_url = DefaultApiBaseUrl(name);
  if (!node.IsMap()) {
    r.diags().Error(p.where, "platforms." + name + " is a map");
    return p;
  }
  const bool is_x = name == "x";
  p.policy = DefaultPolicy(name);
  std::vector<std::string> keys = {"api_base_url", "pacing", "dm_budget", "emergency_reserve"};
  if (is_x) {
    keys.insert(keys.end(), {"consumer_secret", "consumer_key", "send_api"});
  } else {
    keys.insert(keys.end(), {"app_secret", "verify_token", "api_version"});
    if (name == "whatsapp") keys.insert(keys.end(), {"mark_read", "window_template"});
  }
  r.CheckKeys(node, keys, "platforms." + name);
  const char* secret_key = is_x ? "consumer_secret" : "app_secret";
  if (node[secret_key]) {
    p.signing_secret = ReadSecret(r, node[secret_key], std::string(secret_key), base_dir);
  }
  if (node["verify_token"])
    p.verify_token = ReadSecret(r, node["verify_token"], "verify_token", base_dir);
  if (node["consumer_key"])
    p.consumer_key = ReadSecret(r, node["consumer_key"], "consumer_key", base_dir);
  if (node["api_base_url"]) {
    std::string url = r.String(node["api_base_url"], "a URL").value_or("");
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
      r.diags().Error(r.At(node["api_base_url"]),
                      "api_base_url must start with https:// (or "
                      "http:// for a local test API)");
    } else {
      while (!url.empty() && url.back() == '/') url.pop_back();
      p.api_base_url = url;
    }
  }
  if (node["api_version"]) {
    p.options.api_version = r.String(node["api_version"], "a version like v23.0").value_or("v23.0");
    if (p.options.api_version.empty() || p.options.api_version[0] != 'v') {
      r.diags().Error(r.At(node["api_version"]), "api_version looks like 'v23.0'");
    }
  }
  if (node["mark_read"])
    p.options.mark_read = r.Bool(node["mark_read"], "true or false").value_or(true);
  if (node["send_api"]) {
    std::string api = r.String(node["send_api"], "v2 or v1.1").value_or("v2");
    if (api != "v2" && api != "v1.1") {
      r.diags().Error(r.At(node["send_api"]), "send_api is 'v2' (text) or 'v1.1' (quick replies)");
    } else {
      p.options.x_send_api = api;
    }
  }
  ReadPolicy(r, name, node, p.policy);
  return p;
}

}  // namespace

std::string SecretRef::Resolve() const {
  if (!env.empty()) {
    if (const char* v = std::getenv(env.c_str()); v && *v) return v;
  }
  if (!file.empty()) {
    std::ifstream in(file);
    std::string line;
    if (in && std::getline(in, line)) {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
      return line;
    }
  }
  return "";
}

std::string SecretRef::Describe() const {
  std::string out;
  if (!env.empty()) out = "environment variable " + env;
  if (!file.empty()) out += (out.empty() ? "file " : " or file ") + file;
  return out.empty() ? "nothing" : out;
}

std::string DefaultApiBaseUrl(const std::string& platform) {
  return platform == "x" ? "https://api.x.com" : "https://graph.facebook.com";
}

WebhookConfig LoadWebhookConfig(const std::string& path, const bot::GatewayConfig& gateway,
                                bot::Diagnostics& diags) {
  WebhookConfig cfg;
  const std::string base_dir = fs::path(path).parent_path().string();
  std::set<std::string> used_platforms;
  for (const auto& a : gateway.accounts) used_platforms.insert(a.platform);

  auto root = bot::LoadYamlFile(path, diags);
  if (!root) return cfg;
  bot::GuardYaml(path, diags, [&] {
    bot::YamlReader r(path, diags);
    if (!root->IsMap()) return;  // bot/accounts.cc reports this
    if (const bot::YamlNode& server = (*root)["server"]) ReadServer(r, server, cfg.server);
    if (!fs::path(cfg.server.web_dir).is_absolute() && !base_dir.empty()) {
      cfg.server.web_dir = (fs::path(base_dir) / cfg.server.web_dir).lexically_normal().string();
    }
    if (const bot::YamlNode& platforms = (*root)["platforms"]) {
      if (!platforms.IsMap()) {
        diags.Error(r.At(platforms),
                    "platforms: is a map with whatsapp:, messenger:, instagram:, x:");
      } else {
        r.CheckKeys(platforms, {"whatsapp", "messenger", "instagram", "x"}, "'platforms'");
        for (const auto& kv : platforms) {
          std::string name = r.Key(kv.first);
          if (name == "whatsapp" || name == "messenger" || name == "instagram" || name == "x") {
            cfg.platforms[name] = ReadPlatform(r, name, kv.second, base_dir);
          }
        }
      }
    }
    for (const auto& platform : used_platforms) {
      // A secret that is written but malformed was reported by ReadSecret already.
      auto it = cfg.platforms.find(platform);
      if (it == cfg.platforms.end() || !it->second.signing_secret.written) {
        diags.Error({path, 1, 1},
                    "accounts use " + platform + " but platforms." + platform + "." +
                        (platform == "x" ? "consumer_secret" : "app_secret") +
                        " is not set: add it under 'platforms:' as '{ env: NAME }' or "
                        "'{ file: PATH }' so webhooks can be verified");
      } else if (platform != "x" && !it->second.verify_token.written) {
        diags.Error(it->second.where, "platforms." + platform +
                                          ".verify_token is not set (the token typed into "
                                          "Meta's App Dashboard)");
      }
    }
    if (const bot::YamlNode& accounts = (*root)["accounts"]; accounts && accounts.IsSequence()) {
      for (const auto& node : accounts) {
        if (!node.IsMap() || !node["credentials"]) continue;
        std::string id = node["id"] && node["id"].IsScalar() ? node["id"].Scalar() : "";
        const bot::YamlNode& c = node["credentials"];
        AccountCredentials creds;
        if (!c.IsMap()) {
          diags.Error(r.At(c),
                      "credentials: is a map (access_token, or oauth_token and "
                      "oauth_token_secret for X v1.1)");
          continue;
        }
        r.CheckKeys(c, {"access_token", "oauth_token", "oauth_token_secret"}, "credentials");
        if (c["access_token"])
          creds.access_token = ReadSecret(r, c["access_token"], "access_token", base_dir);
        if (c["oauth_token"])
          creds.oauth_token = ReadSecret(r, c["oauth_token"], "oauth_token", base_dir);
        if (c["oauth_token_secret"]) {
          creds.oauth_token_secret =
              ReadSecret(r, c["oauth_token_secret"], "oauth_token_secret", base_dir);
        }
        cfg.credentials[id] = creds;
      }
    }
  });
  return cfg;
}

}  // namespace wache::webhook
