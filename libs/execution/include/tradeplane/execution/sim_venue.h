// SimVenue: the Venue interface in process, over one matching engine per
// instrument, fed by the replayed market. Used by the backtest and by tests of
// the execution service.
//
// Time is the caller's: AdvanceTo() and the market events (which advance to
// their exchange time) move it. With a latency, a submit or cancel reaches the
// engine `latency` after the call, so the market can move in between; the call
// itself returns PENDING_NEW / PENDING_CANCEL and the venue's answer comes as
// updates (PollUpdates). Without latency a call is carried out at once and
// answers like Binance's REST API (its fills included); the same changes are
// also pushed as updates, like Binance's user data stream, so a caller sees
// some facts twice and must treat duplicates as such. Reads (query, open
// orders, fills, balances) see the engine's current state at once.
//
// One account. Balances are always kept (may go negative unless checked).
// InjectFault makes chosen calls fail with a chosen classification, to test
// the caller's handling of transient, definitive and unknown-outcome errors.
// Thread-compatible.
#ifndef TRADEPLANE_EXECUTION_SIM_VENUE_H_
#define TRADEPLANE_EXECUTION_SIM_VENUE_H_

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tradeplane/core/instrument.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/execution/venue.h"
#include "tradeplane/execution/venue_error.h"
#include "tradeplane/marketdata/events.h"
#include "tradeplane/matching/balance_book.h"
#include "tradeplane/matching/fee_schedule.h"
#include "tradeplane/matching/matching_engine.h"

#include "absl/status/statusor.h"

namespace tradeplane::execution {

struct SimVenueConfig {
  // From the call to the matching engine (the ack comes after it). Zero: at once.
  Duration latency{0};
  matching::FeeSchedule fees;
  // Refuse orders the account cannot fund (Binance's insufficient balance).
  bool check_balances = false;
  // Starting free balances by asset name.
  std::vector<std::pair<std::string, Amount>> balances;
  // The instruments to trade; empty = every instrument of the table.
  std::vector<InstrumentIndex> instruments;
  // Fill ids are "<prefix>:<symbol>:<trade id>".
  std::string fill_id_prefix = "SIM";
};

enum class VenueCall : uint8_t {
  kSubmit,
  kCancel,
  kCancelAll,
  kQueryOrder,
  kOpenOrders,
  kFillsSince,
  kBalances,
  kPollUpdates,
};
inline constexpr size_t kVenueCalls = 8;

class SimVenue final : public Venue {
 public:
  static absl::StatusOr<std::unique_ptr<SimVenue>> Create(const InstrumentTable& instruments,
                                                          SimVenueConfig config);
  ~SimVenue() override;
  SimVenue(const SimVenue&) = delete;
  SimVenue& operator=(const SimVenue&) = delete;

  // --- Time and market (the caller drives both) --------------------------------
  // Carries out the requests due by `now` (never moves time backwards).
  void AdvanceTo(Timestamp now);
  Timestamp now() const { return now_; }
  absl::Status OnQuote(const marketdata::Quote& quote);
  absl::Status OnTrade(const marketdata::Trade& trade);
  absl::Status OnBook(const marketdata::BookView& book, matching::SnapshotDepth depth);
  absl::Status OnBookLevel(InstrumentIndex instrument, Side side, Price price, Quantity qty,
                           Timestamp time);

  // The next `times` calls of `call` fail with `error`. An unknown-outcome
  // fault on submit, cancel or cancel-all still carries the request out (it
  // was sent; only the answer is lost); any other fault carries nothing out.
  void InjectFault(VenueCall call, VenueError error, int times = 1);

  // For inspection; null for an instrument the venue does not trade.
  const matching::MatchingEngine* engine(InstrumentIndex instrument) const;
  size_t pending_requests() const { return pending_.size(); }

  // --- Venue ---------------------------------------------------------------------
  absl::StatusOr<SubmitAck> Submit(const VenueOrderRequest& request) override;
  absl::StatusOr<VenueOrder> Cancel(InstrumentIndex instrument,
                                    std::string_view client_order_id) override;
  absl::StatusOr<std::vector<VenueOrder>> CancelAll(InstrumentIndex instrument) override;
  absl::StatusOr<VenueOrder> QueryOrder(InstrumentIndex instrument,
                                        std::string_view client_order_id) override;
  absl::StatusOr<std::vector<VenueOrder>> OpenOrders(
      std::optional<InstrumentIndex> instrument) override;
  absl::StatusOr<FillPage> FillsSince(InstrumentIndex instrument, FillCheckpoint since,
                                      size_t limit) override;
  absl::StatusOr<std::vector<VenueBalance>> Balances() override;
  absl::StatusOr<std::vector<VenueUpdate>> PollUpdates() override;

 private:
  static constexpr matching::AccountId kAccount = 1;

  class EngineSink final : public matching::MatchEventSink {
   public:
    EngineSink(SimVenue* venue, InstrumentIndex instrument)
        : venue_(venue), instrument_(instrument) {}
    void OnMatchEvent(const matching::MatchEvent& event) override {
      venue_->OnMatchEvent(instrument_, event);
    }

   private:
    SimVenue* venue_;
    InstrumentIndex instrument_;
  };

  struct Instrument {
    std::unique_ptr<EngineSink> sink;
    std::unique_ptr<matching::MatchingEngine> engine;
    std::vector<std::pair<uint64_t, Fill>> fills;  // by venue trade id, ascending
  };

  enum class RequestKind : uint8_t { kSubmit, kCancel, kCancelAll };
  struct PendingRequest {
    Timestamp arrival;
    RequestKind kind = RequestKind::kSubmit;
    VenueOrderRequest order;  // kSubmit; for the others instrument and client id
  };

  explicit SimVenue(SimVenueConfig config) : config_(std::move(config)) {}

  std::optional<VenueError> TakeFault(VenueCall call);
  absl::StatusOr<Instrument*> Find(InstrumentIndex instrument);
  VenueOrder ToVenueOrder(InstrumentIndex instrument, const matching::EngineOrder& o) const;
  static VenueOrder FromRequest(const VenueOrderRequest& request, OrderStatus status);
  void OnMatchEvent(InstrumentIndex instrument, const matching::MatchEvent& event);

  // Carry a request out at `time`. `synchronous`: the caller waits for the answer.
  absl::StatusOr<SubmitAck> ProcessSubmit(const VenueOrderRequest& request, Timestamp time,
                                          bool synchronous);
  absl::StatusOr<VenueOrder> ProcessCancel(InstrumentIndex instrument,
                                           std::string_view client_order_id, Timestamp time,
                                           bool synchronous);
  std::vector<VenueOrder> ProcessCancelAll(InstrumentIndex instrument, Timestamp time);
  bool IsPendingSubmit(InstrumentIndex instrument, std::string_view client_order_id) const;

  SimVenueConfig config_;
  matching::BalanceBook balances_;
  std::vector<Instrument> instruments_;  // indexed by InstrumentIndex; engine null if not traded
  std::deque<PendingRequest> pending_;
  std::vector<VenueUpdate> updates_;
  std::array<std::deque<std::pair<VenueError, int>>, kVenueCalls> faults_;
  Timestamp now_;
  // While a deferred submit is carried out: its request (rejections become updates).
  const VenueOrderRequest* deferred_submit_ = nullptr;
};

}  // namespace tradeplane::execution

#endif  // TRADEPLANE_EXECUTION_SIM_VENUE_H_
