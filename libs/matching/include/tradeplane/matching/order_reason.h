// Why the engine rejected, expired or canceled an order: an enum the venue
// simulator maps to Binance error codes, with a fixed sentence for people.
#ifndef TRADEPLANE_MATCHING_ORDER_REASON_H_
#define TRADEPLANE_MATCHING_ORDER_REASON_H_

#include <cstdint>
#include <string_view>

namespace tradeplane::matching {

enum class OrderReason : uint8_t {
  kNone = 0,
  // Rejections: the order never existed (no order id was used).
  kInvalidClientOrderId,
  kDuplicateClientOrderId,  // an open order of the same account has it
  kInvalidSide,
  kInvalidOrderType,
  kInvalidTimeInForce,
  kInvalidQuantity,  // non-positive, off the lot, outside [min, max]
  kInvalidPrice,     // non-positive or off the tick (limit), non-zero (market)
  kBelowMinNotional,
  // price * qty (with fees) does not fit the fixed-point range; also expires
  // the remainder of a market order whose next fill would not fit.
  kNotionalTooLarge,
  kWouldTakeLiquidity,  // post-only (LIMIT_MAKER) that would match at once
  kInsufficientBalance,
  // Expiries: the order existed; what was not filled is expired.
  kImmediateOrCancel,    // IOC remainder
  kFillOrKill,           // FOK that could not fill completely: nothing filled
  kNoMoreLiquidity,      // market order remainder
  kSelfTradePrevention,  // the taker met a resting order of its own account
  // Cancels.
  kCanceledByRequest,
};

// "post-only order would take liquidity", for logs and error messages.
std::string_view OrderReasonText(OrderReason reason);

}  // namespace tradeplane::matching

#endif  // TRADEPLANE_MATCHING_ORDER_REASON_H_
