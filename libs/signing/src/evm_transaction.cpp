#include "tradeplane/signing/evm_transaction.h"

#include "tradeplane/core/str_cat.h"
#include "tradeplane/signing/byte_view.h"
#include "tradeplane/signing/rlp.h"

#include "absl/status/status.h"

namespace tradeplane::signing {
namespace {

using signer::v1::EVM_TX_TYPE_EIP1559;
using signer::v1::EVM_TX_TYPE_LEGACY;

constexpr char kEip1559TypeByte = 0x02;

absl::StatusOr<Uint256> ParseWei(std::string_view field, std::string_view text) {
  if (text.empty()) {
    return absl::InvalidArgumentError(StrCat(field, " is required (a decimal number of wei)"));
  }
  absl::StatusOr<Uint256> value = Uint256::ParseDecimal(text);
  if (!value.ok()) {
    return absl::InvalidArgumentError(StrCat(field, ": ", ToStd(value.status().message())));
  }
  return value;
}

absl::Status RequireEmpty(std::string_view field, std::string_view text, std::string_view type) {
  if (text.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(StrCat(field, " must be empty for ", type, " transactions"));
}

// r and s are RLP integers: minimal big-endian, leading zero bytes dropped.
void AppendSignatureInteger(const std::array<uint8_t, 32>& big_endian, std::string* out) {
  size_t first = 0;
  while (first < big_endian.size() && big_endian[first] == 0) ++first;
  RlpAppendString(AsChars(std::span(big_endian).subspan(first)), out);
}

// The items both payload and raw form share, in each type's order.
std::string CommonItems(const EvmTransactionFields& tx) {
  std::string items;
  items.reserve(128 + tx.data.size());
  if (tx.type == EVM_TX_TYPE_EIP1559) {
    RlpAppendUint(tx.chain_id, &items);
    RlpAppendUint(tx.nonce, &items);
    RlpAppendUint(tx.max_priority_fee_per_gas, &items);
    RlpAppendUint(tx.max_fee_per_gas, &items);
  } else {
    RlpAppendUint(tx.nonce, &items);
    RlpAppendUint(tx.gas_price, &items);
  }
  RlpAppendUint(tx.gas_limit, &items);
  RlpAppendString(AsChars(tx.to.bytes), &items);
  RlpAppendUint(tx.value, &items);
  RlpAppendString(tx.data, &items);
  if (tx.type == EVM_TX_TYPE_EIP1559) RlpAppendListHeader(0, &items);  // empty access list
  return items;
}

}  // namespace

absl::StatusOr<EvmTransactionFields> ParseEvmTransaction(const signer::v1::EvmTransaction& tx,
                                                         uint64_t nonce) {
  EvmTransactionFields out;
  out.type = tx.type();
  out.nonce = nonce;
  if (tx.type() != EVM_TX_TYPE_LEGACY && tx.type() != EVM_TX_TYPE_EIP1559) {
    return absl::InvalidArgumentError("type must be LEGACY or EIP1559");
  }
  if (tx.chain_id() == 0) return absl::InvalidArgumentError("chain_id is required");
  out.chain_id = tx.chain_id();
  if (tx.type() == EVM_TX_TYPE_LEGACY) {
    absl::StatusOr<Uint256> gas_price = ParseWei("gas_price_wei", tx.gas_price_wei());
    if (!gas_price.ok()) return gas_price.status();
    out.gas_price = *gas_price;
    if (absl::Status s = RequireEmpty("max_priority_fee_per_gas_wei",
                                      tx.max_priority_fee_per_gas_wei(), "legacy");
        !s.ok()) {
      return s;
    }
    if (absl::Status s = RequireEmpty("max_fee_per_gas_wei", tx.max_fee_per_gas_wei(), "legacy");
        !s.ok()) {
      return s;
    }
  } else {
    if (absl::Status s = RequireEmpty("gas_price_wei", tx.gas_price_wei(), "EIP-1559"); !s.ok()) {
      return s;
    }
    absl::StatusOr<Uint256> tip =
        ParseWei("max_priority_fee_per_gas_wei", tx.max_priority_fee_per_gas_wei());
    if (!tip.ok()) return tip.status();
    absl::StatusOr<Uint256> cap = ParseWei("max_fee_per_gas_wei", tx.max_fee_per_gas_wei());
    if (!cap.ok()) return cap.status();
    if (*tip > *cap) {
      // Nodes refuse such a transaction (the tip could never be paid in full).
      return absl::InvalidArgumentError("max_priority_fee_per_gas_wei exceeds max_fee_per_gas_wei");
    }
    out.max_priority_fee_per_gas = *tip;
    out.max_fee_per_gas = *cap;
  }
  if (tx.gas_limit() < kMinEvmGasLimit) {
    return absl::InvalidArgumentError(
        StrCat("gas_limit ", tx.gas_limit(), " is below the intrinsic 21000"));
  }
  out.gas_limit = tx.gas_limit();
  if (tx.to().empty()) {
    return absl::InvalidArgumentError("to is required (contract creation is not offered)");
  }
  absl::StatusOr<EvmAddress> to = EvmAddress::Parse(tx.to());
  if (!to.ok()) return absl::InvalidArgumentError(StrCat("to: ", ToStd(to.status().message())));
  out.to = *to;
  absl::StatusOr<Uint256> value = ParseWei("value_wei", tx.value_wei());
  if (!value.ok()) return value.status();
  out.value = *value;
  if (tx.data().size() > kMaxEvmDataBytes) {
    return absl::InvalidArgumentError(StrCat("data is ", tx.data().size(), " bytes, more than the ",
                                             kMaxEvmDataBytes, " accepted"));
  }
  out.data = tx.data();
  return out;
}

std::string EvmSigningPayload(const EvmTransactionFields& tx) {
  std::string items = CommonItems(tx);
  if (tx.type == EVM_TX_TYPE_LEGACY) {
    // EIP-155: the chain id and two empty integers stand where v, r, s will.
    RlpAppendUint(tx.chain_id, &items);
    RlpAppendUint(0, &items);
    RlpAppendUint(0, &items);
    return RlpWrapList(items);
  }
  std::string payload(1, kEip1559TypeByte);
  RlpAppendListHeader(items.size(), &payload);
  payload.append(items);
  return payload;
}

absl::StatusOr<SignedEvmTransaction> SignEvmTransaction(const EvmTransactionFields& tx,
                                                        const Secp256k1PrivateKey& key) {
  if (tx.type != EVM_TX_TYPE_LEGACY && tx.type != EVM_TX_TYPE_EIP1559) {
    return absl::InvalidArgumentError("type must be LEGACY or EIP1559");
  }
  SignedEvmTransaction out;
  out.signing_hash = Keccak256Hash(EvmSigningPayload(tx));
  absl::StatusOr<RecoverableSignature> signature = key.SignDigest(out.signing_hash);
  if (!signature.ok()) return signature.status();
  out.signature = *signature;

  std::string items = CommonItems(tx);
  if (tx.type == EVM_TX_TYPE_LEGACY) {
    // v = chain_id * 2 + 35 + recovery_id can exceed 64 bits for large chain ids.
    __extension__ typedef unsigned __int128 UInt128;
    UInt128 v = static_cast<UInt128>(tx.chain_id) * 2 + 35 + signature->recovery_id;
    std::string v_bytes;
    for (UInt128 rest = v; rest != 0; rest >>= 8) {
      v_bytes.insert(v_bytes.begin(), static_cast<char>(rest & 0xff));
    }
    RlpAppendString(v_bytes, &items);
  } else {
    RlpAppendUint(signature->recovery_id, &items);
  }
  AppendSignatureInteger(signature->r, &items);
  AppendSignatureInteger(signature->s, &items);
  if (tx.type == EVM_TX_TYPE_LEGACY) {
    out.raw = RlpWrapList(items);
  } else {
    out.raw.assign(1, kEip1559TypeByte);
    RlpAppendListHeader(items.size(), &out.raw);
    out.raw.append(items);
  }
  out.hash = Keccak256Hash(out.raw);
  return out;
}

absl::StatusOr<EvmAddress> RecoverEvmSigner(const SignedEvmTransaction& signed_tx) {
  absl::StatusOr<Secp256k1PublicKey> public_key =
      RecoverPublicKey(signed_tx.signing_hash, signed_tx.signature);
  if (!public_key.ok()) return public_key.status();
  return EvmAddress::FromPublicKey(*public_key);
}

}  // namespace tradeplane::signing
