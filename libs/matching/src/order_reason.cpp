#include "tradeplane/matching/order_reason.h"

namespace tradeplane::matching {

std::string_view OrderReasonText(OrderReason reason) {
  switch (reason) {
    case OrderReason::kNone:
      return "none";
    case OrderReason::kInvalidClientOrderId:
      return "client order id must be 1 to 36 characters of [A-Za-z0-9._:/-]";
    case OrderReason::kDuplicateClientOrderId:
      return "an open order of this account already has this client order id";
    case OrderReason::kInvalidSide:
      return "side must be BUY or SELL";
    case OrderReason::kInvalidOrderType:
      return "order type must be LIMIT, MARKET or LIMIT_MAKER";
    case OrderReason::kInvalidTimeInForce:
      return "time in force is not valid for this order type";
    case OrderReason::kInvalidQuantity:
      return "quantity must be positive, a multiple of the lot size and within the instrument's "
             "limits";
    case OrderReason::kInvalidPrice:
      return "limit price must be positive and a multiple of the tick size; a market order has no "
             "price";
    case OrderReason::kBelowMinNotional:
      return "price times quantity is below the instrument's minimum notional";
    case OrderReason::kNotionalTooLarge:
      return "price times quantity does not fit the fixed-point range";
    case OrderReason::kWouldTakeLiquidity:
      return "post-only order would take liquidity";
    case OrderReason::kInsufficientBalance:
      return "account has insufficient balance for this order";
    case OrderReason::kImmediateOrCancel:
      return "immediate-or-cancel remainder expired";
    case OrderReason::kFillOrKill:
      return "fill-or-kill order could not be filled completely";
    case OrderReason::kNoMoreLiquidity:
      return "market order remainder expired: no more liquidity";
    case OrderReason::kSelfTradePrevention:
      return "taker expired by self-trade prevention: it met a resting order of the same account";
    case OrderReason::kCanceledByRequest:
      return "canceled on request";
  }
  return "unknown reason";
}

}  // namespace tradeplane::matching
