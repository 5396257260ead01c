#include "scenario_support.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>

#include <catch2/catch.hpp>

#include "tradeplane/surveillance/lobster_adapter.h"
#include "tradeplane/surveillance/review.h"
#include "tradeplane/testing/temp_dir.h"

namespace tradeplane::surveillance::testing {
namespace {

constexpr char kAmznFile[] =
    TRADEPLANE_SOURCE_DIR "/data/lobster/AMZN_2021-04-12_34200000_57600000_message_10.csv";

Duration AfterMidnight(double seconds) {
  return Duration(static_cast<int64_t>(std::llround(seconds * 1e9)));
}

AmznDay Load() {
  AmznDay day;
  std::string text = tradeplane::testing::ReadFile(kAmznFile);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + pos, end - pos);
    pos = end + 1;
    if (line.empty()) continue;
    absl::StatusOr<marketdata::LobsterMessage> m = marketdata::ParseLobsterMessage(line);
    REQUIRE(m.ok());
    day.messages.push_back(*m);
  }
  LobsterEventAdapter adapter(LobsterAdapterOptions{0, day.date, 5}, &day.participants);
  for (const marketdata::LobsterMessage& m : day.messages) {
    REQUIRE(adapter.Append(m, &day.baseline).ok());
  }
  return day;
}

// The first baseline event at or after `t`.
size_t LowerBound(Timestamp t) {
  const std::vector<Event>& events = Amzn().baseline;
  return static_cast<size_t>(
      std::lower_bound(events.begin(), events.end(), t,
                       [](const Event& e, Timestamp time) { return e.time < time; }) -
      events.begin());
}

}  // namespace

const AmznDay& Amzn() {
  static const AmznDay kDay = Load();
  return kDay;
}

Timestamp NewYork(double seconds_after_midnight) {
  absl::StatusOr<Timestamp> t =
      marketdata::LobsterTimeToUtc(CivilDate{2021, 4, 12}, AfterMidnight(seconds_after_midnight));
  REQUIRE(t.ok());
  return *t;
}

MarketSnapshot SnapshotBefore(Timestamp t) {
  const std::vector<Event>& events = Amzn().baseline;
  MarketSnapshot snapshot;
  bool have_book = false;
  bool have_trade = false;
  for (size_t i = LowerBound(t); i-- > 0 && !(have_book && have_trade);) {
    const Event& e = events[i];
    if (!have_book && e.kind == EventKind::kBookUpdate && e.bid_price.is_positive() &&
        e.ask_price.is_positive()) {
      snapshot.bid = e.bid_price;
      snapshot.ask = e.ask_price;
      snapshot.bid_depth = e.bid_depth_qty;
      snapshot.ask_depth = e.ask_depth_qty;
      have_book = true;
    }
    if (!have_trade && e.kind == EventKind::kPublicTrade) {
      snapshot.last_trade = e.price;
      snapshot.last_trade_time = e.time;
      have_trade = true;
    }
  }
  REQUIRE(have_book);
  return snapshot;
}

Quantity PublicVolume(Timestamp from, Timestamp to) {
  const std::vector<Event>& events = Amzn().baseline;
  int64_t sum = 0;
  for (size_t i = LowerBound(from); i < events.size() && events[i].time < to; ++i) {
    if (events[i].kind == EventKind::kPublicTrade) sum += events[i].qty.raw();
  }
  return Quantity::FromRaw(sum);
}

Price Cents(int64_t cents) { return Price::FromRaw(cents * 10'000'000); }
int64_t CentsOf(Price price) { return price.raw() / 10'000'000; }
Quantity Shares(int64_t shares) { return Quantity::FromRaw(shares * kFixedPointScale); }

ScenarioBuilder::ScenarioBuilder(Scenario* scenario, SeededRandom* random)
    : scenario_(scenario), random_(random) {}

int64_t ScenarioBuilder::Int(int64_t lo, int64_t hi) {
  return lo + static_cast<int64_t>(random_->Next() % static_cast<uint64_t>(hi - lo + 1));
}

double ScenarioBuilder::Real(double lo, double hi) {
  return lo + (hi - lo) * static_cast<double>(random_->Next() >> 11) / 9007199254740992.0;
}

void ScenarioBuilder::Row(double t_s, marketdata::LobsterEventType type, uint64_t order_id,
                          Quantity size, Price price, Side side, std::string_view mpid) {
  marketdata::LobsterMessage m;
  m.time_after_midnight = AfterMidnight(t_s);
  m.type = type;
  m.order_id = static_cast<int64_t>(order_id);
  m.size = size;
  m.price = price;
  m.direction = side;
  std::memcpy(m.mpid, mpid.data(), std::min(mpid.size(), sizeof(m.mpid)));
  scenario_->rows.push_back(m);
}

void ScenarioBuilder::Add(const Event& event, std::string_view participant,
                          std::string_view counterparty) {
  scenario_->events.push_back(
      NamedEvent{event, std::string(participant), std::string(counterparty)});
}

void ScenarioBuilder::AggressiveTrade(double t_s, std::string_view who, Side side, Price price,
                                      Quantity qty, std::string_view counterparty) {
  Timestamp t = NewYork(t_s);
  uint64_t order = NewOrderId();
  uint64_t fill = NewFillId();
  Add(OrderSubmitted(t, 0, kUnknownParticipant, order, side, price, qty, Aggression::kAggressive),
      who);
  Add(OrderExecuted(t, 0, kUnknownParticipant, order, fill, side, price, qty,
                    Aggression::kAggressive),
      who, counterparty);
  Add(PublicTrade(t, 0, fill, side, price, qty), "");
}

void ScenarioBuilder::PassiveTrade(double t_s, std::string_view who, Side side, Price price,
                                   Quantity qty, double rested_s, std::string_view counterparty) {
  uint64_t order = NewOrderId();
  uint64_t fill = NewFillId();
  Add(OrderSubmitted(NewYork(t_s - rested_s), 0, kUnknownParticipant, order, side, price, qty,
                     Aggression::kPassive),
      who);
  Timestamp t = NewYork(t_s);
  Add(OrderExecuted(t, 0, kUnknownParticipant, order, fill, side, price, qty, Aggression::kPassive),
      who, counterparty);
  Side aggressor = side == common::v1::SIDE_BUY ? common::v1::SIDE_SELL : common::v1::SIDE_BUY;
  Add(PublicTrade(t, 0, fill, aggressor, price, qty), "");
}

EngineConfig QualityConfig() {
  EngineConfig config;
  config.detectors["marking_the_close"].params["close_time_utc_s"] = 14 * 3600;
  return config;
}

ScenarioRun RunScenario(const Scenario& scenario, const EngineConfig& base) {
  const AmznDay& day = Amzn();
  ScenarioRun run;
  std::vector<Event> events;
  if (!scenario.rows.empty()) {
    // Replay the file from its start with the rows merged in, so the rebuilt
    // book holds the injected orders.
    std::vector<marketdata::LobsterMessage> rows = scenario.rows;
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
      return a.time_after_midnight < b.time_after_midnight;
    });
    Duration stop = AfterMidnight(scenario.stop_s);
    LobsterEventAdapter adapter(LobsterAdapterOptions{0, day.date, 5}, &run.participants);
    std::vector<Event> all;
    size_t r = 0;
    for (const marketdata::LobsterMessage& m : day.messages) {
      if (m.time_after_midnight > stop) break;
      while (r < rows.size() && rows[r].time_after_midnight < m.time_after_midnight) {
        REQUIRE(adapter.Append(rows[r++], &all).ok());
      }
      REQUIRE(adapter.Append(m, &all).ok());
    }
    while (r < rows.size()) REQUIRE(adapter.Append(rows[r++], &all).ok());
    Timestamp from = NewYork(scenario.start_s);
    for (const Event& e : all) {
      if (e.time >= from) events.push_back(e);
    }
  } else {
    run.participants = day.participants;
    Timestamp from = NewYork(scenario.start_s);
    Timestamp to = NewYork(scenario.stop_s);
    for (size_t i = LowerBound(from); i < day.baseline.size() && day.baseline[i].time <= to; ++i) {
      events.push_back(day.baseline[i]);
    }
  }
  if (!scenario.events.empty()) {
    std::vector<Event> injected;
    for (const NamedEvent& named : scenario.events) {
      Event e = named.event;
      e.participant = run.participants.Intern(named.participant);
      e.counterparty = run.participants.Intern(named.counterparty);
      injected.push_back(e);
    }
    std::stable_sort(injected.begin(), injected.end(),
                     [](const Event& a, const Event& b) { return a.time < b.time; });
    std::vector<Event> merged;
    merged.reserve(events.size() + injected.size());
    std::merge(events.begin(), events.end(), injected.begin(), injected.end(),
               std::back_inserter(merged),
               [](const Event& a, const Event& b) { return a.time < b.time; });
    events.swap(merged);
  }
  EngineConfig config = base;
  for (const auto& [participant, owner] : scenario.owners) {
    config.beneficial_owners[participant] = owner;
  }
  absl::StatusOr<ReviewResult> result = Review(events, config, &run.participants, scenario.finish);
  INFO(scenario.name << ": " << result.status().ToString());
  REQUIRE(result.ok());
  run.alerts = std::move(result->alerts);
  run.events = events.size();
  return run;
}

}  // namespace tradeplane::surveillance::testing
