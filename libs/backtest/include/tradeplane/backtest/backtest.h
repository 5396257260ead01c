// The backtest: the same market-data engine, strategies, pre-trade checks,
// order state machine, simulated venue and surveillance detectors as the
// services, wired in one process and driven by the same replays. No bus, no
// database, as fast as the machine goes, and deterministic: ids come from a
// seeded generator and time from the replay, so two runs on the same input
// and config write byte-identical event logs.
#ifndef TRADEPLANE_BACKTEST_BACKTEST_H_
#define TRADEPLANE_BACKTEST_BACKTEST_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tradeplane/config/v1/services.pb.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/risk/v1/risk.pb.h"

#include "absl/status/statusor.h"

namespace tradeplane::backtest {

struct StageLatency {
  double p50_us = 0;
  double p99_us = 0;
  double p999_us = 0;
};

struct BacktestSummary {
  uint64_t events_replayed = 0;
  uint64_t quotes_published = 0;
  uint64_t trades_published = 0;
  uint64_t books_published = 0;
  uint64_t bars_published = 0;
  uint64_t intents = 0;
  uint64_t approvals = 0;
  std::map<std::string, uint64_t> refusals_by_reason;
  uint64_t orders_sent = 0;
  uint64_t fills = 0;
  uint64_t venue_orders = 0;
  uint64_t duplicate_client_order_ids = 0;
  uint64_t illegal_transitions = 0;
  std::map<std::string, uint64_t> alerts_by_type;
  risk::v1::PnlSummary pnl;
  std::string pnl_error;  // set when PnL could not be valued (a missing rate)
  // Time spent in process per stage, measured on a sample of events.
  std::map<std::string, StageLatency> latency;
  double wall_seconds = 0;
  double events_per_second = 0;
};

// Where a run is, for a progress line.
struct BacktestProgress {
  uint64_t events = 0;  // replayed so far, all replays
  int replay = 0;       // 1-based index of the replay running now
  int replays = 0;
  std::string_view feed;  // its name
};

class Backtest {
 public:
  static absl::StatusOr<std::unique_ptr<Backtest>> Create(const config::v1::BacktestConfig& config);
  ~Backtest();

  // Every record of the run (intents, decisions, order changes, fills), one
  // line each, appended here as it happens; null = not kept (the digest is
  // computed either way).
  void set_event_log(std::string* log);
  // Measure per-stage latency on one event in `every` (0 = never).
  void set_latency_sample(uint32_t every);

  // Runs every replay in order. `progress` is called now and then; it may be
  // empty.
  absl::Status Run(const std::function<void(const BacktestProgress&)>& progress = {});

  const BacktestSummary& summary() const;
  // SHA-256 of the event log, hex.
  std::string Digest() const;
  const InstrumentTable& instruments() const;

  class Impl;

 private:
  explicit Backtest(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The summary as the demo's summary.json (the same keys).
std::string SummaryJson(const BacktestSummary& summary);
// The summary as the few lines a person reads at the end of a run.
std::string SummaryText(const BacktestSummary& summary);

}  // namespace tradeplane::backtest

#endif  // TRADEPLANE_BACKTEST_BACKTEST_H_
