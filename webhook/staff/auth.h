// Who is calling the staff API: bearer tokens resolved from the config's `staff:` list, and
// what each member may do. Agents act on the conversations of their stations; supervisors
// too, and they may read the audit log (of their stations).
//
// Tokens are kept only as SHA-256 digests, and every presented token is compared with
// every configured one in constant time, so neither timing nor a memory dump gives a token
// away.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bot/status.h"
#include "webhook/staff/staff_config.h"

namespace wache::webhook::staff {

struct StaffIdentity {
  std::string name;
  Role role = Role::kAgent;
  std::vector<std::string> stations;  // empty when all_stations
  bool all_stations = false;

  bool MaySee(const std::string& station) const;
  bool supervisor() const { return role == Role::kSupervisor; }
};

class StaffDirectory {
 public:
  // Tokens must be at least this long (a guessable token would open personal data).
  static constexpr size_t kMinTokenLength = 16;

  // Resolves every member's token (environment or file). A member whose token resolves to
  // nothing is left out with a warning (nobody can act as them). Errors name the member: a
  // token that is too short, or two members sharing one token.
  static Result<StaffDirectory> Build(const StaffConfig& config);

  // The member whose token `authorization` carries ("Bearer <token>"), or nullptr.
  const StaffIdentity* Authenticate(std::string_view authorization) const;
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string token_digest;  // SHA-256
    StaffIdentity who;
  };
  std::vector<Entry> entries_;
};

}  // namespace wache::webhook::staff
