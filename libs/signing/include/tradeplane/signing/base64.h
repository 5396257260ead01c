// Base64 (RFC 4648 section 4, with padding), as Binance expects Ed25519
// signatures and as PEM carries DER.
#ifndef TRADEPLANE_SIGNING_BASE64_H_
#define TRADEPLANE_SIGNING_BASE64_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "tradeplane/signing/secret_bytes.h"

#include "absl/status/statusor.h"

namespace tradeplane::signing {

std::string Base64Encode(std::span<const uint8_t> bytes);

// Strict: padding required; line breaks (CR, LF) and spaces are skipped, as in
// a PEM body. Errors never quote the text.
absl::StatusOr<std::string> Base64Decode(std::string_view text);
absl::StatusOr<SecretBytes> Base64DecodeSecret(std::string_view text);

}  // namespace tradeplane::signing

#endif  // TRADEPLANE_SIGNING_BASE64_H_
