// Two-sided quoting: a passive bid and ask around the mid, skewed against the
// inventory, within a maximum inventory.
//
// On each usable quote or book:
//   frac        = clamp(position / max_inventory, -1, 1)
//   reservation = mid * (1 - skew_bps/1e4 * frac)     (long → quotes move down)
//   bid = reservation * (1 - half_spread_bps/1e4), rounded down to the tick
//   ask = reservation * (1 + half_spread_bps/1e4), rounded up to the tick
// and never at or through the opposite side of the book (post-only
// LIMIT_MAKER, GTC). Each side's size is the sizing policy's, cut so that the
// position plus the live orders on that side stay within max_inventory (with
// allow_short 0, asks never sell more than is held). A resting quote whose
// price is more than requote_bps of the mid away from its target, or whose
// size no longer fits, is cancelled and replaced (the cancel is an intent
// with cancel_client_order_id; while a cancel is in flight the old order may
// still fill, so the inventory can overshoot by at most one quote per side).
// A stale, crossed, locked or one-sided book, or a timer tick with no fresh
// data, cancels every resting quote and says why: a quoting strategy that no
// longer sees a sane market must not leave quotes in it.
#ifndef TRADEPLANE_STRATEGY_QUOTING_STRATEGY_H_
#define TRADEPLANE_STRATEGY_QUOTING_STRATEGY_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tradeplane/strategy/sizing.h"
#include "tradeplane/strategy/strategy.h"

#include "absl/status/statusor.h"

namespace tradeplane::strategy {

struct QuotingParams {
  double half_spread_bps = 5;  // (0, 10000)
  double skew_bps = 5;         // [0, 10000)
  double max_inventory = 10;   // base units, (0, 1e12]
  double requote_bps = 1;      // [0, 10000]
  int stale_ms = 2000;         // [1, 3600000]
  bool allow_short = false;

  static absl::StatusOr<QuotingParams> FromMap(const std::map<std::string, double>& params);
};

class QuotingStrategy final : public Strategy {
 public:
  static absl::StatusOr<std::unique_ptr<QuotingStrategy>> Create(
      std::string id, std::vector<InstrumentIndex> instruments, const QuotingParams& params,
      SizingPolicy sizing);

  std::string_view kind() const override { return "quoting"; }

 protected:
  void HandleQuote(const marketdata::Quote& quote, StrategyContext& ctx) override;
  void HandleBook(const marketdata::BookView& book, StrategyContext& ctx) override;
  void HandleTimer(Timestamp now, StrategyContext& ctx) override;

 private:
  struct State {
    bool has_data = false;
    Timestamp last_data;
  };

  QuotingStrategy(std::string id, std::vector<InstrumentIndex> instruments,
                  const QuotingParams& params, SizingPolicy sizing);

  void OnTop(InstrumentIndex instrument, Price bid, Quantity bid_qty, Price ask, Quantity ask_qty,
             Timestamp time, StrategyContext& ctx);
  // What a quote was computed from, for its reason.
  struct QuoteContext {
    double mid;
    Quantity position;
    double reservation;
  };
  std::string Describe(const QuoteContext& context, int decimals) const;

  // Places, keeps, replaces or cancels the quote on one side. `room_raw` is
  // what the side may add without the live quote on it.
  void QuoteSide(InstrumentIndex instrument, Side side, Price target, Quantity size,
                 int64_t room_raw, const QuoteContext& context, StrategyContext& ctx);
  // Cancels every live quote on the instrument; returns how many.
  int PullQuotes(InstrumentIndex instrument, const std::string& why, StrategyContext& ctx);

  QuotingParams params_;
  SizingPolicy sizing_;
  Quantity max_inventory_;
  std::vector<State> states_;
};

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_QUOTING_STRATEGY_H_
