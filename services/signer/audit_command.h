// `tradeplane-signer audit verify --config F.yaml`: walks the signing audit
// chain in PostgreSQL (signer_audit) with libs/signing's verifier and reports
// the first broken link. Exit codes: 0 the chain verifies, 1 it is broken (the
// seq and why), 2 usage error, 3 the chain could not be read.
#ifndef TRADEPLANE_SERVICES_SIGNER_AUDIT_COMMAND_H_
#define TRADEPLANE_SERVICES_SIGNER_AUDIT_COMMAND_H_

namespace tradeplane::signer_service {

// argv[1] is "audit".
int RunAuditCommand(int argc, char** argv);

}  // namespace tradeplane::signer_service

#endif  // TRADEPLANE_SERVICES_SIGNER_AUDIT_COMMAND_H_
