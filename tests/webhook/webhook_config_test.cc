// LoadWebhookConfig and SecretRef: the gateway's part of the config file (server, platforms,
// account credentials), read from real files in a temporary folder after bot::LoadConfig, as
// `wache serve` does. Secrets are only ever named (env and/or file), never written inline.
#include "webhook/webhook_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "bot/accounts.h"
#include "bot/diagnostics.h"

namespace wache::webhook {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::HasSubstr;

// A fresh folder under the system temp dir, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() / ("wache_webhook_config_test_" + std::to_string(getpid()) +
                                         "_" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

  fs::path Write(const std::string& relative, const std::string& content) const {
    fs::path p = path_ / relative;
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out << content;
    return p;
  }

 private:
  fs::path path_;
};

std::string Messages(const bot::Diagnostics& d) {
  std::string out;
  for (const auto& item : d.all()) out += item.message + "\n";
  return out;
}

struct Loaded {
  bot::GatewayConfig gateway;
  WebhookConfig config;
  bot::Diagnostics gateway_diags;
  bot::Diagnostics diags;  // LoadWebhookConfig's own
};

Loaded LoadFile(const fs::path& path) {
  Loaded l;
  l.gateway = bot::LoadConfig(path.string(), l.gateway_diags);
  l.config = LoadWebhookConfig(path.string(), l.gateway, l.diags);
  return l;
}

// A config file from its `platforms:` and `accounts:` entries and an optional `server:`
// section; the database is in memory so no path is resolved.
std::string Config(const std::string& platforms, const std::string& accounts,
                   const std::string& server = "") {
  return "database: \":memory:\"\n" + server + "platforms:\n" + platforms + "accounts:\n" +
         accounts;
}

const char kWhatsAppPlatform[] =
    "  whatsapp:\n"
    "    app_secret: { env: WACHE_TEST_APP_SECRET }\n"
    "    verify_token: { env: WACHE_TEST_VERIFY_TOKEN }\n";

const char kWhatsAppAccount[] =
    "  - id: wa\n"
    "    platform: whatsapp\n"
    "    platform_id: \"100000000000001\"\n";

TEST(WebhookConfigTest, TheShippedConfigLoadsWithoutErrors) {
  const fs::path path = fs::path(WACHE_SOURCE_DIR) / "config/wache.yaml";
  Loaded l = LoadFile(path);
  EXPECT_FALSE(l.gateway_diags.has_errors()) << l.gateway_diags.Format();
  EXPECT_EQ(l.diags.error_count(), 0) << l.diags.Format();
  EXPECT_EQ(l.diags.warning_count(), 0) << l.diags.Format();

  EXPECT_EQ(l.config.server.host, "127.0.0.1");
  EXPECT_EQ(l.config.server.port, 8080);
  EXPECT_EQ(l.config.server.max_body_bytes, 1024u * 1024u);
  EXPECT_EQ(l.config.server.workers, 2);
  EXPECT_EQ(l.config.server.senders, 256);
  EXPECT_EQ(l.config.server.send_timeout_seconds, 10);

  ASSERT_EQ(l.config.platforms.size(), 4u);
  const PlatformConfig& wa = l.config.platforms.at("whatsapp");
  EXPECT_EQ(wa.signing_secret.env, "WACHE_META_APP_SECRET");
  EXPECT_EQ(wa.signing_secret.file,
            (fs::path(WACHE_SOURCE_DIR) / "var/secrets/meta_app_secret").lexically_normal());
  EXPECT_EQ(wa.verify_token.env, "WACHE_META_VERIFY_TOKEN");
  EXPECT_EQ(wa.api_base_url, "https://graph.facebook.com");
  EXPECT_EQ(wa.options.api_version, "v23.0");
  EXPECT_TRUE(wa.options.mark_read);
  const PlatformConfig& x = l.config.platforms.at("x");
  EXPECT_EQ(x.signing_secret.env, "WACHE_X_CONSUMER_SECRET");
  EXPECT_EQ(x.consumer_key.env, "WACHE_X_CONSUMER_KEY");
  EXPECT_EQ(x.options.x_send_api, "v2");
  EXPECT_EQ(x.api_base_url, "https://api.x.com");

  ASSERT_EQ(l.config.credentials.size(), 4u);
  EXPECT_EQ(l.config.credentials.at("nrw-recruiting").access_token.env,
            "WACHE_TOKEN_NRW_RECRUITING");
  EXPECT_EQ(l.config.credentials.at("dortmund-x").access_token.env, "WACHE_TOKEN_DORTMUND_X");
}

TEST(WebhookConfigTest, TheInboxFolderIsFoundRelativeToTheConfigLikeTheFlows) {
  TempDir dir;
  Loaded l = LoadFile(dir.Write("wache.yaml", Config(kWhatsAppPlatform, kWhatsAppAccount)));
  EXPECT_EQ(l.config.server.web_dir, (dir.path() / "web/inbox").lexically_normal());
  l = LoadFile(dir.Write("conf/wache.yaml", Config(kWhatsAppPlatform, kWhatsAppAccount,
                                                   "server: { web_dir: ../site/inbox }\n")));
  EXPECT_FALSE(l.diags.has_errors()) << l.diags.Format();
  EXPECT_EQ(l.config.server.web_dir, (dir.path() / "site/inbox").lexically_normal());
  l = LoadFile(dir.Write("wache.yaml", Config(kWhatsAppPlatform, kWhatsAppAccount,
                                              "server: { web_dir: /srv/wache/inbox }\n")));
  EXPECT_EQ(l.config.server.web_dir, "/srv/wache/inbox");
  const Loaded shipped = LoadFile(fs::path(WACHE_SOURCE_DIR) / "config/wache.yaml");
  EXPECT_EQ(shipped.config.server.web_dir,
            (fs::path(WACHE_SOURCE_DIR) / "web/inbox").lexically_normal());
}

TEST(WebhookConfigTest, AMinimalConfigLoadsWithDefaults) {
  TempDir dir;
  Loaded l = LoadFile(dir.Write("wache.yaml", Config(kWhatsAppPlatform, kWhatsAppAccount)));
  ASSERT_FALSE(l.gateway_diags.has_errors()) << l.gateway_diags.Format();
  EXPECT_FALSE(l.diags.has_errors()) << l.diags.Format();
  EXPECT_EQ(l.config.server.host, "127.0.0.1");
  EXPECT_EQ(l.config.server.port, 8080);
  const PlatformConfig& wa = l.config.platforms.at("whatsapp");
  EXPECT_EQ(wa.api_base_url, DefaultApiBaseUrl("whatsapp"));
  EXPECT_EQ(wa.options.api_version, "v23.0");
  EXPECT_EQ(wa.signing_secret.env, "WACHE_TEST_APP_SECRET");
  EXPECT_EQ(wa.verify_token.env, "WACHE_TEST_VERIFY_TOKEN");
}

TEST(WebhookConfigTest, ASecretWrittenAsAPlainStringIsAnErrorThatSaysToUseEnvOrFile) {
  TempDir dir;
  Loaded l = LoadFile(dir.Write("wache.yaml", Config("  whatsapp:\n"
                                                     "    app_secret: 8f1d2c3b4a5e6f70\n"
                                                     "    verify_token: { env: T }\n",
                                                     kWhatsAppAccount)));
  ASSERT_TRUE(l.diags.has_errors());
  const std::string all = Messages(l.diags);
  EXPECT_THAT(all, AllOf(HasSubstr("app_secret"), HasSubstr("env:"), HasSubstr("file:"),
                         HasSubstr("never written into the config")));
  // The secret itself is never repeated in a message.
  EXPECT_THAT(all, ::testing::Not(HasSubstr("8f1d2c3b4a5e6f70")));
}

TEST(WebhookConfigTest, APlainStringCredentialIsAnErrorToo) {
  TempDir dir;
  Loaded l = LoadFile(dir.Write("wache.yaml", Config(kWhatsAppPlatform,
                                                     "  - id: wa\n"
                                                     "    platform: whatsapp\n"
                                                     "    platform_id: \"1\"\n"
                                                     "    credentials:\n"
                                                     "      access_token: EAAGm0PX4ZCpsBA\n")));
  ASSERT_TRUE(l.diags.has_errors());
  EXPECT_THAT(Messages(l.diags), AllOf(HasSubstr("access_token"), HasSubstr("env:")));
}

TEST(WebhookConfigTest, ASecretWithNeitherEnvNorFileIsAnError) {
  TempDir dir;
  Loaded l = LoadFile(dir.Write("wache.yaml", Config("  whatsapp:\n"
                                                     "    app_secret: {}\n"
                                                     "    verify_token: { env: T }\n",
                                                     kWhatsAppAccount)));
  ASSERT_TRUE(l.diags.has_errors());
  EXPECT_THAT(Messages(l.diags), HasSubstr("give 'env:' or 'file:'"));
}

TEST(WebhookConfigTest, APlatformUsedByAccountsWithoutAppSecretIsAnErrorNamingItAndTheFix) {
  TempDir dir;
  Loaded l =
      LoadFile(dir.Write("wache.yaml", Config(kWhatsAppPlatform, std::string(kWhatsAppAccount) +
                                                                     "  - id: fb\n"
                                                                     "    platform: messenger\n"
                                                                     "    platform_id: \"2\"\n")));
  ASSERT_FALSE(l.gateway_diags.has_errors()) << l.gateway_diags.Format();
  ASSERT_EQ(l.diags.error_count(), 1) << l.diags.Format();
  EXPECT_THAT(Messages(l.diags), AllOf(HasSubstr("messenger"), HasSubstr("platforms.messenger"),
                                       HasSubstr("app_secret"), HasSubstr("{ env: NAME }")));
}

TEST(WebhookConfigTest, AnXAccountWithoutConsumerSecretNamesConsumerSecret) {
  TempDir dir;
  Loaded l = LoadFile(dir.Write("wache.yaml", Config("  x:\n"
                                                     "    send_api: v2\n",
                                                     "  - id: xa\n"
                                                     "    platform: x\n"
                                                     "    platform_id: \"3\"\n")));
  ASSERT_TRUE(l.diags.has_errors());
  EXPECT_THAT(Messages(l.diags),
              AllOf(HasSubstr("platforms.x.consumer_secret"), HasSubstr("{ env: NAME }")));
}

TEST(WebhookConfigTest, AMetaPlatformWithoutVerifyTokenIsAnError) {
  TempDir dir;
  Loaded l = LoadFile(dir.Write("wache.yaml", Config("  whatsapp:\n"
                                                     "    app_secret: { env: S }\n",
                                                     kWhatsAppAccount)));
  ASSERT_TRUE(l.diags.has_errors());
  EXPECT_THAT(Messages(l.diags), HasSubstr("platforms.whatsapp.verify_token"));
}

TEST(WebhookConfigTest, APlatformWithoutAccountsNeedsNoSecret) {
  TempDir dir;
  Loaded l = LoadFile(
      dir.Write("wache.yaml", Config(std::string(kWhatsAppPlatform) + "  instagram:\n"
                                                                      "    api_version: v24.0\n",
                                     kWhatsAppAccount)));
  EXPECT_FALSE(l.diags.has_errors()) << l.diags.Format();
  EXPECT_EQ(l.config.platforms.at("instagram").options.api_version, "v24.0");
}

TEST(WebhookConfigTest, APortOutsideTheValidRangeIsAnError) {
  TempDir dir;
  Loaded l = LoadFile(dir.Write(
      "wache.yaml", Config(kWhatsAppPlatform, kWhatsAppAccount, "server:\n  port: 70000\n")));
  ASSERT_TRUE(l.diags.has_errors());
  EXPECT_THAT(Messages(l.diags), AllOf(HasSubstr("port"), HasSubstr("65535")));
  EXPECT_EQ(l.config.server.port, 8080);  // the bad value is not taken
}

TEST(WebhookConfigTest, ServerSettingsAreRead) {
  TempDir dir;
  Loaded l = LoadFile(dir.Write("wache.yaml", Config(kWhatsAppPlatform, kWhatsAppAccount,
                                                     "server:\n"
                                                     "  host: 0.0.0.0\n"
                                                     "  port: 9090\n"
                                                     "  max_body_kb: 64\n"
                                                     "  workers: 4\n"
                                                     "  senders: 100\n"
                                                     "  send_timeout_seconds: 30\n")));
  EXPECT_FALSE(l.diags.has_errors()) << l.diags.Format();
  EXPECT_EQ(l.config.server.host, "0.0.0.0");
  EXPECT_EQ(l.config.server.port, 9090);
  EXPECT_EQ(l.config.server.max_body_bytes, 64u * 1024u);
  EXPECT_EQ(l.config.server.workers, 4);
  EXPECT_EQ(l.config.server.senders, 100);
  EXPECT_EQ(l.config.server.send_timeout_seconds, 30);
}

TEST(WebhookConfigTest, SendersOutOfRangeAreAnErrorNamingTheRange) {
  TempDir dir;
  Loaded l = LoadFile(dir.Write("wache.yaml", Config(kWhatsAppPlatform, kWhatsAppAccount,
                                                     "server:\n"
                                                     "  senders: 0\n")));
  ASSERT_TRUE(l.diags.has_errors());
  EXPECT_THAT(Messages(l.diags), AllOf(HasSubstr("senders"), HasSubstr("between 1 and 1024")));
  EXPECT_EQ(l.config.server.senders, 256);  // the bad value is not taken
}

TEST(WebhookConfigTest, AnUnknownSendApiIsAnError) {
  TempDir dir;
  Loaded l = LoadFile(dir.Write("wache.yaml", Config("  x:\n"
                                                     "    consumer_secret: { env: S }\n"
                                                     "    send_api: v3\n",
                                                     "  - id: xa\n"
                                                     "    platform: x\n"
                                                     "    platform_id: \"3\"\n")));
  ASSERT_TRUE(l.diags.has_errors());
  EXPECT_THAT(Messages(l.diags), HasSubstr("send_api"));
  EXPECT_EQ(l.config.platforms.at("x").options.x_send_api, "v2");
}

TEST(WebhookConfigTest, SendApiV11IsRead) {
  TempDir dir;
  Loaded l = LoadFile(dir.Write("wache.yaml", Config("  x:\n"
                                                     "    consumer_secret: { env: S }\n"
                                                     "    consumer_key: { env: K }\n"
                                                     "    send_api: v1.1\n",
                                                     "  - id: xa\n"
                                                     "    platform: x\n"
                                                     "    platform_id: \"3\"\n")));
  EXPECT_FALSE(l.diags.has_errors()) << l.diags.Format();
  EXPECT_EQ(l.config.platforms.at("x").options.x_send_api, "v1.1");
  EXPECT_EQ(l.config.platforms.at("x").consumer_key.env, "K");
}

TEST(WebhookConfigTest, AnApiBaseUrlMustBeHttpAndLosesItsTrailingSlash) {
  TempDir dir;
  Loaded ok =
      LoadFile(dir.Write("a/wache.yaml", Config(std::string(kWhatsAppPlatform) +
                                                    "    api_base_url: http://127.0.0.1:9000/\n",
                                                kWhatsAppAccount)));
  EXPECT_FALSE(ok.diags.has_errors()) << ok.diags.Format();
  EXPECT_EQ(ok.config.platforms.at("whatsapp").api_base_url, "http://127.0.0.1:9000");

  Loaded bad =
      LoadFile(dir.Write("b/wache.yaml", Config(std::string(kWhatsAppPlatform) +
                                                    "    api_base_url: graph.facebook.com\n",
                                                kWhatsAppAccount)));
  ASSERT_TRUE(bad.diags.has_errors());
  EXPECT_THAT(Messages(bad.diags), HasSubstr("https://"));
}

TEST(WebhookConfigTest, KeysOfAnotherPlatformAreReported) {
  TempDir dir;
  // mark_read is WhatsApp only; send_api is X only.
  Loaded l = LoadFile(dir.Write("wache.yaml", Config("  whatsapp:\n"
                                                     "    app_secret: { env: S }\n"
                                                     "    verify_token: { env: T }\n"
                                                     "    send_api: v2\n"
                                                     "  messenger:\n"
                                                     "    app_secret: { env: S }\n"
                                                     "    verify_token: { env: T }\n"
                                                     "    mark_read: false\n",
                                                     kWhatsAppAccount)));
  EXPECT_GE(l.diags.error_count() + l.diags.warning_count(), 2) << l.diags.Format();
  EXPECT_THAT(Messages(l.diags), AllOf(HasSubstr("send_api"), HasSubstr("mark_read")));
}

TEST(WebhookConfigTest, MarkReadFalseIsRead) {
  TempDir dir;
  Loaded l = LoadFile(dir.Write(
      "wache.yaml",
      Config(std::string(kWhatsAppPlatform) + "    mark_read: false\n", kWhatsAppAccount)));
  EXPECT_FALSE(l.diags.has_errors()) << l.diags.Format();
  EXPECT_FALSE(l.config.platforms.at("whatsapp").options.mark_read);
}

TEST(WebhookConfigTest, RelativeSecretFilesResolveAgainstTheConfigsFolder) {
  TempDir dir;
  const fs::path config =
      dir.Write("conf/wache.yaml", Config("  whatsapp:\n"
                                          "    app_secret: { file: ../secrets/app_secret }\n"
                                          "    verify_token: { file: verify_token }\n",
                                          kWhatsAppAccount));
  dir.Write("secrets/app_secret", "s3cr3t\n");
  dir.Write("conf/verify_token", "tok\n");
  Loaded l = LoadFile(config);
  ASSERT_FALSE(l.diags.has_errors()) << l.diags.Format();
  const PlatformConfig& wa = l.config.platforms.at("whatsapp");
  EXPECT_EQ(fs::path(wa.signing_secret.file),
            (dir.path() / "secrets/app_secret").lexically_normal());
  EXPECT_EQ(fs::path(wa.verify_token.file), (dir.path() / "conf/verify_token").lexically_normal());
  EXPECT_EQ(wa.signing_secret.Resolve(), "s3cr3t");
  EXPECT_EQ(wa.verify_token.Resolve(), "tok");
}

TEST(WebhookConfigTest, AbsoluteSecretFilesAreKeptAsTheyAre) {
  TempDir dir;
  const fs::path secret = dir.Write("elsewhere/app_secret", "abc\n");
  Loaded l = LoadFile(dir.Write("conf/wache.yaml", Config("  whatsapp:\n"
                                                          "    app_secret: { file: \"" +
                                                              secret.string() +
                                                              "\" }\n"
                                                              "    verify_token: { env: T }\n",
                                                          kWhatsAppAccount)));
  ASSERT_FALSE(l.diags.has_errors()) << l.diags.Format();
  EXPECT_EQ(l.config.platforms.at("whatsapp").signing_secret.file, secret.string());
}

TEST(WebhookConfigTest, CredentialsAreReadPerAccount) {
  TempDir dir;
  Loaded l = LoadFile(
      dir.Write("conf/wache.yaml",
                Config(std::string(kWhatsAppPlatform) + "  x:\n"
                                                        "    consumer_secret: { env: XS }\n",
                       "  - id: wa\n"
                       "    platform: whatsapp\n"
                       "    platform_id: \"1\"\n"
                       "    credentials:\n"
                       "      access_token: { env: WA_TOKEN, file: tokens/wa }\n"
                       "  - id: xa\n"
                       "    platform: x\n"
                       "    platform_id: \"2\"\n"
                       "    credentials:\n"
                       "      oauth_token: { env: X_OAUTH_TOKEN }\n"
                       "      oauth_token_secret: { file: /run/secrets/x_oauth_secret }\n"
                       "  - id: none\n"
                       "    platform: whatsapp\n"
                       "    platform_id: \"3\"\n")));
  ASSERT_FALSE(l.gateway_diags.has_errors()) << l.gateway_diags.Format();
  ASSERT_FALSE(l.diags.has_errors()) << l.diags.Format();
  ASSERT_EQ(l.config.credentials.size(), 2u);
  const AccountCredentials& wa = l.config.credentials.at("wa");
  EXPECT_EQ(wa.access_token.env, "WA_TOKEN");
  EXPECT_EQ(fs::path(wa.access_token.file), (dir.path() / "conf/tokens/wa").lexically_normal());
  EXPECT_FALSE(wa.oauth_token.configured());
  const AccountCredentials& xa = l.config.credentials.at("xa");
  EXPECT_FALSE(xa.access_token.configured());
  EXPECT_EQ(xa.oauth_token.env, "X_OAUTH_TOKEN");
  EXPECT_EQ(xa.oauth_token_secret.file, "/run/secrets/x_oauth_secret");
  EXPECT_EQ(l.config.credentials.count("none"), 0u);
}

TEST(WebhookConfigTest, UnknownCredentialKeysAreReported) {
  TempDir dir;
  Loaded l = LoadFile(dir.Write("wache.yaml", Config(kWhatsAppPlatform,
                                                     "  - id: wa\n"
                                                     "    platform: whatsapp\n"
                                                     "    platform_id: \"1\"\n"
                                                     "    credentials:\n"
                                                     "      acces_token: { env: T }\n")));
  EXPECT_GE(l.diags.error_count() + l.diags.warning_count(), 1) << l.diags.Format();
  EXPECT_THAT(Messages(l.diags), HasSubstr("acces_token"));
}

// --- SecretRef::Resolve ---

// An environment variable name no other test or process uses.
std::string UniqueEnvName() {
  static std::atomic<int> counter{0};
  return "WACHE_WEBHOOK_CONFIG_TEST_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
}

TEST(SecretRefTest, TheEnvironmentWinsOverTheFile) {
  TempDir dir;
  SecretRef ref;
  ref.env = UniqueEnvName();
  ref.file = dir.Write("secret", "from-file\n").string();
  ASSERT_EQ(setenv(ref.env.c_str(), "from-env", 1), 0);
  EXPECT_EQ(ref.Resolve(), "from-env");
  unsetenv(ref.env.c_str());
  EXPECT_EQ(ref.Resolve(), "from-file");
}

TEST(SecretRefTest, AnEmptyEnvironmentVariableFallsBackToTheFile) {
  TempDir dir;
  SecretRef ref;
  ref.env = UniqueEnvName();
  ref.file = dir.Write("secret", "from-file").string();
  ASSERT_EQ(setenv(ref.env.c_str(), "", 1), 0);
  EXPECT_EQ(ref.Resolve(), "from-file");
  unsetenv(ref.env.c_str());
}

TEST(SecretRefTest, OnlyTheFirstLineOfTheFileIsTheSecret) {
  TempDir dir;
  SecretRef ref;
  ref.file = dir.Write("secret", "first-line \r\nsecond-line\n").string();
  EXPECT_EQ(ref.Resolve(), "first-line");
}

TEST(SecretRefTest, NothingToReadGivesEmpty) {
  TempDir dir;
  SecretRef ref;
  ref.env = UniqueEnvName();
  ref.file = (dir.path() / "does-not-exist").string();
  EXPECT_EQ(ref.Resolve(), "");
  EXPECT_EQ(SecretRef{}.Resolve(), "");
  EXPECT_FALSE(SecretRef{}.configured());
}

TEST(SecretRefTest, DescribeNamesWhereTheSecretComesFrom) {
  SecretRef ref;
  EXPECT_EQ(ref.Describe(), "nothing");
  ref.env = "A";
  EXPECT_EQ(ref.Describe(), "environment variable A");
  ref.file = "/f";
  EXPECT_EQ(ref.Describe(), "environment variable A or file /f");
  ref.env = "";
  EXPECT_EQ(ref.Describe(), "file /f");
}

}  // namespace
}  // namespace wache::webhook

namespace wache::webhook {
namespace {

TEST(WebhookConfigPolicyTest, PlatformsGetTheDocumentedLimitsWhenTheConfigSaysNothing) {
  TempDir dir;
  Loaded l = LoadFile(dir.Write("wache.yaml", Config(kWhatsAppPlatform, kWhatsAppAccount)));
  ASSERT_FALSE(l.diags.has_errors()) << l.diags.Format();
  const PlatformPolicy& wa = l.config.platforms.at("whatsapp").policy;
  EXPECT_EQ(wa.pacing.messages, 3);
  EXPECT_EQ(wa.pacing.per, std::chrono::seconds(18));
  EXPECT_TRUE(wa.window_template.name.empty());
  EXPECT_EQ(l.config.server.retention_days, 30);
  const PlatformPolicy x = DefaultPolicy("x");
  ASSERT_EQ(x.budgets.size(), 3u);
  EXPECT_EQ(x.budgets[0].messages, 15);
  EXPECT_EQ(x.budgets[0].per, std::chrono::minutes(15));
  EXPECT_TRUE(x.budgets[2].whole_app);
}

TEST(WebhookConfigPolicyTest, PacingBudgetsTemplateAndRetentionAreRead) {
  TempDir dir;
  Loaded l = LoadFile(
      dir.Write("wache.yaml",
                Config(std::string(kWhatsAppPlatform) +
                           "    pacing: { messages: 2, seconds: 10 }\n"
                           "    window_template: { name: wache_follow_up, languages: [de, en] }\n"
                           "    dm_budget:\n"
                           "      - { messages: 100, hours: 1 }\n"
                           "      - { messages: 1000, hours: 24, scope: app }\n"
                           "    emergency_reserve: 5\n",
                       kWhatsAppAccount, "server: { retention_days: 7 }\n")));
  ASSERT_FALSE(l.diags.has_errors()) << l.diags.Format();
  const PlatformPolicy& p = l.config.platforms.at("whatsapp").policy;
  EXPECT_EQ(p.pacing.messages, 2);
  EXPECT_EQ(p.pacing.per, std::chrono::seconds(10));
  EXPECT_EQ(p.window_template.name, "wache_follow_up");
  EXPECT_EQ(p.window_template.languages, (std::vector<std::string>{"de", "en"}));
  ASSERT_EQ(p.budgets.size(), 2u);
  EXPECT_EQ(p.budgets[0].per, std::chrono::hours(1));
  EXPECT_FALSE(p.budgets[0].whole_app);
  EXPECT_TRUE(p.budgets[1].whole_app);
  EXPECT_EQ(p.emergency_reserve, 5);
  EXPECT_EQ(l.config.server.retention_days, 7);
}

TEST(WebhookConfigPolicyTest, PacingCanBeTurnedOff) {
  TempDir dir;
  Loaded l =
      LoadFile(dir.Write("wache.yaml", Config(std::string(kWhatsAppPlatform) + "    pacing: off\n",
                                              kWhatsAppAccount)));
  ASSERT_FALSE(l.diags.has_errors()) << l.diags.Format();
  EXPECT_EQ(l.config.platforms.at("whatsapp").policy.pacing.messages, 0);
}

TEST(WebhookConfigPolicyTest, MalformedLimitsAreErrorsThatShowTheRightForm) {
  TempDir dir;
  Loaded l =
      LoadFile(dir.Write("wache.yaml", Config(std::string(kWhatsAppPlatform) +
                                                  "    pacing: { messages: 0, seconds: 10 }\n"
                                                  "    dm_budget: { messages: 15 }\n"
                                                  "    window_template: wache_follow_up\n",
                                              kWhatsAppAccount)));
  EXPECT_EQ(l.diags.error_count(), 3) << l.diags.Format();
  const std::string all = Messages(l.diags);
  EXPECT_THAT(all,
              HasSubstr("platforms.whatsapp.pacing is a map like { messages: 15, minutes: 15 }"));
  EXPECT_THAT(all, HasSubstr("dm_budget is a list like"));
  EXPECT_THAT(all, HasSubstr("window_template is a map like { name: wache_follow_up"));
  EXPECT_THAT(l.diags.Format(), HasSubstr("wache.yaml:"));  // the file and line, for staff
}

}  // namespace
}  // namespace wache::webhook
