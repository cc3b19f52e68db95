// The station an account belongs to, for the staff API: which staff may see and answer its
// conversations. The config's `stations:` names it per account (bot::Account::station); an
// account without one is a station of its own, named by the account id.
#pragma once

#include <string>

#include "bot/accounts.h"

namespace wache::webhook::staff {

inline std::string StationOf(const bot::Account& account) {
  return account.station.empty() ? account.id : account.station;
}

}  // namespace wache::webhook::staff
