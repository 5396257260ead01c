// Mean reversion: the z-score of the mid price against its rolling mean.
//
// The mid of each usable quote or book (not stale, not crossed or locked,
// both sides present) is sampled at most once per sample_ms into a z-score
// over `window` samples. On a sample: flat and z <= -entry_z buys at the
// ask; flat and z >= entry_z sells at the bid (allow_short only); a long
// exits (sells at the bid, reduce-only) once z >= -exit_z, a short once
// z <= exit_z. Any position held max_holding_s since its first fill is
// closed on the next usable quote or timer tick. Orders are limit IOC at the
// touch. While an order of the strategy is open on the instrument, it waits.
#ifndef TRADEPLANE_STRATEGY_MEAN_REVERSION_STRATEGY_H_
#define TRADEPLANE_STRATEGY_MEAN_REVERSION_STRATEGY_H_

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tradeplane/strategy/sizing.h"
#include "tradeplane/strategy/strategy.h"
#include "tradeplane/strategy/z_score.h"

#include "absl/status/statusor.h"

namespace tradeplane::strategy {

struct MeanReversionParams {
  int window = 60;          // samples, [2, 100000]
  double entry_z = 2.0;     // (0, 20]
  double exit_z = 0.5;      // [0, 20], below entry_z
  int max_holding_s = 300;  // [1, 604800]
  int sample_ms = 1000;     // [0, 3600000]; 0 samples every usable quote
  int stale_ms = 2000;      // [1, 3600000]
  bool allow_short = false;
  double win_probability = 0.5;  // Kelly sizing: p, [0, 1]
  double win_loss_ratio = 1.0;   // Kelly sizing: b, (0, 100]

  static absl::StatusOr<MeanReversionParams> FromMap(const std::map<std::string, double>& params);
};

class MeanReversionStrategy final : public Strategy {
 public:
  static absl::StatusOr<std::unique_ptr<MeanReversionStrategy>> Create(
      std::string id, std::vector<InstrumentIndex> instruments, const MeanReversionParams& params,
      SizingPolicy sizing);

  std::string_view kind() const override { return "mean_reversion"; }

 protected:
  void HandleQuote(const marketdata::Quote& quote, StrategyContext& ctx) override;
  void HandleBook(const marketdata::BookView& book, StrategyContext& ctx) override;
  void HandleFill(const Fill& fill, Quantity position_before, StrategyContext& ctx) override;
  void HandleTimer(Timestamp now, StrategyContext& ctx) override;

 private:
  struct State {
    ZScore z;
    bool has_sample = false;
    Timestamp last_sample;
    bool has_top = false;
    Price bid;
    Price ask;
    Quantity bid_qty;
    Quantity ask_qty;
    Timestamp top_time;
    bool holding = false;
    Timestamp entry_time;  // first fill of the current position
    // Holding-time exits: not tried again before this time, so an exit that
    // risk refuses or that does not fill is not sent again on every tick.
    Timestamp next_exit;
  };
  static constexpr Duration kExitRetry = std::chrono::seconds(1);

  MeanReversionStrategy(std::string id, std::vector<InstrumentIndex> instruments,
                        const MeanReversionParams& params, SizingPolicy sizing,
                        std::vector<State> states);

  void OnTop(InstrumentIndex instrument, Price bid, Quantity bid_qty, Price ask, Quantity ask_qty,
             Timestamp time, StrategyContext& ctx);
  // Closes the position at the touch when it has been held too long; true if
  // it acted (or had to say why it could not).
  bool CheckHoldingTime(InstrumentIndex instrument, State& s, Timestamp now, StrategyContext& ctx);
  void Send(InstrumentIndex instrument, Side side, Quantity qty, Price price, bool reduce_only,
            std::string reason, StrategyContext& ctx);

  MeanReversionParams params_;
  SizingPolicy sizing_;
  std::vector<State> states_;
};

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_MEAN_REVERSION_STRATEGY_H_
