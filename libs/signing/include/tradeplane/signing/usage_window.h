// Rolling-window limits of one key: at most max_requests_per_window signed
// requests and max_notional_per_window of order notional within any window_s
// seconds. The caller passes `now`; the window keeps the requests it has
// admitted. No allocation per request once the buffer has grown to the
// window's peak size (a ring buffer that only doubles).
#ifndef TRADEPLANE_SIGNING_USAGE_WINDOW_H_
#define TRADEPLANE_SIGNING_USAGE_WINDOW_H_

#include <cstddef>
#include <vector>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/signer/v1/signer.pb.h"
#include "tradeplane/signing/sign_decision.h"

namespace tradeplane::signing {

class UsageWindow {
 public:
  // SIGN_REFUSAL_RATE when one more request of `notional` at `now` would
  // exceed the policy's count or notional within window_s. Drops requests
  // older than the window.
  SignDecision Check(const signer::v1::KeyPolicy& policy, Amount notional, Timestamp now);

  // Counts a signed request. Nothing is kept when the policy has no window.
  void Record(const signer::v1::KeyPolicy& policy, Amount notional, Timestamp now);

  size_t requests_in_window() const { return size_; }

 private:
  struct Entry {
    Timestamp time;
    Amount notional;
  };
  void Evict(const signer::v1::KeyPolicy& policy, Timestamp now);

  std::vector<Entry> ring_;
  size_t head_ = 0;  // oldest entry
  size_t size_ = 0;
  fixed_point::Int128 notional_sum_ = 0;
};

}  // namespace tradeplane::signing

#endif  // TRADEPLANE_SIGNING_USAGE_WINDOW_H_
