// SHA-256 (FIPS 180-4), for request digests and the audit chain.
#ifndef TRADEPLANE_SIGNING_SHA256_H_
#define TRADEPLANE_SIGNING_SHA256_H_

#include <array>
#include <cstdint>
#include <string_view>

namespace tradeplane::signing {

using Sha256Digest = std::array<uint8_t, 32>;

Sha256Digest Sha256(std::string_view bytes);

}  // namespace tradeplane::signing

#endif  // TRADEPLANE_SIGNING_SHA256_H_
