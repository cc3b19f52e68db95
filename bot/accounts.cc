#include "bot/accounts.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "bot/templates.h"
#include "bot/yaml_source.h"

namespace wache::bot {
namespace {

namespace fs = std::filesystem;

std::map<std::string, std::string> ReadVariables(YamlReader& r, const YAML::Node& node) {
  std::map<std::string, std::string> out;
  if (!node) return out;
  if (!node.IsMap()) {
    r.diags().Error(r.At(node), "variables: is a map of 'name: value' lines");
    return out;
  }
  for (const auto& kv : node) {
    std::string name = r.Key(kv.first);
    if (auto v = r.String(kv.second, "the value of variable '" + name + "'")) out[name] = *v;
  }
  return out;
}

std::string Resolve(const std::string& base_dir, const std::string& p) {
  if (p.empty() || fs::path(p).is_absolute() || base_dir.empty()) return p;
  return (fs::path(base_dir) / p).lexically_normal().string();
}

}  // namespace

const Account* GatewayConfig::FindAccount(const std::string& id) const {
  for (const auto& a : accounts) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

std::vector<std::string> GatewayConfig::VariableNames() const {
  std::set<std::string> names;
  for (const auto& a : accounts) {
    for (const auto& [k, v] : a.variables) names.insert(k);
  }
  return {names.begin(), names.end()};
}

namespace {
void ReadConfig(const YAML::Node& root, const std::string& name, const std::string& base_dir,
                GatewayConfig& cfg, Diagnostics& diags);
}  // namespace

GatewayConfig LoadConfigString(const std::string& yaml, const std::string& name,
                               const std::string& base_dir, Diagnostics& diags) {
  GatewayConfig cfg;
  cfg.file = name;
  auto root_opt = LoadYamlString(yaml, name, diags);
  if (!root_opt) return cfg;
  GuardYaml(name, diags, [&] { ReadConfig(*root_opt, name, base_dir, cfg, diags); });
  if (cfg.accounts.empty()) diags.Error({name, 1, 1}, "no accounts configured under 'accounts:'");
  return cfg;
}

namespace {
void ReadConfig(const YAML::Node& root, const std::string& name, const std::string& base_dir,
                GatewayConfig& cfg, Diagnostics& diags) {
  YamlReader r(name, diags);
  if (!root.IsMap()) {
    diags.Error(r.At(root), "the config is a map with 'defaults:' and 'accounts:'");
    return;
  }
  // `server` and `platforms` (and each account's `credentials`) belong to the webhook
  // gateway and are read and checked by webhook/webhook_config.cc.
  r.CheckKeys(root,
              {"flows", "templates", "database", "defaults", "accounts", "server", "platforms"},
              "the config");
  if (root["flows"]) cfg.flows_dir = r.String(root["flows"], "a folder").value_or(cfg.flows_dir);
  if (root["templates"]) {
    cfg.templates_dir = r.String(root["templates"], "a folder").value_or(cfg.templates_dir);
  }
  if (root["database"]) cfg.database = r.String(root["database"], "a file").value_or(cfg.database);
  cfg.flows_dir = Resolve(base_dir, cfg.flows_dir);
  cfg.templates_dir = Resolve(base_dir, cfg.templates_dir);
  if (cfg.database != ":memory:") cfg.database = Resolve(base_dir, cfg.database);

  Account defaults;
  const std::vector<std::string> kAccountKeys = {
      "id",        "platform",   "platform_id", "name", "language", "conversation_timeout_minutes",
      "variables", "credentials"};
  auto read_common = [&](const YAML::Node& node, Account& a) {
    if (node["language"])
      a.language = r.String(node["language"], "a language code").value_or(a.language);
    if (node["conversation_timeout_minutes"]) {
      int m = r.Int(node["conversation_timeout_minutes"], "minutes").value_or(30);
      if (m < 1)
        diags.Error(r.At(node["conversation_timeout_minutes"]),
                    "timeout must be at least 1 minute");
      a.conversation_timeout_minutes = std::max(1, m);
    }
    for (auto& [k, v] : ReadVariables(r, node["variables"])) a.variables[k] = v;
  };
  if (const YAML::Node& d = root["defaults"]) {
    r.CheckKeys(d, {"language", "conversation_timeout_minutes", "variables"}, "'defaults'");
    read_common(d, defaults);
  }
  if (const YAML::Node& accounts = root["accounts"]) {
    if (!accounts.IsSequence()) {
      diags.Error(r.At(accounts), "accounts: is a list, each account starting with '- id: ...'");
    } else {
      std::set<std::string> ids, platform_ids;
      for (const auto& node : accounts) {
        Account a = defaults;
        a.where = r.At(node);
        if (!node.IsMap()) {
          diags.Error(a.where, "an account is a map with id:, platform: and platform_id:");
          continue;
        }
        r.CheckKeys(node, kAccountKeys, "an account");
        if (node["id"]) a.id = r.String(node["id"], "an account id").value_or("");
        if (a.id.empty()) diags.Error(a.where, "account without 'id:'");
        if (node["platform"]) a.platform = r.String(node["platform"], "a platform").value_or("");
        bool known = false;
        for (const auto& p : KnownPlatforms()) known = known || p == a.platform;
        if (!known) {
          diags.Error(node["platform"] ? r.At(node["platform"]) : a.where,
                      "account '" + a.id +
                          "': platform must be whatsapp, messenger, instagram "
                          "or x" +
                          DidYouMean(a.platform, KnownPlatforms()));
        }
        if (node["platform_id"])
          a.platform_id = r.String(node["platform_id"], "an id").value_or("");
        if (node["name"]) a.name = r.String(node["name"], "a name").value_or("");
        read_common(node, a);
        if (!ids.insert(a.id).second)
          diags.Error(a.where, "account id '" + a.id + "' is used twice");
        if (!a.platform_id.empty() &&
            !platform_ids.insert(a.platform + ":" + a.platform_id).second) {
          diags.Error(a.where, "two accounts use " + a.platform + " id '" + a.platform_id + "'");
        }
        cfg.accounts.push_back(std::move(a));
      }
    }
  }
}
}  // namespace

GatewayConfig LoadConfig(const std::string& path, Diagnostics& diags) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    GatewayConfig cfg;
    diags.Error({path, 0, 0}, "cannot read config file (give another with --config FILE)");
    return cfg;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return LoadConfigString(buffer.str(), path, fs::path(path).parent_path().string(), diags);
}

}  // namespace wache::bot
