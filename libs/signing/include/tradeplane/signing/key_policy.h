// What a key may sign: the KeyPolicy contract turned into decisions.
//
// One rule for empty fields, so nobody has to guess:
//   - lists the contract documents as "empty = any" (allowed_symbols,
//     allowed_sides) are open when empty; they bound what the key trades, so
//     they apply to orders and cancels, not to queries and listen keys;
//   - every other list (allowed_venues, allowed_kinds, allowed_chain_ids,
//     allowed_destinations) is closed when empty: a fresh key signs nothing
//     until its policy names what it may do. In particular a WITHDRAWAL is
//     signed only when allowed_kinds lists it;
//   - numeric limits are off when zero or empty (max_notional_per_request,
//     max_notional_per_window, max_requests_per_window, max_evm_value_wei,
//     max_evm_fee_wei, max_timestamp_skew_ms).
// Rolling-window limits (count and notional per window_s) live in
// UsageWindow (usage_window.h), which keeps the state. Nothing here reads a
// clock: `now` comes from the caller.
#ifndef TRADEPLANE_SIGNING_KEY_POLICY_H_
#define TRADEPLANE_SIGNING_KEY_POLICY_H_

#include <cstdint>

#include "tradeplane/core/timestamp.h"
#include "tradeplane/signer/v1/signer.pb.h"
#include "tradeplane/signing/binance_request.h"
#include "tradeplane/signing/evm_transaction.h"
#include "tradeplane/signing/sign_decision.h"

#include "absl/status/status.h"

namespace tradeplane::signing {

// Structural checks when a policy is set: known enum values, non-negative
// limits, a window length when a window limit is set, destinations as
// lower-case 0x addresses, max_evm_value_wei and max_evm_fee_wei as decimal
// uint256.
absl::Status ValidateKeyPolicy(const signer::v1::KeyPolicy& policy);

// Venue, kind, symbol, side, notional per request and timestamp skew
// (SIGN_REFUSAL_EXPIRED when |timestamp_ms - now| exceeds the skew; only for
// SIGNED requests, which carry a timestamp).
SignDecision CheckVenuePolicy(const signer::v1::KeyPolicy& policy,
                              const signer::v1::VenueRequest& request,
                              const VenueRequestFacts& facts, Timestamp now);

// Kind EVM_TRANSACTION, chain id, destination, value, and the most the
// transaction may spend on gas: gas_limit x max_fee_per_gas (EIP-1559) or
// gas_limit x gas_price (legacy) against max_evm_fee_wei.
SignDecision CheckEvmPolicy(const signer::v1::KeyPolicy& policy, const EvmTransactionFields& tx);

}  // namespace tradeplane::signing

#endif  // TRADEPLANE_SIGNING_KEY_POLICY_H_
