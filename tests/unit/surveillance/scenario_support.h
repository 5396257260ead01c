// The labelled scenario set: abusive patterns and near misses injected into
// the real AMZN half-hour (data/lobster/AMZN_2021-04-12_..._message_10.csv),
// run through every detector, and scored.
//
// Two ways in. Patterns LOBSTER can express (orders resting and cancelled,
// executions of resting orders: spoofing, layering, quote stuffing) are
// injected as LOBSTER rows with their own mpid and replayed through the
// LOBSTER adapter from the file's start, so the rebuilt book shows them.
// Patterns that need the aggressor's identity or the counterparty, which
// LOBSTER does not carry (wash trades, momentum ignition, marking the close:
// our own execution reports), are injected as events into the events of the
// untouched stream. Everything random comes from a SeededRandom.
#ifndef TRADEPLANE_TESTS_UNIT_SURVEILLANCE_SCENARIO_SUPPORT_H_
#define TRADEPLANE_TESTS_UNIT_SURVEILLANCE_SCENARIO_SUPPORT_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tradeplane/core/ids.h"
#include "tradeplane/marketdata/lobster_format.h"
#include "tradeplane/surveillance/alert.h"
#include "tradeplane/surveillance/event.h"
#include "tradeplane/surveillance/participant_table.h"
#include "tradeplane/surveillance/surveillance_engine.h"

namespace tradeplane::surveillance::testing {

// The real half-hour, parsed and converted once per process.
struct AmznDay {
  CivilDate date{2021, 4, 12};
  std::vector<marketdata::LobsterMessage> messages;
  ParticipantTable participants;  // of `baseline`
  std::vector<Event> baseline;    // the untouched stream as events
};
const AmznDay& Amzn();

// New York wall-clock time (seconds after midnight) as UTC.
Timestamp NewYork(double seconds_after_midnight);
inline constexpr double kOpenS = 34'200;   // 09:30
inline constexpr double kCloseS = 36'000;  // 10:00, where the file ends

// The market as the untouched stream showed it just before `t`.
struct MarketSnapshot {
  Price bid;
  Price ask;
  Quantity bid_depth;
  Quantity ask_depth;
  Price last_trade;
  Timestamp last_trade_time;
};
MarketSnapshot SnapshotBefore(Timestamp t);
// Public volume of the untouched stream in [from, to).
Quantity PublicVolume(Timestamp from, Timestamp to);

Price Cents(int64_t cents);
int64_t CentsOf(Price price);
Quantity Shares(int64_t shares);

// An event whose participants are named (interned when the scenario runs).
struct NamedEvent {
  Event event;
  std::string participant;
  std::string counterparty;
};

struct Scenario {
  std::string name;                                 // "spoofing/layered-3/buy/2.5x"
  AlertType family = v1::ALERT_TYPE_UNSPECIFIED;    // the detector it exercises
  AlertType expected = v1::ALERT_TYPE_UNSPECIFIED;  // UNSPECIFIED: nothing may fire
  std::string subject;                              // the participant or owner the alert must name
  double start_s = kOpenS;                          // the real stretch replayed (New York seconds)
  double stop_s = kCloseS;
  std::vector<marketdata::LobsterMessage> rows;  // injected LOBSTER rows
  std::vector<NamedEvent> events;                // injected events
  std::map<std::string, std::string> owners;     // beneficial owners to configure
  std::optional<Timestamp> finish;               // Finish() time (default: the last event)
};

// Builds one scenario's injections with fresh order and fill ids.
class ScenarioBuilder {
 public:
  ScenarioBuilder(Scenario* scenario, SeededRandom* random);

  int64_t Int(int64_t lo, int64_t hi);  // uniform in [lo, hi]
  double Real(double lo, double hi);
  uint64_t NewOrderId() { return next_order_id_++; }
  uint64_t NewFillId() { return next_fill_id_++; }

  // LOBSTER rows (New York seconds).
  void Row(double t_s, marketdata::LobsterEventType type, uint64_t order_id, Quantity size,
           Price price, Side side, std::string_view mpid);
  // Our order taking liquidity: submitted, executed (aggressive), and the
  // public trade it makes.
  void AggressiveTrade(double t_s, std::string_view who, Side side, Price price, Quantity qty,
                       std::string_view counterparty = "");
  // Our resting order filled by someone else's: submitted, executed (passive),
  // and the public trade.
  void PassiveTrade(double t_s, std::string_view who, Side side, Price price, Quantity qty,
                    double rested_s = 0.5, std::string_view counterparty = "");
  void Add(const Event& event, std::string_view participant, std::string_view counterparty = "");

 private:
  Scenario* scenario_;
  SeededRandom* random_;
  uint64_t next_order_id_ = 9'000'000'000;
  uint64_t next_fill_id_ = 9'000'000'000'000;
};

// Defaults, with the session closing at 10:00 New York (14:00 UTC) like the file.
EngineConfig QualityConfig();

struct ScenarioRun {
  ParticipantTable participants;
  std::vector<Alert> alerts;
  size_t events = 0;
};
ScenarioRun RunScenario(const Scenario& scenario, const EngineConfig& config);

// The scenario families (scenario_families.cpp).
std::vector<Scenario> SpoofingScenarios(SeededRandom& random);
std::vector<Scenario> QuoteStuffingScenarios(SeededRandom& random);
std::vector<Scenario> WashTradeScenarios(SeededRandom& random);
std::vector<Scenario> MomentumIgnitionScenarios(SeededRandom& random);
std::vector<Scenario> MarkingCloseScenarios(SeededRandom& random);
std::vector<Scenario> CleanStretches(SeededRandom& random);

}  // namespace tradeplane::surveillance::testing

#endif  // TRADEPLANE_TESTS_UNIT_SURVEILLANCE_SCENARIO_SUPPORT_H_
