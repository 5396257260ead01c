#include "tradeplane/signing/evm_address.h"

#include <cstring>

#include "tradeplane/signing/byte_view.h"
#include "tradeplane/signing/hex.h"
#include "tradeplane/signing/keccak256.h"

#include "absl/status/status.h"

namespace tradeplane::signing {
namespace {

bool IsLower(char c) { return c >= 'a' && c <= 'f'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'F'; }

}  // namespace

EvmAddress EvmAddress::FromPublicKey(const Secp256k1PublicKey& public_key) {
  Keccak256Digest digest = Keccak256Hash(AsChars(public_key));
  EvmAddress address;
  std::memcpy(address.bytes.data(), digest.data() + 12, 20);
  return address;
}

absl::StatusOr<EvmAddress> EvmAddress::Parse(std::string_view text) {
  if (!text.starts_with("0x") || text.size() != 42) {
    return absl::InvalidArgumentError("an EVM address is 0x followed by 40 hex digits");
  }
  std::string_view digits = text.substr(2);
  absl::StatusOr<std::string> bytes = HexDecode(digits);
  if (!bytes.ok()) {
    return absl::InvalidArgumentError("an EVM address is 0x followed by 40 hex digits");
  }
  EvmAddress address;
  std::memcpy(address.bytes.data(), bytes->data(), 20);
  bool has_lower = false;
  bool has_upper = false;
  for (char c : digits) {
    has_lower |= IsLower(c);
    has_upper |= IsUpper(c);
  }
  if (has_lower && has_upper && address.ToChecksumHex() != text) {
    return absl::InvalidArgumentError(
        "the address's mixed-case EIP-55 checksum does not match: a character is mistyped");
  }
  return address;
}

std::string EvmAddress::ToLowerHex() const { return "0x" + HexEncode(AsChars(bytes)); }

std::string EvmAddress::ToChecksumHex() const {
  std::string lower = HexEncode(AsChars(bytes));
  Keccak256Digest digest = Keccak256Hash(lower);
  std::string out = "0x";
  for (size_t i = 0; i < lower.size(); ++i) {
    char c = lower[i];
    uint8_t nibble = (i % 2 == 0) ? (digest[i / 2] >> 4) : (digest[i / 2] & 0x0f);
    if (IsLower(c) && nibble >= 8) c = static_cast<char>(c - 'a' + 'A');
    out.push_back(c);
  }
  return out;
}

}  // namespace tradeplane::signing
