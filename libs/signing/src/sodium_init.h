// libsodium must be initialised once before use; every entry point that
// touches it calls this (cheap after the first call, thread-safe).
#ifndef TRADEPLANE_SIGNING_SODIUM_INIT_H_
#define TRADEPLANE_SIGNING_SODIUM_INIT_H_

#include "absl/status/status.h"

namespace tradeplane::signing {

absl::Status EnsureSodiumInitialized();

}  // namespace tradeplane::signing

#endif  // TRADEPLANE_SIGNING_SODIUM_INIT_H_
