// StaticFiles: serves one folder of plain files (the staff web inbox, web/inbox/) under a
// URL prefix, for browsers. Nothing is generated: the files are read from disk on each
// request, so an operator can replace them without restarting the gateway.
//
// What it guarantees, because the pages show personal data to logged-in staff:
//   - only files inside the folder: "..", backslashes, NUL, hidden names (".git") and
//     symbolic links leading out of it are refused (404, never a hint what exists);
//   - only known file types (.html .js .css .svg .png .ico .json .txt .woff2), each with
//     its exact Content-Type; anything else is 404, so a stray backup file never leaks;
//   - no directory listings: a folder is served only as its index.html;
//   - every answer carries a strict Content-Security-Policy (no inline script or style,
//     requests only to this origin, no framing), X-Content-Type-Options: nosniff,
//     Referrer-Policy: no-referrer; pages must revalidate (Cache-Control: no-cache with
//     an ETag, 304 when unchanged), so staff never run an outdated script.
// Not for: large downloads (files over 1 MiB are refused) or anything behind a login: the
// pages are public, the data comes from the staff API with the staff member's token.
#pragma once

#include <map>
#include <string>

namespace wache::webhook {

struct StaticAnswer {
  int status = 200;
  std::string content_type;  // with charset for text
  std::string body;
  std::map<std::string, std::string> headers;  // security and caching headers included
};

class StaticFiles {
 public:
  static constexpr size_t kMaxFileBytes = 1 << 20;

  // `root`: the folder to serve. `prefix`: the URL path it appears under, ending in "/"
  // (e.g. "/staff/").
  StaticFiles(std::string root, std::string prefix);

  // True if the folder exists and has an index.html (else the inbox is not served).
  bool usable() const;
  const std::string& root() const { return root_; }
  const std::string& prefix() const { return prefix_; }

  // The answer to a GET (or HEAD) of `url_path` (decoded, without the query string).
  // `if_none_match`: the request's If-None-Match header ("" if none). Never throws.
  StaticAnswer Serve(const std::string& url_path, const std::string& if_none_match) const;

  // The headers every answer carries (also the 404s), for reuse on redirects.
  static std::map<std::string, std::string> SecurityHeaders();

 private:
  std::string root_;  // canonical, without trailing slash
  std::string prefix_;
};

}  // namespace wache::webhook
