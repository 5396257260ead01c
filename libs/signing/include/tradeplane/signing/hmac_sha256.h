// HMAC-SHA256 (RFC 2104 / RFC 4231): how Binance HMAC API keys sign.
#ifndef TRADEPLANE_SIGNING_HMAC_SHA256_H_
#define TRADEPLANE_SIGNING_HMAC_SHA256_H_

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "tradeplane/signing/secret_bytes.h"

#include "absl/status/statusor.h"

namespace tradeplane::signing {

using HmacSha256Tag = std::array<uint8_t, 32>;

// One-shot; the key may have any length (longer than 64 bytes is hashed first).
HmacSha256Tag HmacSha256(std::span<const uint8_t> key, std::string_view message);

// A key prepared once: the inner and outer SHA-256 states after absorbing the
// padded key are kept in guarded memory, so each signature costs only the
// message's blocks plus one outer block, with no allocation.
class HmacSha256Key {
 public:
  static absl::StatusOr<HmacSha256Key> Create(std::span<const uint8_t> key);

  HmacSha256Tag Sign(std::string_view message) const;

 private:
  explicit HmacSha256Key(SecretBytes state) : state_(std::move(state)) {}
  SecretBytes state_;  // a crypto_auth_hmacsha256_state
};

}  // namespace tradeplane::signing

#endif  // TRADEPLANE_SIGNING_HMAC_SHA256_H_
