// What the simulator holds for each API key it accepts, read from the file
// that config `api_keys` names, and the check of a request's signature.
//
// File formats:
//  - HMAC-SHA256 key: the secret key exactly as the venue issues it (the
//    text, e.g. "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"),
//    surrounding whitespace and the trailing newline ignored. The HMAC key is
//    the bytes of that text, as Binance uses it.
//  - Ed25519 key: the PUBLIC key as a PEM SubjectPublicKeyInfo
//    ("-----BEGIN PUBLIC KEY-----", what `openssl pkey -pubout` writes and what
//    a user registers with Binance). A private key is refused: the simulator
//    only verifies.
#ifndef TRADEPLANE_SERVICES_VENUE_SIM_API_CREDENTIAL_H_
#define TRADEPLANE_SERVICES_VENUE_SIM_API_CREDENTIAL_H_

#include <optional>
#include <string>
#include <string_view>

#include "tradeplane/signing/ed25519.h"
#include "tradeplane/signing/hmac_sha256.h"

#include "absl/status/statusor.h"

namespace tradeplane::venue_sim {

class ApiCredential {
 public:
  enum class Kind { kHmacSha256, kEd25519 };

  // Parses the file's contents (see above); `where` names it in errors.
  static absl::StatusOr<ApiCredential> Parse(std::string_view contents, std::string_view where);
  static absl::StatusOr<ApiCredential> Load(const std::string& path);

  Kind kind() const { return kind_; }

  // `payload` is Binance's totalParams (the query string then the body, the
  // signature parameter removed); `signature` is the parameter's value as sent
  // (hex for HMAC, case-insensitive; URL-encoded base64 for Ed25519).
  bool Verify(std::string_view payload, std::string_view signature) const;

 private:
  ApiCredential() = default;

  Kind kind_ = Kind::kHmacSha256;
  std::optional<signing::HmacSha256Key> hmac_;
  signing::Ed25519PublicKey ed25519_;
};

}  // namespace tradeplane::venue_sim

#endif  // TRADEPLANE_SERVICES_VENUE_SIM_API_CREDENTIAL_H_
