// The integer identities the matching engine hands out and keys on.
#ifndef TRADEPLANE_MATCHING_MATCHING_IDS_H_
#define TRADEPLANE_MATCHING_MATCHING_IDS_H_

#include <cstdint>

namespace tradeplane::matching {

// Who owns an order: one per API key in the venue simulator, a single account
// in the in-process sim venue. Self-trade prevention compares accounts.
using AccountId = uint32_t;

// Engine order ids and trade ids come from per-engine counters, so a replay
// with the same inputs produces the same ids. 0 means "none".
using OrderId = uint64_t;
using TradeId = uint64_t;

}  // namespace tradeplane::matching

#endif  // TRADEPLANE_MATCHING_MATCHING_IDS_H_
