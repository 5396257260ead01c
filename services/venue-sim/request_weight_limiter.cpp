#include "request_weight_limiter.h"

namespace tradeplane::venue_sim {

std::string_view RequestWeightLimiter::Ip(std::string_view remote) {
  size_t colon = remote.rfind(':');
  return colon == std::string_view::npos ? remote : remote.substr(0, colon);
}

void RequestWeightLimiter::Roll(int64_t now_ms) {
  int64_t minute = now_ms / 60'000;
  if (minute != minute_) {
    minute_ = minute;
    used_.clear();
  }
}

RequestWeightLimiter::Decision RequestWeightLimiter::Add(std::string_view remote, int weight,
                                                         int64_t now_ms) {
  Roll(now_ms);
  int& used = used_[std::string(Ip(remote))];
  Decision d;
  if (used + weight > limit_) {
    d.allowed = false;
    d.used = used;
    int64_t ms_left = (minute_ + 1) * 60'000 - now_ms;
    d.retry_after_s = static_cast<int>((ms_left + 999) / 1000);
    return d;
  }
  used += weight;
  d.used = used;
  return d;
}

int RequestWeightLimiter::Used(std::string_view remote, int64_t now_ms) {
  Roll(now_ms);
  auto it = used_.find(std::string(Ip(remote)));
  return it == used_.end() ? 0 : it->second;
}

}  // namespace tradeplane::venue_sim
