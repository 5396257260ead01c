// EVM account addresses: the last 20 bytes of the Keccak-256 of the 64-byte
// uncompressed public key, written with the EIP-55 mixed-case checksum.
#ifndef TRADEPLANE_SIGNING_EVM_ADDRESS_H_
#define TRADEPLANE_SIGNING_EVM_ADDRESS_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "tradeplane/signing/secp256k1_key.h"

#include "absl/status/statusor.h"

namespace tradeplane::signing {

struct EvmAddress {
  std::array<uint8_t, 20> bytes{};

  static EvmAddress FromPublicKey(const Secp256k1PublicKey& public_key);
  // "0x" and 40 hex digits. All lower case and all upper case are accepted as
  // they are; mixed case must be a correct EIP-55 checksum (a typo in a mixed
  // case address is caught instead of sending funds elsewhere).
  static absl::StatusOr<EvmAddress> Parse(std::string_view text);

  // "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed" (EIP-55).
  std::string ToChecksumHex() const;
  // "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed": the form policies list.
  std::string ToLowerHex() const;

  friend bool operator==(const EvmAddress&, const EvmAddress&) = default;
};

}  // namespace tradeplane::signing

#endif  // TRADEPLANE_SIGNING_EVM_ADDRESS_H_
