// How refusal sentences name an order: "limit buy of 10 NASDAQ.AMZN at 3355.1".
#ifndef TRADEPLANE_RISK_SRC_ORDER_DESCRIPTION_H_
#define TRADEPLANE_RISK_SRC_ORDER_DESCRIPTION_H_

#include <string>
#include <string_view>

#include "tradeplane/core/order.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/risk/risk_state.h"

namespace tradeplane::risk {

inline bool IsBuy(const OrderIntent& intent) { return intent.side == common::v1::SIDE_BUY; }
inline bool IsMarket(const OrderIntent& intent) {
  return intent.type == orders::v1::ORDER_TYPE_MARKET;
}
inline std::string_view SideWord(Side side) {
  return side == common::v1::SIDE_BUY ? "buy" : "sell";
}

inline std::string Describe(const OrderIntent& intent, const RiskState& state) {
  std::string name = state.instruments().at(intent.instrument).id.ToString();
  if (IsMarket(intent)) {
    return StrCat("market ", SideWord(intent.side), " of ", intent.qty.ToString(), " ", name);
  }
  return StrCat(intent.type == orders::v1::ORDER_TYPE_LIMIT_MAKER ? "post-only " : "limit ",
                SideWord(intent.side), " of ", intent.qty.ToString(), " ", name, " at ",
                intent.price.ToString());
}

}  // namespace tradeplane::risk

#endif  // TRADEPLANE_RISK_SRC_ORDER_DESCRIPTION_H_
