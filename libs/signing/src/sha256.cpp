#include "tradeplane/signing/sha256.h"

#include <sodium.h>

namespace tradeplane::signing {

Sha256Digest Sha256(std::string_view bytes) {
  // crypto_hash_sha256 needs no sodium_init (no randomness, no CPU dispatch).
  Sha256Digest digest;
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size());
  return digest;
}

}  // namespace tradeplane::signing
