#include "webhook/staff/auth.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

#include "webhook/crypto.h"

namespace wache::webhook::staff {

bool StaffIdentity::MaySee(const std::string& station) const {
  return all_stations || std::find(stations.begin(), stations.end(), station) != stations.end();
}

Result<StaffDirectory> StaffDirectory::Build(const StaffConfig& config) {
  StaffDirectory d;
  for (const auto& m : config.members) {
    const std::string token = m.token.Resolve();
    if (token.empty()) {
      // Fails closed: without a token nobody can act as this member.
      spdlog::warn("staff member '{}' has no token (nothing in {}): they cannot use the staff API",
                   m.name, m.token.Describe());
      continue;
    }
    if (token.size() < kMinTokenLength) {
      return Status::Error("the token of staff member '" + m.name + "' (" + m.token.Describe() +
                           ") is shorter than " + std::to_string(kMinTokenLength) +
                           " characters; use a long random one, e.g. openssl rand -hex 32");
    }
    Entry e;
    e.token_digest = Sha256(token);
    for (const auto& other : d.entries_) {
      if (other.token_digest == e.token_digest) {
        return Status::Error("staff members '" + other.who.name + "' and '" + m.name +
                             "' have the same token; each person needs their own");
      }
    }
    e.who.name = m.name;
    e.who.role = m.role;
    for (const auto& s : m.stations) {
      if (s == "all") {
        e.who.all_stations = true;
      } else {
        e.who.stations.push_back(s);
      }
    }
    if (e.who.all_stations) e.who.stations.clear();
    d.entries_.push_back(std::move(e));
  }
  return d;
}

const StaffIdentity* StaffDirectory::Authenticate(std::string_view authorization) const {
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.size() <= kScheme.size()) return nullptr;
  // The scheme is case-insensitive (RFC 9110 11.1).
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) !=
        std::tolower(static_cast<unsigned char>(kScheme[i]))) {
      return nullptr;
    }
  }
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty()) return nullptr;
  // Digests have one length, so the comparison time says nothing about the token; and every
  // entry is compared, so neither does the position of the match.
  const std::string digest = Sha256(token);
  const StaffIdentity* found = nullptr;
  for (const auto& e : entries_) {
    if (ConstantTimeEquals(digest, e.token_digest)) found = &e.who;
  }
  return found;
}

}  // namespace wache::webhook::staff
