// VenueRequest builders shared by the signing tests.
#ifndef TRADEPLANE_TESTS_UNIT_SIGNING_VENUE_REQUEST_BUILDERS_H_
#define TRADEPLANE_TESTS_UNIT_SIGNING_VENUE_REQUEST_BUILDERS_H_

#include <initializer_list>
#include <string>
#include <utility>

#include "tradeplane/signer/v1/signer.pb.h"

namespace tradeplane::signing::testing {

inline void AddParams(signer::v1::VenueRequest* request,
                      std::initializer_list<std::pair<const char*, const char*>> params) {
  for (const auto& [name, value] : params) {
    signer::v1::Param* p = request->add_params();
    p->set_name(name);
    p->set_value(value);
  }
}

// Binance's documented HMAC example: LIMIT BUY 1 LTCBTC at 0.1.
inline signer::v1::VenueRequest BinanceDocOrder() {
  signer::v1::VenueRequest request;
  request.set_venue(common::v1::VENUE_BINANCE);
  request.set_kind(signer::v1::REQUEST_KIND_ORDER);
  request.set_method("POST");
  request.set_path("/api/v3/order");
  AddParams(&request, {{"symbol", "LTCBTC"},
                       {"side", "BUY"},
                       {"type", "LIMIT"},
                       {"timeInForce", "GTC"},
                       {"quantity", "1"},
                       {"price", "0.1"}});
  request.set_timestamp_ms(1499827319559);
  request.set_recv_window_ms(5000);
  request.set_symbol("LTCBTC");
  request.set_side(common::v1::SIDE_BUY);
  return request;
}

}  // namespace tradeplane::signing::testing

#endif  // TRADEPLANE_TESTS_UNIT_SIGNING_VENUE_REQUEST_BUILDERS_H_
