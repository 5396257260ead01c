// Unsigned 256-bit integers for EVM amounts (wei), fees and policy limits.
//
// Only what the signer needs: exact parsing of decimal text, comparison,
// and the big-endian byte forms RLP and the keystore use. No arithmetic a
// caller could overflow silently.
#ifndef TRADEPLANE_SIGNING_UINT256_H_
#define TRADEPLANE_SIGNING_UINT256_H_

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace tradeplane::signing {

class Uint256 {
 public:
  constexpr Uint256() = default;
  static constexpr Uint256 FromUint64(uint64_t value) { return Uint256(value, 0, 0, 0); }
  // The largest value, 2^256 - 1.
  static constexpr Uint256 Max() { return Uint256(~0ULL, ~0ULL, ~0ULL, ~0ULL); }

  // Decimal digits only: no sign, no spaces, no leading zeros (except "0"
  // itself), no exponent, at most 2^256 - 1. One spelling per value, so two
  // requests for the same amount cannot differ in text.
  static absl::StatusOr<Uint256> ParseDecimal(std::string_view text);
  // Up to 32 big-endian bytes.
  static absl::StatusOr<Uint256> FromBigEndian(std::string_view bytes);

  std::string ToDecimal() const;
  std::array<uint8_t, 32> ToBigEndian() const;
  // Big-endian without leading zero bytes; empty for zero (RLP's integer form).
  std::string ToMinimalBigEndian() const;

  // this * factor, or nullopt when the product exceeds 2^256 - 1 (the only
  // arithmetic offered: policy limits on gas_limit x fee).
  std::optional<Uint256> CheckedMul(uint64_t factor) const;

  bool is_zero() const { return (limbs_[0] | limbs_[1] | limbs_[2] | limbs_[3]) == 0; }

  friend std::strong_ordering operator<=>(const Uint256& a, const Uint256& b);
  friend bool operator==(const Uint256& a, const Uint256& b) = default;

 private:
  constexpr Uint256(uint64_t l0, uint64_t l1, uint64_t l2, uint64_t l3) : limbs_{l0, l1, l2, l3} {}
  std::array<uint64_t, 4> limbs_{};  // little-endian limbs: limbs_[0] is the lowest
};

}  // namespace tradeplane::signing

#endif  // TRADEPLANE_SIGNING_UINT256_H_
