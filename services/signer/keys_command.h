// `tradeplane-signer keys ...`: the keystore's command line.
//
//   keys init
//   keys import --id ID --alg {hmac-sha256,ed25519,secp256k1}
//               (--secret-file F | --generate) [--api-key PUBLIC]
//               [--purpose venue-api|evm-wallet]
//   keys list [-o table|json]
//   keys rotate --id ID (--secret-file F | --generate) [--api-key PUBLIC] [--grace-s N]
//   keys policy set --id ID FILE.yaml
//   keys export-public --id ID [--version N] [-o table|json]
//   keys set-api-key --id ID --api-key PUBLIC [--version N]
// Every command takes --keystore PATH (or --config F.yaml with `keystore`)
// and the passphrase from $TRADEPLANE_KEYSTORE_PASSPHRASE or
// --passphrase-file F (or the config's passphrase_file). Secrets come from a
// file or standard input (--secret-file -), never from the command line.
// Exit codes: 0 done, 1 refused or failed, 2 usage error.
#ifndef TRADEPLANE_SERVICES_SIGNER_KEYS_COMMAND_H_
#define TRADEPLANE_SERVICES_SIGNER_KEYS_COMMAND_H_

namespace tradeplane::signer_service {

// argv[1] is "keys".
int RunKeysCommand(int argc, char** argv);

}  // namespace tradeplane::signer_service

#endif  // TRADEPLANE_SERVICES_SIGNER_KEYS_COMMAND_H_
