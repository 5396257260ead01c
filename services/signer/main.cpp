// tradeplane-signer: venue API secrets and wallet keys, signing under
// per-key policies, every answer recorded and audited.
//   tradeplane-signer --config F.yaml          the service
//   tradeplane-signer keys COMMAND ...         the keystore (keys_command.h)
//   tradeplane-signer audit verify --config F  the audit chain (audit_command.h)
#include <string_view>

#include "tradeplane/service/service_main.h"

#include "audit_command.h"
#include "keys_command.h"
#include "secret_input.h"
#include "signer_service.h"

int main(int argc, char** argv) {
  // Secrets are about to be in memory: no core dump may carry them, and no
  // other process of the same user may read this one's memory (ptrace).
  tradeplane::service::ServiceRuntime::DisableCoreDumps();
  // Before any thread starts (see CapturePassphraseEnv).
  tradeplane::signer_service::CapturePassphraseEnv();
  if (argc >= 2 && std::string_view(argv[1]) == "keys") {
    return tradeplane::signer_service::RunKeysCommand(argc, argv);
  }
  if (argc >= 2 && std::string_view(argv[1]) == "audit") {
    return tradeplane::signer_service::RunAuditCommand(argc, argv);
  }
  return tradeplane::service::ServiceMain<tradeplane::signer_service::SignerService>(
      argc, argv, tradeplane::ServiceId::kSigner,
      "Holds venue API secrets and wallet keys in an encrypted keystore and signs requests from "
      "allow-listed clients (CURVE) under each key's policy; every request is recorded in "
      "PostgreSQL (replay protection, EVM nonces, a hash-chained audit) before it is answered.\n"
      "Also: `tradeplane-signer keys --help` (the keystore) and `tradeplane-signer audit verify "
      "--config F.yaml` (the audit chain).",
      &tradeplane::signer_service::ApplyDefaults);
}
