#include "tradeplane/bench/sign_request.h"

#include <utility>

#include "tradeplane/core/clock.h"

namespace tradeplane::bench {

signer::v1::SignRequest BinanceLimitBuySignRequest(const std::string& key_id,
                                                   const std::string& request_id,
                                                   const LimitBuy& order) {
  signer::v1::SignRequest request;
  request.set_request_id(request_id);
  request.set_key_id(key_id);
  signer::v1::VenueRequest* venue = request.mutable_venue();
  venue->set_venue(common::v1::VENUE_BINANCE);
  venue->set_kind(signer::v1::REQUEST_KIND_ORDER);
  venue->set_method("POST");
  venue->set_path("/api/v3/order");
  for (auto [name, value] : {std::pair<std::string, std::string>{"symbol", order.symbol},
                             {"side", "BUY"},
                             {"type", "LIMIT"},
                             {"timeInForce", "GTC"},
                             {"quantity", order.qty},
                             {"price", order.price},
                             {"newClientOrderId", request_id},
                             {"newOrderRespType", "FULL"}}) {
    signer::v1::Param* p = venue->add_params();
    p->set_name(name);
    p->set_value(value);
  }
  venue->set_timestamp_ms(SystemClock::Instance().Now().millis());
  venue->set_recv_window_ms(5000);
  venue->set_symbol(order.symbol);
  venue->set_side(common::v1::SIDE_BUY);
  venue->set_notional(order.notional_raw);
  return request;
}

}  // namespace tradeplane::bench
