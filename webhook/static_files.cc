#include "webhook/static_files.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace wache::webhook {
namespace {

namespace fs = std::filesystem;

// The file types the inbox consists of. A whitelist: anything else (editor backups, source
// maps, READMEs) is not served even if it lies in the folder.
const std::map<std::string, std::string>& ContentTypes() {
  static const std::map<std::string, std::string> types = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".json", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
      {".woff2", "font/woff2"},
  };
  return types;
}

// One path segment as the inbox names its files: letters, digits, '-', '_', '.', not
// starting with '.' (no "..", no hidden files). Anything else is refused before the file
// system is asked, so encodings and odd bytes never reach it.
bool SafeSegment(const std::string& s) {
  if (s.empty() || s.size() > 100 || s[0] == '.') return false;
  for (unsigned char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    out.push_back(
        path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) return out;
    start = slash + 1;
  }
}

StaticAnswer NotFound() {
  StaticAnswer a{404, "text/plain; charset=utf-8", "not found\n", StaticFiles::SecurityHeaders()};
  a.headers["Cache-Control"] = "no-store";
  return a;
}

std::string CanonicalOrEmpty(const fs::path& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(p, ec);
  return ec ? std::string() : c.string();
}

}  // namespace

StaticFiles::StaticFiles(std::string root, std::string prefix)
    : root_(CanonicalOrEmpty(root)), prefix_(std::move(prefix)) {
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
}

bool StaticFiles::usable() const {
  std::error_code ec;
  return !root_.empty() && fs::is_regular_file(fs::path(root_) / "index.html", ec);
}

std::map<std::string, std::string> StaticFiles::SecurityHeaders() {
  return {
      // Scripts, styles, images and API calls from this origin only; no inline code, no
      // plugins, no framing (clickjacking), no form posts anywhere (the pages send JSON).
      {"Content-Security-Policy",
       "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; "
       "form-action 'none'; frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Frame-Options", "DENY"},  // for browsers without frame-ancestors
      {"Cross-Origin-Opener-Policy", "same-origin"},
  };
}

StaticAnswer StaticFiles::Serve(const std::string& url_path,
                                const std::string& if_none_match) const {
  if (root_.empty()) return NotFound();
  if (url_path.rfind(prefix_, 0) != 0) return NotFound();
  std::string rel = url_path.substr(prefix_.size());
  if (rel.empty()) rel = "index.html";  // the folder itself: its index, never a listing
  fs::path file(root_);
  for (const std::string& segment : Split(rel)) {
    if (!SafeSegment(segment)) return NotFound();
    file /= segment;
  }
  auto type = ContentTypes().find(file.extension().string());
  if (type == ContentTypes().end()) return NotFound();
  // A symbolic link inside the folder may point out of it: follow it, then check again.
  const std::string real = CanonicalOrEmpty(file);
  if (real.empty() || real.rfind(root_ + "/", 0) != 0) return NotFound();
  std::error_code ec;
  if (!fs::is_regular_file(real, ec)) return NotFound();
  const uintmax_t size = fs::file_size(real, ec);
  if (ec || size > kMaxFileBytes) return NotFound();
  const auto mtime = fs::last_write_time(real, ec);
  if (ec) return NotFound();

  char etag[64];
  std::snprintf(etag, sizeof etag, "\"%jx-%llx\"", size,
                static_cast<unsigned long long>(mtime.time_since_epoch().count()));
  StaticAnswer a{200, type->second, "", SecurityHeaders()};
  // no-cache: the browser may keep a copy but asks every time (a 304 when unchanged), so
  // after an update nobody runs an old script against a new API.
  a.headers["Cache-Control"] = "no-cache";
  a.headers["ETag"] = etag;
  if (!if_none_match.empty() && if_none_match.find(etag) != std::string::npos) {
    a.status = 304;
    return a;
  }
  std::ifstream in(real, std::ios::binary);
  if (!in.is_open()) return NotFound();
  std::ostringstream body;
  if (size > 0) body << in.rdbuf();
  a.body = body.str();
  return a;
}

}  // namespace wache::webhook
