#include "tradeplane/signing/key_policy.h"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/signing/binance_endpoints.h"
#include "tradeplane/signing/evm_address.h"
#include "tradeplane/signing/uint256.h"

#include "absl/strings/str_cat.h"

namespace tradeplane::signing {
namespace {

using signer::v1::KeyPolicy;
using signer::v1::SIGN_REFUSAL_EXPIRED;
using signer::v1::SIGN_REFUSAL_POLICY;

template <typename Repeated, typename Value>
bool Contains(const Repeated& list, const Value& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

absl::Status CheckEnumList(std::string_view field, const google::protobuf::RepeatedField<int>& list,
                           bool (*is_valid)(int)) {
  for (int value : list) {
    if (!is_valid(value) || value == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(ToAbsl(field), " has an unknown or unspecified value ", value));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateKeyPolicy(const KeyPolicy& policy) {
  if (absl::Status s =
          CheckEnumList("allowed_venues", policy.allowed_venues(), common::v1::Venue_IsValid);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          CheckEnumList("allowed_kinds", policy.allowed_kinds(), signer::v1::RequestKind_IsValid);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          CheckEnumList("allowed_sides", policy.allowed_sides(), common::v1::Side_IsValid);
      !s.ok()) {
    return s;
  }
  for (const std::string& symbol : policy.allowed_symbols()) {
    if (symbol.empty()) return absl::InvalidArgumentError("allowed_symbols has an empty symbol");
  }
  if (policy.max_notional_per_request() < 0 || policy.max_notional_per_window() < 0) {
    return absl::InvalidArgumentError("notional limits must not be negative");
  }
  if ((policy.max_notional_per_window() > 0 || policy.max_requests_per_window() > 0) &&
      policy.window_s() == 0) {
    return absl::InvalidArgumentError(
        "max_notional_per_window and max_requests_per_window need window_s");
  }
  for (uint64_t chain_id : policy.allowed_chain_ids()) {
    if (chain_id == 0) return absl::InvalidArgumentError("allowed_chain_ids has chain id 0");
  }
  for (const std::string& destination : policy.allowed_destinations()) {
    absl::StatusOr<EvmAddress> address = EvmAddress::Parse(destination);
    if (!address.ok() || address->ToLowerHex() != destination) {
      return absl::InvalidArgumentError(
          StrCat("allowed_destinations entry ", destination, " is not a lower-case 0x address"));
    }
  }
  if (!policy.max_evm_value_wei().empty()) {
    absl::StatusOr<Uint256> max = Uint256::ParseDecimal(policy.max_evm_value_wei());
    if (!max.ok()) {
      return absl::InvalidArgumentError(
          StrCat("max_evm_value_wei: ", ToStd(max.status().message())));
    }
  }
  if (!policy.max_evm_fee_wei().empty()) {
    absl::StatusOr<Uint256> max = Uint256::ParseDecimal(policy.max_evm_fee_wei());
    if (!max.ok()) {
      return absl::InvalidArgumentError(StrCat("max_evm_fee_wei: ", ToStd(max.status().message())));
    }
  }
  return absl::OkStatus();
}

SignDecision CheckVenuePolicy(const KeyPolicy& policy, const signer::v1::VenueRequest& request,
                              const VenueRequestFacts& facts, Timestamp now) {
  if (!Contains(policy.allowed_venues(), static_cast<int>(request.venue()))) {
    return SignDecision::Refuse(
        SIGN_REFUSAL_POLICY,
        StrCat("the key's policy does not allow venue ", ShortEnumName(request.venue())));
  }
  if (!Contains(policy.allowed_kinds(), static_cast<int>(facts.kind))) {
    return SignDecision::Refuse(
        SIGN_REFUSAL_POLICY,
        StrCat("the key's policy does not allow ", ShortEnumName(facts.kind), " requests"));
  }
  // Symbols and sides bound what the key trades (orders, cancels); queries
  // and listen keys only read, whatever symbol they name.
  const bool trades =
      facts.kind == signer::v1::REQUEST_KIND_ORDER || facts.kind == signer::v1::REQUEST_KIND_CANCEL;
  if (trades && !facts.symbol.empty() && !policy.allowed_symbols().empty() &&
      !Contains(policy.allowed_symbols(), facts.symbol)) {
    return SignDecision::Refuse(SIGN_REFUSAL_POLICY,
                                StrCat("the key's policy does not allow symbol ", facts.symbol));
  }
  if (trades && facts.side != common::v1::SIDE_UNSPECIFIED && !policy.allowed_sides().empty() &&
      !Contains(policy.allowed_sides(), static_cast<int>(facts.side))) {
    return SignDecision::Refuse(SIGN_REFUSAL_POLICY, StrCat("the key's policy does not allow side ",
                                                            ShortEnumName(facts.side)));
  }
  if (policy.max_notional_per_request() > 0 &&
      facts.notional.raw() > policy.max_notional_per_request()) {
    return SignDecision::Refuse(
        SIGN_REFUSAL_POLICY,
        StrCat("notional ", facts.notional.ToString(), " exceeds the per-request limit ",
               Amount::FromRaw(policy.max_notional_per_request()).ToString()));
  }
  if (IsSignedRequestKind(facts.kind) && policy.max_timestamp_skew_ms() > 0) {
    __extension__ typedef __int128 Int128;
    Int128 skew_ms = static_cast<Int128>(request.timestamp_ms()) - now.millis();
    if (skew_ms < 0) skew_ms = -skew_ms;
    if (skew_ms > policy.max_timestamp_skew_ms()) {
      return SignDecision::Refuse(
          SIGN_REFUSAL_EXPIRED,
          StrCat("request timestamp ", request.timestamp_ms(), " ms is ",
                 static_cast<int64_t>(skew_ms), " ms from the signer's clock (", now.millis(),
                 " ms), more than the allowed ", policy.max_timestamp_skew_ms(), " ms"));
    }
  }
  return SignDecision::Allow();
}

SignDecision CheckEvmPolicy(const KeyPolicy& policy, const EvmTransactionFields& tx) {
  if (!Contains(policy.allowed_kinds(),
                static_cast<int>(signer::v1::REQUEST_KIND_EVM_TRANSACTION))) {
    return SignDecision::Refuse(SIGN_REFUSAL_POLICY,
                                "the key's policy does not allow EVM_TRANSACTION requests");
  }
  if (!Contains(policy.allowed_chain_ids(), tx.chain_id)) {
    return SignDecision::Refuse(
        SIGN_REFUSAL_POLICY,
        absl::StrCat("the key's policy does not allow chain id ", tx.chain_id));
  }
  std::string to = tx.to.ToLowerHex();
  if (!Contains(policy.allowed_destinations(), to)) {
    return SignDecision::Refuse(SIGN_REFUSAL_POLICY,
                                StrCat("the key's policy does not allow destination ", to));
  }
  if (!policy.max_evm_value_wei().empty()) {
    absl::StatusOr<Uint256> max = Uint256::ParseDecimal(policy.max_evm_value_wei());
    if (!max.ok()) {
      // ValidateKeyPolicy refuses such a policy; a stored one that slipped
      // through must fail closed, not open.
      return SignDecision::Refuse(SIGN_REFUSAL_POLICY,
                                  "the key's max_evm_value_wei is not a valid number");
    }
    if (tx.value > *max) {
      return SignDecision::Refuse(SIGN_REFUSAL_POLICY,
                                  StrCat("value ", tx.value.ToDecimal(), " wei exceeds the limit ",
                                         max->ToDecimal(), " wei"));
    }
  }
  if (!policy.max_evm_fee_wei().empty()) {
    absl::StatusOr<Uint256> max = Uint256::ParseDecimal(policy.max_evm_fee_wei());
    if (!max.ok()) {
      return SignDecision::Refuse(SIGN_REFUSAL_POLICY,
                                  "the key's max_evm_fee_wei is not a valid number");
    }
    // The most the sender can be charged for gas: every unit of gas_limit at
    // the highest price it accepts.
    const bool legacy = tx.type == signer::v1::EVM_TX_TYPE_LEGACY;
    const Uint256& price = legacy ? tx.gas_price : tx.max_fee_per_gas;
    std::optional<Uint256> fee = price.CheckedMul(tx.gas_limit);
    if (!fee.has_value() || *fee > *max) {
      return SignDecision::Refuse(
          SIGN_REFUSAL_POLICY,
          StrCat("gas_limit ", tx.gas_limit, " x ", legacy ? "gas_price " : "max_fee_per_gas ",
                 price.ToDecimal(),
                 " wei = ", fee.has_value() ? fee->ToDecimal() : std::string("more than 2^256"),
                 " wei exceeds the fee limit ", max->ToDecimal(), " wei"));
    }
  }
  return SignDecision::Allow();
}

}  // namespace tradeplane::signing
