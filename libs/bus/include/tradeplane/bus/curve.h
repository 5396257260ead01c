// CURVE key pairs (Z85 text, 40 characters per key) for bus security.
#ifndef TRADEPLANE_BUS_CURVE_H_
#define TRADEPLANE_BUS_CURVE_H_

#include <string>

#include "absl/status/statusor.h"

namespace tradeplane::bus {

struct CurveKeyPair {
  std::string public_key;  // Z85
  std::string secret_key;  // Z85; never logged
};

absl::StatusOr<CurveKeyPair> GenerateCurveKeyPair();

// The key pair file: two lines, "public: <z85>" and "secret: <z85>".
absl::StatusOr<CurveKeyPair> LoadCurveKeyPair(const std::string& path);
// Written with mode 0600.
absl::Status WriteCurveKeyPair(const CurveKeyPair& pair, const std::string& path);

// A Z85 public key must be 40 characters of the Z85 alphabet.
absl::Status ValidateZ85Key(const std::string& key);

}  // namespace tradeplane::bus

#endif  // TRADEPLANE_BUS_CURVE_H_
