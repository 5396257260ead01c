// The risk limits as a validated domain config.
//
// RiskLimits is built once from the `risk.v1.Limits` contract (config file or
// `SetLimits`) and then only read. Everything inconsistent is refused with the
// path of the field, e.g.
//   instruments[2] (BINANCE.NKNUSDT): min_qty 5 is above max_qty 1
// A limits swap builds a new RiskLimits and hands it to RiskState::ApplyLimits;
// the state (positions, open orders, rate buckets, mode, blocks) is kept.
#ifndef TRADEPLANE_RISK_RISK_LIMITS_H_
#define TRADEPLANE_RISK_RISK_LIMITS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/risk/v1/risk.pb.h"

#include "absl/status/statusor.h"

namespace tradeplane::risk {

using TradingMode = v1::TradingMode;
using RefusalCode = v1::RefusalCode;

// A dimensionless fixed-point fraction (1.0 is 1e9 raw), e.g. a concentration.
struct RatioTag {};
using Ratio = FixedPoint<RatioTag>;

// Token-bucket parameters: `per_second` tokens come back every second, up to
// `burst` stored tokens. per_second == 0 means the rate is not limited.
struct RateLimit {
  uint32_t per_second = 0;
  uint32_t burst = 0;  // >= 1 whenever per_second > 0
  bool limited() const { return per_second > 0; }
};

struct InstrumentRiskLimits {
  InstrumentIndex instrument = 0;
  bool enabled = false;
  // The venue's spec with the limits' tick and lot sizes where they are
  // coarser; min_qty/max_qty are zero here (checked apart, with their codes).
  InstrumentSpec spec;
  Quantity min_qty;         // the larger of the venue's and the limits'; zero = none
  Quantity max_qty;         // the smaller non-zero of both; zero = none
  Amount min_notional;      // per order, quote currency; zero = none
  Amount max_notional;      // per order, quote currency; zero = none
  uint32_t collar_bps = 0;  // 1..10000
  v1::ReferencePrice reference_price = v1::REFERENCE_PRICE_UNSPECIFIED;
  Quantity max_position;    // |projected net position| cap, base units; > 0
  Ratio max_concentration;  // of equity; zero = not checked
  RateLimit order_rate;
  RateLimit cancel_rate;    // burst = per_second
  Duration stale_after{0};  // > 0
  std::string quote_currency;
  // Quote currency -> valuation currency; nullopt when the limits hold no
  // rate for it (then every order on the instrument is refused).
  std::optional<Price> quote_rate;
};

struct StrategyRiskLimits {
  std::string id;
  bool enabled = false;
  uint32_t max_open_orders = 0;  // zero = only the global cap applies
  RateLimit order_rate;
  Amount max_order_notional;  // per order, valuation currency; zero = none
};

struct BreakerThresholds {
  Amount daily_loss_limit;  // trips when daily PnL <= -limit; zero = off
  Amount max_drawdown;      // trips when drawdown >= limit; zero = off
  Ratio max_reject_ratio;   // trips when refusals / decisions > ratio; zero = off
  Duration reject_window{0};
  Duration market_data_stale{0};  // trips when an enabled instrument is this quiet; zero = off
};

class RiskLimits {
 public:
  // Validates and converts. Every error names its field path; all errors are
  // reported at once, one per line.
  static absl::StatusOr<RiskLimits> FromProto(const v1::Limits& proto,
                                              const InstrumentTable& instruments);

  // Null when the instrument has no limits (orders on it are refused).
  const InstrumentRiskLimits* instrument(InstrumentIndex index) const {
    return index < by_index_.size() && by_index_[index] >= 0
               ? &instruments_[static_cast<size_t>(by_index_[index])]
               : nullptr;
  }
  const std::vector<InstrumentRiskLimits>& instruments() const { return instruments_; }
  // Null when the strategy has no limits (its orders are refused). No allocation.
  const StrategyRiskLimits* strategy(std::string_view id) const {
    auto it = strategies_.find(id);
    return it == strategies_.end() ? nullptr : &it->second;
  }
  const std::vector<std::string>& strategy_ids() const { return strategy_ids_; }

  Amount max_gross_exposure() const { return max_gross_exposure_; }
  Amount max_net_exposure() const { return max_net_exposure_; }
  uint32_t max_open_orders() const { return max_open_orders_; }
  const BreakerThresholds& breakers() const { return breakers_; }
  const std::string& valuation_currency() const { return valuation_currency_; }
  // Into the valuation currency (which itself is 1); nullopt when missing.
  std::optional<Price> Rate(std::string_view currency) const;
  const std::map<std::string, Price, std::less<>>& rates() const { return rates_; }
  // The contract the limits were built from (for GetLimits and the audit).
  const v1::Limits& proto() const { return proto_; }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  std::vector<InstrumentRiskLimits> instruments_;
  std::vector<int32_t> by_index_;  // InstrumentIndex -> position in instruments_, or -1
  std::unordered_map<std::string, StrategyRiskLimits, Hash, std::equal_to<>> strategies_;
  std::vector<std::string> strategy_ids_;  // in config order
  Amount max_gross_exposure_;
  Amount max_net_exposure_;
  uint32_t max_open_orders_ = 0;
  BreakerThresholds breakers_;
  std::string valuation_currency_;
  std::map<std::string, Price, std::less<>> rates_;
  v1::Limits proto_;
};

}  // namespace tradeplane::risk

#endif  // TRADEPLANE_RISK_RISK_LIMITS_H_
