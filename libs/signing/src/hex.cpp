#include "tradeplane/signing/hex.h"

#include "tradeplane/signing/byte_view.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace tradeplane::signing {
namespace {

constexpr char kDigits[] = "0123456789abcdef";

// Constant-time in the value of the character (no table lookup or branch on
// it), since the text may be a secret key.
int NibbleOf(uint8_t c) {
  int digit = c - '0';
  int lower = (c | 0x20) - 'a' + 10;
  int is_digit = ((digit >= 0) & (digit <= 9));
  int is_letter = ((lower >= 10) & (lower <= 15));
  return (digit & -is_digit) | (lower & -is_letter) | (-1 & -(1 - (is_digit | is_letter)));
}

absl::Status DecodeInto(std::string_view hex, uint8_t* out) {
  if (hex.size() % 2 != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("hex text has an odd length (", hex.size(), " characters)"));
  }
  for (size_t i = 0; i < hex.size(); i += 2) {
    int high = NibbleOf(static_cast<uint8_t>(hex[i]));
    int low = NibbleOf(static_cast<uint8_t>(hex[i + 1]));
    if (high < 0 || low < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("hex text has a non-hex character at position ", high < 0 ? i : i + 1));
    }
    out[i / 2] = static_cast<uint8_t>((high << 4) | low);
  }
  return absl::OkStatus();
}

}  // namespace

std::string HexEncode(std::span<const uint8_t> bytes) {
  std::string out(bytes.size() * 2, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0x0f];
  }
  return out;
}

std::string HexEncode(std::string_view bytes) { return HexEncode(AsBytes(bytes)); }

absl::StatusOr<std::string> HexDecode(std::string_view hex) {
  std::string out(hex.size() / 2, '\0');
  if (absl::Status s = DecodeInto(hex, reinterpret_cast<uint8_t*>(out.data())); !s.ok()) {
    return s;
  }
  return out;
}

absl::StatusOr<SecretBytes> HexDecodeSecret(std::string_view hex) {
  absl::StatusOr<SecretBytes> out = SecretBytes::Allocate(hex.size() / 2);
  if (!out.ok()) return out.status();
  if (absl::Status s = DecodeInto(hex, out->data()); !s.ok()) return s;
  return out;
}

}  // namespace tradeplane::signing
