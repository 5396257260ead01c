// Keccak-256 as Ethereum uses it: the Keccak team's original padding
// (pad10*1 with domain byte 0x01), rate 1088 bits, capacity 512 bits.
//
// Not SHA3-256: FIPS 202 changed the domain byte to 0x06, so the two give
// different digests for every input, and OpenSSL only has the FIPS one.
#ifndef TRADEPLANE_SIGNING_KECCAK256_H_
#define TRADEPLANE_SIGNING_KECCAK256_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tradeplane::signing {

using Keccak256Digest = std::array<uint8_t, 32>;

// Incremental hashing; no allocation. Finish() may be called once.
class Keccak256 {
 public:
  static constexpr size_t kRateBytes = 136;

  Keccak256& Update(std::string_view bytes);
  Keccak256Digest Finish();

 private:
  void Permute();

  uint64_t state_[25] = {};
  size_t offset_ = 0;  // bytes of the current block absorbed so far
};

Keccak256Digest Keccak256Hash(std::string_view bytes);

}  // namespace tradeplane::signing

#endif  // TRADEPLANE_SIGNING_KECCAK256_H_
