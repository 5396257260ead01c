#include "tradeplane/signing/hmac_sha256.h"

#include <cstring>

#include <sodium.h>

#include "absl/status/status.h"
#include "sodium_init.h"

namespace tradeplane::signing {

HmacSha256Tag HmacSha256(std::span<const uint8_t> key, std::string_view message) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key.data(), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  HmacSha256Tag tag;
  crypto_auth_hmacsha256_final(&state, tag.data());
  sodium_memzero(&state, sizeof(state));
  return tag;
}

absl::StatusOr<HmacSha256Key> HmacSha256Key::Create(std::span<const uint8_t> key) {
  if (key.empty()) return absl::InvalidArgumentError("an HMAC key must not be empty");
  if (absl::Status s = EnsureSodiumInitialized(); !s.ok()) return s;
  absl::StatusOr<SecretBytes> state = SecretBytes::Allocate(sizeof(crypto_auth_hmacsha256_state));
  if (!state.ok()) return state.status();
  crypto_auth_hmacsha256_state prepared;
  crypto_auth_hmacsha256_init(&prepared, key.data(), key.size());
  std::memcpy(state->data(), &prepared, sizeof(prepared));
  sodium_memzero(&prepared, sizeof(prepared));
  return HmacSha256Key(*std::move(state));
}

HmacSha256Tag HmacSha256Key::Sign(std::string_view message) const {
  // The guarded buffer need not be aligned for the struct: copy it out.
  crypto_auth_hmacsha256_state state;
  std::memcpy(&state, state_.data(), sizeof(state));
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  HmacSha256Tag tag;
  crypto_auth_hmacsha256_final(&state, tag.data());
  sodium_memzero(&state, sizeof(state));
  return tag;
}

}  // namespace tradeplane::signing
