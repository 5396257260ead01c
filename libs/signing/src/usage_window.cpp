#include "tradeplane/signing/usage_window.h"

#include <algorithm>

#include "tradeplane/core/str_cat.h"

#include "absl/strings/str_cat.h"

namespace tradeplane::signing {

void UsageWindow::Evict(const signer::v1::KeyPolicy& policy, Timestamp now) {
  // A request at time t counts while t > now - window_s. Requests stamped in
  // the future (the caller's clock went back) stay until they age out.
  Timestamp cutoff = now - std::chrono::seconds(policy.window_s());
  while (size_ > 0 && (policy.window_s() == 0 || ring_[head_].time <= cutoff)) {
    notional_sum_ -= ring_[head_].notional.raw();
    head_ = (head_ + 1) % ring_.size();
    --size_;
  }
}

SignDecision UsageWindow::Check(const signer::v1::KeyPolicy& policy, Amount notional,
                                Timestamp now) {
  Evict(policy, now);
  if (policy.max_requests_per_window() > 0 && size_ + 1 > policy.max_requests_per_window()) {
    return SignDecision::Refuse(
        signer::v1::SIGN_REFUSAL_RATE,
        absl::StrCat("the key already signed ", size_, " requests in the last ", policy.window_s(),
                     " s, its limit is ", policy.max_requests_per_window()));
  }
  if (policy.max_notional_per_window() > 0 &&
      notional_sum_ + notional.raw() > policy.max_notional_per_window()) {
    return SignDecision::Refuse(
        signer::v1::SIGN_REFUSAL_RATE,
        StrCat("notional ", notional.ToString(), " on top of ",
               Amount::FromRaw(static_cast<int64_t>(std::min<fixed_point::Int128>(
                                   notional_sum_, fixed_point::kMaxRaw)))
                   .ToString(),
               " in the last ", policy.window_s(), " s exceeds the window limit ",
               Amount::FromRaw(policy.max_notional_per_window()).ToString()));
  }
  return SignDecision::Allow();
}

void UsageWindow::Record(const signer::v1::KeyPolicy& policy, Amount notional, Timestamp now) {
  Evict(policy, now);
  if (policy.window_s() == 0) return;
  if (size_ == ring_.size()) {
    // Grow by doubling, unrolling the ring so the oldest entry is first.
    std::vector<Entry> grown;
    grown.reserve(ring_.empty() ? 16 : ring_.size() * 2);
    for (size_t i = 0; i < size_; ++i) grown.push_back(ring_[(head_ + i) % ring_.size()]);
    grown.resize(grown.capacity());
    ring_ = std::move(grown);
    head_ = 0;
  }
  ring_[(head_ + size_) % ring_.size()] = Entry{now, notional};
  ++size_;
  notional_sum_ += notional.raw();
}

}  // namespace tradeplane::signing
