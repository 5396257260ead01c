// The armour around DER in PEM files (RFC 7468): one label, base64 body.
#ifndef TRADEPLANE_SIGNING_PEM_H_
#define TRADEPLANE_SIGNING_PEM_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace tradeplane::signing {

// The base64 body between "-----BEGIN <label>-----" and "-----END <label>-----".
// Surrounding whitespace is allowed; anything else outside the armour is not.
// Errors never quote the body (it may be a private key).
absl::StatusOr<std::string_view> PemBody(std::string_view pem, std::string_view label);

// Armour for DER bytes: 64-character lines, trailing newline.
std::string PemArmour(std::string_view der, std::string_view label);

}  // namespace tradeplane::signing

#endif  // TRADEPLANE_SIGNING_PEM_H_
