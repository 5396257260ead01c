// Hexadecimal text for bytes (lower case out, either case in, no "0x").
//
// Decoding errors name the offending position, never the text: the text may
// be a secret key.
#ifndef TRADEPLANE_SIGNING_HEX_H_
#define TRADEPLANE_SIGNING_HEX_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "tradeplane/signing/secret_bytes.h"

#include "absl/status/statusor.h"

namespace tradeplane::signing {

std::string HexEncode(std::span<const uint8_t> bytes);
std::string HexEncode(std::string_view bytes);

// Even length, [0-9a-fA-F] only. Returns the bytes as a std::string.
absl::StatusOr<std::string> HexDecode(std::string_view hex);

// The same, into guarded memory, for secrets given as hex.
absl::StatusOr<SecretBytes> HexDecodeSecret(std::string_view hex);

}  // namespace tradeplane::signing

#endif  // TRADEPLANE_SIGNING_HEX_H_
