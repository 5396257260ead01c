#include "sodium_init.h"

#include <sodium.h>

namespace tradeplane::signing {

absl::Status EnsureSodiumInitialized() {
  // sodium_init is itself idempotent and thread-safe; caching its result
  // keeps the hot path to one static load.
  static const int result = sodium_init();
  if (result < 0) return absl::InternalError("libsodium failed to initialise");
  return absl::OkStatus();
}

}  // namespace tradeplane::signing
