// Binance's REQUEST_WEIGHT limit: each endpoint costs a weight, counted per
// client IP address in fixed one-minute windows (they reset at the start of
// each minute of the clock). A request that would go over the limit is
// refused (429, -1003) with Retry-After: the seconds to the next minute.
// Thread-compatible.
#ifndef TRADEPLANE_SERVICES_VENUE_SIM_REQUEST_WEIGHT_LIMITER_H_
#define TRADEPLANE_SERVICES_VENUE_SIM_REQUEST_WEIGHT_LIMITER_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"

namespace tradeplane::venue_sim {

class RequestWeightLimiter {
 public:
  explicit RequestWeightLimiter(int limit_per_minute) : limit_(limit_per_minute) {}

  struct Decision {
    bool allowed = true;
    int used = 0;           // the client's weight this minute, this request included
    int retry_after_s = 0;  // when refused
  };
  // `remote` is "ip:port"; the port is ignored.
  Decision Add(std::string_view remote, int weight, int64_t now_ms);
  // The weight used this minute without adding any.
  int Used(std::string_view remote, int64_t now_ms);

  int limit() const { return limit_; }

 private:
  void Roll(int64_t now_ms);
  static std::string_view Ip(std::string_view remote);

  int limit_;
  int64_t minute_ = -1;
  absl::flat_hash_map<std::string, int> used_;
};

}  // namespace tradeplane::venue_sim

#endif  // TRADEPLANE_SERVICES_VENUE_SIM_REQUEST_WEIGHT_LIMITER_H_
