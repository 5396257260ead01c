// Secrets coming into the signer from outside: the keystore passphrase and
// the secrets `keys import` / `keys rotate` read. They are read straight into
// guarded memory (SecretBytes), never through a growing std::string, and no
// error message quotes them.
#ifndef TRADEPLANE_SERVICES_SIGNER_SECRET_INPUT_H_
#define TRADEPLANE_SERVICES_SIGNER_SECRET_INPUT_H_

#include <string>

#include "tradeplane/signing/secret_bytes.h"

#include "absl/status/statusor.h"

namespace tradeplane::signer_service {

inline constexpr char kPassphraseEnv[] = "TRADEPLANE_KEYSTORE_PASSPHRASE";
// The largest secret file read (an Ed25519 PEM is ~120 bytes).
inline constexpr size_t kMaxSecretInputBytes = 64 * 1024;

// The whole of `path` ("-" = standard input) with trailing spaces, tabs and
// line ends removed (a secret saved with `echo` ends in a newline).
absl::StatusOr<signing::SecretBytes> ReadSecretInput(const std::string& path);

// Moves $TRADEPLANE_KEYSTORE_PASSPHRASE into guarded memory, overwrites the
// variable's text in the process's environment block (what /proc/PID/environ
// shows) and removes it. Call first thing in main(), before any thread
// starts: other threads (libpq) read the environment, and changing it under
// them is undefined.
void CapturePassphraseEnv();

// The keystore passphrase: from `file` when it is not empty, else the one
// CapturePassphraseEnv took from the environment (handed over once).
// NotFound when neither is there.
absl::StatusOr<signing::SecretBytes> ReadPassphrase(const std::string& file);

}  // namespace tradeplane::signer_service

#endif  // TRADEPLANE_SERVICES_SIGNER_SECRET_INPUT_H_
