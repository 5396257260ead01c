// The sign request execution's Binance adapter makes for a limit order
// (POST /api/v3/order, GTC, FULL response), as the signer benchmarks send it.
#ifndef TRADEPLANE_BENCH_SIGN_REQUEST_H_
#define TRADEPLANE_BENCH_SIGN_REQUEST_H_

#include <cstdint>
#include <string>

#include "tradeplane/signer/v1/signer.pb.h"

namespace tradeplane::bench {

struct LimitBuy {
  std::string symbol;        // "BTCUSDT"
  std::string qty;           // decimal text, as the adapter sends it: "0.0015"
  std::string price;         // "64123.45"
  int64_t notional_raw = 0;  // qty x price at the suite's 1e-9 scale, for the policy
};

// A buy of `order` under `key_id`; `request_id` is also the newClientOrderId.
// The timestamp is now (the realtime clock), the recvWindow 5000 ms.
signer::v1::SignRequest BinanceLimitBuySignRequest(const std::string& key_id,
                                                   const std::string& request_id,
                                                   const LimitBuy& order);

}  // namespace tradeplane::bench

#endif  // TRADEPLANE_BENCH_SIGN_REQUEST_H_
