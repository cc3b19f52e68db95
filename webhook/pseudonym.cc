#include "webhook/pseudonym.h"

#include "webhook/crypto.h"

namespace wache::webhook {

Pseudonymizer::Pseudonymizer() : key_(RandomHex(32)) {}

std::string Pseudonymizer::operator()(std::string_view id) const {
  if (id.empty()) return "-";
  return HexEncode(HmacSha256(key_, id)).substr(0, 12);
}

}  // namespace wache::webhook
