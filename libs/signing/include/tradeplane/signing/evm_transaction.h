// EVM transactions built and signed from the structured EvmTransaction
// contract: the signer assembles every byte it signs, so a caller can never
// obtain a signature over a hash of its choosing.
//
//   legacy (EIP-155):  signing payload rlp([nonce, gas_price, gas_limit, to,
//                      value, data, chain_id, 0, 0]);
//                      raw rlp([nonce, gas_price, gas_limit, to, value, data,
//                      v = chain_id * 2 + 35 + recovery_id, r, s])
//   EIP-1559 (type 2): signing payload 0x02 || rlp([chain_id, nonce,
//                      max_priority_fee_per_gas, max_fee_per_gas, gas_limit,
//                      to, value, data, access_list]);
//                      raw 0x02 || rlp([... the same nine ..., y_parity, r, s])
//
// The signing hash is Keccak-256 of the payload; the transaction hash is
// Keccak-256 of the raw bytes. The access list is always empty (the contract
// has none), and contract creation (no `to`) is not offered.
#ifndef TRADEPLANE_SIGNING_EVM_TRANSACTION_H_
#define TRADEPLANE_SIGNING_EVM_TRANSACTION_H_

#include <cstdint>
#include <string>

#include "tradeplane/signer/v1/signer.pb.h"
#include "tradeplane/signing/evm_address.h"
#include "tradeplane/signing/keccak256.h"
#include "tradeplane/signing/secp256k1_key.h"
#include "tradeplane/signing/uint256.h"

#include "absl/status/statusor.h"

namespace tradeplane::signing {

// Largest calldata accepted (the common node limit on a whole transaction).
inline constexpr size_t kMaxEvmDataBytes = 128 * 1024;
// The intrinsic gas of the cheapest transaction; less can never be mined.
inline constexpr uint64_t kMinEvmGasLimit = 21000;

// A transaction whose every field has been checked.
struct EvmTransactionFields {
  signer::v1::EvmTxType type = signer::v1::EVM_TX_TYPE_UNSPECIFIED;
  uint64_t chain_id = 0;
  uint64_t nonce = 0;
  Uint256 gas_price;                 // legacy only
  Uint256 max_priority_fee_per_gas;  // EIP-1559 only
  Uint256 max_fee_per_gas;           // EIP-1559 only
  uint64_t gas_limit = 0;
  EvmAddress to;
  Uint256 value;
  std::string data;
};

// Checks `tx` and resolves its fields; `nonce` is the one to sign with (the
// request's own, or one the signer allocated). Errors name the field.
absl::StatusOr<EvmTransactionFields> ParseEvmTransaction(const signer::v1::EvmTransaction& tx,
                                                         uint64_t nonce);

// The exact bytes whose Keccak-256 is signed.
std::string EvmSigningPayload(const EvmTransactionFields& tx);

struct SignedEvmTransaction {
  std::string raw;         // ready for eth_sendRawTransaction
  Keccak256Digest hash{};  // the transaction hash (Keccak-256 of raw)
  Keccak256Digest signing_hash{};
  RecoverableSignature signature;
};

absl::StatusOr<SignedEvmTransaction> SignEvmTransaction(const EvmTransactionFields& tx,
                                                        const Secp256k1PrivateKey& key);

// The address that signed (ecrecover of the signing hash): a check that the
// signature and the payload belong together.
absl::StatusOr<EvmAddress> RecoverEvmSigner(const SignedEvmTransaction& signed_tx);

}  // namespace tradeplane::signing

#endif  // TRADEPLANE_SIGNING_EVM_TRANSACTION_H_
