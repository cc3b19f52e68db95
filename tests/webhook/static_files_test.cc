// StaticFiles on its own: which paths reach a file, with which headers, and that nothing
// outside the folder (or of an unknown type) is ever served.
#include "webhook/static_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace wache::webhook {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("wache-static-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    fs::create_directories(base_ / "site" / "js");
    fs::create_directories(base_ / "site" / ".git");
    Write("site/index.html", "<!doctype html><title>Inbox</title>");
    Write("site/js/app.js", "export const x = 1;");
    Write("site/inbox.css", "body { color: black }");
    Write("site/notes.md", "internal notes");
    Write("site/app.js~", "editor backup");
    Write("site/.git/config", "[core]");
    Write("secret.txt", "outside the folder");
    fs::create_symlink(base_ / "secret.txt", base_ / "site" / "link.txt");
  }
  void TearDown() override { fs::remove_all(base_); }

  void Write(const std::string& rel, const std::string& text) {
    std::ofstream(base_ / rel, std::ios::binary) << text;
  }
  StaticAnswer Get(const std::string& path, const std::string& etag = "") {
    StaticFiles files((base_ / "site").string(), "/staff/");
    return files.Serve(path, etag);
  }

  fs::path base_;
};

TEST_F(StaticFilesTest, TheFolderItselfIsItsIndexPageWithTheSecurityHeaders) {
  StaticAnswer a = Get("/staff/");
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(a.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(a.body, "<!doctype html><title>Inbox</title>");
  const std::string csp = a.headers["Content-Security-Policy"];
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(a.headers["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(a.headers["Referrer-Policy"], "no-referrer");
  EXPECT_EQ(a.headers["Cache-Control"], "no-cache");
  EXPECT_FALSE(a.headers["ETag"].empty());
}

TEST_F(StaticFilesTest, ScriptsAndStylesGetTheirExactContentTypes) {
  EXPECT_EQ(Get("/staff/js/app.js").content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(Get("/staff/js/app.js").body, "export const x = 1;");
  EXPECT_EQ(Get("/staff/inbox.css").content_type, "text/css; charset=utf-8");
}

TEST_F(StaticFilesTest, AnUnchangedFileIsA304WithoutBody) {
  StaticAnswer first = Get("/staff/js/app.js");
  StaticAnswer again = Get("/staff/js/app.js", first.headers["ETag"]);
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.headers["X-Content-Type-Options"], "nosniff");
}

TEST_F(StaticFilesTest, NothingOutsideTheFolderIsReachable) {
  for (const std::string& path : std::vector<std::string>{
           "/staff/../secret.txt", "/staff/js/../../secret.txt", "/staff/..", "/staff/./index.html",
           "/staff/link.txt", "/staff//etc/passwd.txt", "/staff/js\\..\\..\\secret.txt",
           std::string("/staff/index.html\0.txt", 23), "/staff/%2e%2e/secret.txt", "/secret.txt",
           "/staffx/index.html"}) {
    StaticAnswer a = Get(path);
    EXPECT_EQ(a.status, 404) << path;
    EXPECT_EQ(a.body.find("outside"), std::string::npos) << path;
    EXPECT_EQ(a.headers["Cache-Control"], "no-store") << path;
  }
}

TEST_F(StaticFilesTest, FoldersHiddenFilesAndUnknownTypesAreNotServed) {
  EXPECT_EQ(Get("/staff/js/").status, 404) << "no directory listing";
  EXPECT_EQ(Get("/staff/js").status, 404);
  EXPECT_EQ(Get("/staff/.git/config").status, 404);
  EXPECT_EQ(Get("/staff/notes.md").status, 404);
  EXPECT_EQ(Get("/staff/app.js~").status, 404);
  EXPECT_EQ(Get("/staff/missing.js").status, 404);
}

TEST_F(StaticFilesTest, AFolderWithoutIndexIsNotUsable) {
  EXPECT_TRUE(StaticFiles((base_ / "site").string(), "/staff/").usable());
  EXPECT_FALSE(StaticFiles((base_ / "site" / "js").string(), "/staff/").usable());
  EXPECT_FALSE(StaticFiles((base_ / "nowhere").string(), "/staff/").usable());
  EXPECT_EQ(StaticFiles((base_ / "nowhere").string(), "/staff/").Serve("/staff/", "").status, 404);
}

}  // namespace
}  // namespace wache::webhook
