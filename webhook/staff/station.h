// The station an account belongs to, for the staff API: which staff may see and answer its
// conversations. The config's `stations:` names it per account (bot::Account::station);
// an account without one is a station of its own, named by the account id.
#pragma once

#include <string>

namespace wache::webhook::staff {

template <typename Account>
std::string StationOf(const Account& account) {
  // `station` arrived in bot::Account with the layered config (issue 6); the check keeps
  // this header independent of which of the two landed first.
  if constexpr (requires { account.station; }) {
    if (!account.station.empty()) return account.station;
  }
  return account.id;
}

}  // namespace wache::webhook::staff
