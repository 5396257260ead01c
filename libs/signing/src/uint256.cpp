#include "tradeplane/signing/uint256.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace tradeplane::signing {
namespace {

__extension__ typedef unsigned __int128 UInt128;

}  // namespace

absl::StatusOr<Uint256> Uint256::ParseDecimal(std::string_view text) {
  if (text.empty()) return absl::InvalidArgumentError("empty number");
  if (text.size() > 1 && text[0] == '0') {
    return absl::InvalidArgumentError("a number must not have leading zeros");
  }
  Uint256 value;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c < '0' || c > '9') {
      return absl::InvalidArgumentError(
          absl::StrCat("not an unsigned decimal integer (character ", i + 1,
                       " is not a digit; signs, spaces, points and exponents are refused)"));
    }
    // value = value * 10 + digit, limb by limb, carrying.
    uint64_t carry = static_cast<uint64_t>(c - '0');
    for (uint64_t& limb : value.limbs_) {
      UInt128 product = static_cast<UInt128>(limb) * 10 + carry;
      limb = static_cast<uint64_t>(product);
      carry = static_cast<uint64_t>(product >> 64);
    }
    if (carry != 0) return absl::OutOfRangeError("number exceeds 2^256 - 1");
  }
  return value;
}

absl::StatusOr<Uint256> Uint256::FromBigEndian(std::string_view bytes) {
  if (bytes.size() > 32) return absl::OutOfRangeError("more than 32 bytes");
  Uint256 value;
  for (size_t i = 0; i < bytes.size(); ++i) {
    size_t bit = 8 * (bytes.size() - 1 - i);
    value.limbs_[bit / 64] |= static_cast<uint64_t>(static_cast<uint8_t>(bytes[i])) << (bit % 64);
  }
  return value;
}

std::optional<Uint256> Uint256::CheckedMul(uint64_t factor) const {
  Uint256 product;
  uint64_t carry = 0;
  for (size_t i = 0; i < limbs_.size(); ++i) {
    UInt128 limb = static_cast<UInt128>(limbs_[i]) * factor + carry;
    product.limbs_[i] = static_cast<uint64_t>(limb);
    carry = static_cast<uint64_t>(limb >> 64);
  }
  if (carry != 0) return std::nullopt;
  return product;
}

std::string Uint256::ToDecimal() const {
  if (is_zero()) return "0";
  std::array<uint64_t, 4> n = limbs_;
  std::string digits;
  auto nonzero = [&n] { return (n[0] | n[1] | n[2] | n[3]) != 0; };
  while (nonzero()) {
    // Divide by 10^19 (the largest power of ten in a limb), high limb first.
    constexpr uint64_t kChunk = 10'000'000'000'000'000'000ULL;
    UInt128 remainder = 0;
    for (int i = 3; i >= 0; --i) {
      UInt128 current = (remainder << 64) | n[i];
      n[i] = static_cast<uint64_t>(current / kChunk);
      remainder = current % kChunk;
    }
    uint64_t chunk = static_cast<uint64_t>(remainder);
    for (int d = 0; d < 19 && (chunk != 0 || nonzero()); ++d) {
      digits.push_back(static_cast<char>('0' + chunk % 10));
      chunk /= 10;
    }
  }
  std::reverse(digits.begin(), digits.end());
  return digits;
}

std::array<uint8_t, 32> Uint256::ToBigEndian() const {
  std::array<uint8_t, 32> out;
  for (size_t i = 0; i < 32; ++i) {
    size_t bit = 8 * (31 - i);
    out[i] = static_cast<uint8_t>(limbs_[bit / 64] >> (bit % 64));
  }
  return out;
}

std::string Uint256::ToMinimalBigEndian() const {
  std::array<uint8_t, 32> full = ToBigEndian();
  size_t first = 0;
  while (first < full.size() && full[first] == 0) ++first;
  return std::string(reinterpret_cast<const char*>(full.data()) + first, full.size() - first);
}

std::strong_ordering operator<=>(const Uint256& a, const Uint256& b) {
  for (int i = 3; i >= 0; --i) {
    if (a.limbs_[i] != b.limbs_[i]) return a.limbs_[i] <=> b.limbs_[i];
  }
  return std::strong_ordering::equal;
}

}  // namespace tradeplane::signing
