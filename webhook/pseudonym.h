// Pseudonyms for logs: a person's platform id never appears in clear in a log line, but the
// same person gets the same short tag within one run, so an operator can still follow one
// conversation at 3 a.m. (HMAC-SHA256 with a key that lives only in memory.)
#pragma once

#include <string>
#include <string_view>

namespace wache::webhook {

class Pseudonymizer {
 public:
  Pseudonymizer();  // random key
  explicit Pseudonymizer(std::string key) : key_(std::move(key)) {}
  // 12 hex characters; "-" for an empty id.
  std::string operator()(std::string_view id) const;

 private:
  std::string key_;
};

}  // namespace wache::webhook
