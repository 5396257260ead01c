#include "tradeplane/backtest/backtest.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <unordered_map>

#include <openssl/evp.h>

#include "tradeplane/core/clock.h"
#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/ids.h"
#include "tradeplane/core/json_format.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/execution/order.h"
#include "tradeplane/execution/order_state_machine.h"
#include "tradeplane/execution/sim_venue.h"
#include "tradeplane/marketdata/market_data_engine.h"
#include "tradeplane/replay/replay_feed.h"
#include "tradeplane/risk/pre_trade_check.h"
#include "tradeplane/risk/risk_state.h"
#include "tradeplane/strategy/strategy.h"
#include "tradeplane/strategy/strategy_context.h"
#include "tradeplane/strategy/strategy_factory.h"
#include "tradeplane/surveillance/alert.h"
#include "tradeplane/surveillance/surveillance_engine.h"

namespace tradeplane::backtest {
namespace {

namespace md = marketdata;
namespace ex = execution;
namespace sv = surveillance;
namespace rv1 = risk::v1;
namespace ov1 = orders::v1;

bool IsFinal(OrderStatus s) {
  return s == ov1::ORDER_STATUS_FILLED || s == ov1::ORDER_STATUS_CANCELED ||
         s == ov1::ORDER_STATUS_REJECTED || s == ov1::ORDER_STATUS_EXPIRED;
}

class LatencySamples {
 public:
  void Add(int64_t ns) { samples_.push_back(ns); }
  StageLatency Percentiles() {
    StageLatency out;
    if (samples_.empty()) return out;
    std::sort(samples_.begin(), samples_.end());
    auto at = [&](double q) {
      size_t i = static_cast<size_t>(q * static_cast<double>(samples_.size() - 1));
      return static_cast<double>(samples_[i]) / 1000.0;
    };
    out.p50_us = at(0.50);
    out.p99_us = at(0.99);
    out.p999_us = at(0.999);
    return out;
  }

 private:
  std::vector<int64_t> samples_;
};

// "12.3s" / "850ms": two or three significant figures are all a person reads.
std::string FormatSeconds(double seconds) {
  char buf[32];
  if (seconds < 1) {
    std::snprintf(buf, sizeof buf, "%.0fms", seconds * 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%.1fs", seconds);
  }
  return buf;
}

std::string FormatMicros(double us) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", us);
  return buf;
}

}  // namespace

class Backtest::Impl final : public md::MarketDataListener {
 public:
  explicit Impl(const config::v1::BacktestConfig& config) : config_(config) {}
  ~Impl() override {
    if (sha_ != nullptr) EVP_MD_CTX_free(sha_);
  }

  absl::Status Init() {
    for (const md::v1::Instrument& p : config_.instruments()) {
      absl::StatusOr<InstrumentSpec> spec = InstrumentSpec::FromProto(p);
      if (!spec.ok())
        return absl::InvalidArgumentError(StrCat("instruments: ", ToStd(spec.status().message())));
      absl::StatusOr<InstrumentIndex> added = instruments_.Add(*spec);
      if (!added.ok()) return added.status();
    }
    if (instruments_.size() == 0) return absl::InvalidArgumentError("instruments: none configured");
    md::MarketDataEngineOptions mo;
    mo.book_depth = config_.book_depth() != 0 ? config_.book_depth() : 1000;
    mo.snapshot_levels = std::min<size_t>(mo.book_depth, 100);
    mo.snapshot_interval = Duration(0);
    mo.stale_after = Duration(0);
    for (uint32_t s : config_.bar_intervals_s())
      mo.bar_intervals.push_back(std::chrono::seconds(s));
    if (mo.bar_intervals.empty())
      mo.bar_intervals = {std::chrono::seconds(1), std::chrono::minutes(1)};
    absl::StatusOr<std::unique_ptr<md::MarketDataEngine>> engine =
        md::MarketDataEngine::Create(instruments_, mo, *this);
    if (!engine.ok()) return engine.status();
    engine_ = std::move(*engine);

    absl::StatusOr<risk::RiskLimits> limits =
        risk::RiskLimits::FromProto(config_.limits(), instruments_);
    if (!limits.ok())
      return absl::InvalidArgumentError(StrCat("limits:\n", ToStd(limits.status().message())));
    rv1::ModeChange start;
    start.set_mode(config_.start_mode() == rv1::TRADING_MODE_UNSPECIFIED ? rv1::TRADING_MODE_ACTIVE
                                                                         : config_.start_mode());
    start.set_actor("backtest");
    start.set_reason("backtest start");
    risk_ = std::make_unique<risk::RiskState>(
        &instruments_, std::make_shared<const risk::RiskLimits>(std::move(*limits)),
        risk::TradingModeController::FromStore(start, {}, clock_.Now()));
    if (config_.limits().starting_equity() != 0) {
      risk_->SetStartingEquity(Amount::FromRaw(config_.limits().starting_equity()));
    }

    ex::SimVenueConfig vc;
    vc.latency = std::chrono::microseconds(config_.latency_us());
    absl::StatusOr<matching::FeeBps> maker =
        matching::FeeBps::FromDouble(config_.maker_fee_bps(), Rounding::kHalfEven);
    absl::StatusOr<matching::FeeBps> taker =
        matching::FeeBps::FromDouble(config_.taker_fee_bps(), Rounding::kHalfEven);
    if (!maker.ok() || !taker.ok()) return absl::InvalidArgumentError("fees are out of range");
    vc.fees.maker_bps = *maker;
    vc.fees.taker_bps = *taker;
    for (const auto& [asset, amount] : config_.initial_balances()) {
      vc.balances.emplace_back(asset, Amount::FromRaw(amount));
    }
    vc.check_balances = !vc.balances.empty();
    for (InstrumentIndex i = 0; i < instruments_.size(); ++i) vc.instruments.push_back(i);
    absl::StatusOr<std::unique_ptr<ex::SimVenue>> venue = ex::SimVenue::Create(instruments_, vc);
    if (!venue.ok()) return venue.status();
    venue_ = std::move(*venue);
    has_book_.assign(instruments_.size(), false);

    uint64_t seed = config_.seed() != 0 ? config_.seed() : 1;
    for (int k = 0; k < config_.strategies_size(); ++k) {
      const config::v1::StrategyConfig& sc = config_.strategies(k);
      absl::StatusOr<std::unique_ptr<strategy::Strategy>> s =
          strategy::MakeStrategy(sc, instruments_);
      if (!s.ok())
        return absl::InvalidArgumentError(
            StrCat("strategies[", k, "]: ", ToStd(s.status().message())));
      Instance in;
      in.random = std::make_unique<SeededRandom>(seed + static_cast<uint64_t>(k) * 7919);
      in.context =
          std::make_unique<strategy::StrategyContext>(sc.id(), instruments_, clock_, *in.random);
      in.strategy = std::move(*s);
      in.enabled = sc.enabled();
      strategies_.push_back(std::move(in));
    }
    config::v1::SentinelConfig sentinel;
    for (const config::v1::DetectorConfig& d : config_.detectors()) *sentinel.add_detectors() = d;
    absl::StatusOr<sv::EngineConfig> ec = sv::EngineConfigFromProto(sentinel);
    if (!ec.ok()) return ec.status();
    absl::StatusOr<std::unique_ptr<sv::SurveillanceEngine>> surv =
        sv::SurveillanceEngine::Create(*ec, &participants_);
    if (!surv.ok()) return surv.status();
    surveillance_ = std::move(*surv);
    timer_interval_ = std::chrono::milliseconds(
        config_.timer_interval_ms() != 0 ? config_.timer_interval_ms() : 100);
    sha_ = EVP_MD_CTX_new();
    EVP_DigestInit_ex(sha_, EVP_sha256(), nullptr);
    return absl::OkStatus();
  }

  absl::Status Run(const std::function<void(const BacktestProgress&)>& progress) {
    int64_t start = MonotonicNanos();
    replay::FeedContext ctx;
    ctx.engine = engine_.get();
    ctx.instruments = &instruments_;
    ctx.clock = &clock_;
    ctx.bad_input = [this](std::string_view feed, std::string_view where, std::string_view why) {
      Record(StrCat("bad_input ", feed, " ", where, " ", why));
    };
    ctx.publish_bar = [this](const md::Bar& bar) { OnBar(bar); };
    for (int k = 0; k < config_.replays_size(); ++k) {
      config::v1::ReplayFeedConfig r = config_.replays(k);
      r.set_speed(config::v1::REPLAY_SPEED_AS_FAST_AS_POSSIBLE);
      absl::StatusOr<std::unique_ptr<replay::Feed>> feed = replay::CreateReplayFeed(r, ctx);
      if (!feed.ok())
        return absl::InvalidArgumentError(
            StrCat("replays[", k, "]: ", ToStd(feed.status().message())));
      while (!(*feed)->finished()) {
        (*feed)->Step();
        if (progress) {
          progress({.events = summary_.events_replayed + (*feed)->events(),
                    .replay = k + 1,
                    .replays = config_.replays_size(),
                    .feed = (*feed)->name()});
        }
      }
      summary_.events_replayed += (*feed)->events();
    }
    Finish();
    summary_.wall_seconds = static_cast<double>(MonotonicNanos() - start) * 1e-9;
    summary_.events_per_second =
        summary_.wall_seconds > 0
            ? static_cast<double>(summary_.events_replayed) / summary_.wall_seconds
            : 0;
    return absl::OkStatus();
  }

  // MarketDataListener: the published stream, as every service sees it.
  void OnQuote(const md::Quote& q) override {
    Advance(q.exchange_time);
    ++summary_.quotes_published;
    bool sample = Sample();
    int64_t t0 = sample ? MonotonicNanos() : 0;
    risk_->OnQuote(q, clock_.Now());
    if (!has_book_[q.instrument]) (void)venue_->OnQuote(q);
    int64_t t1 = sample ? MonotonicNanos() : 0;
    for (Instance& in : strategies_) {
      if (!in.enabled) continue;
      in.strategy->OnQuote(q, *in.context);
      Drain(in);
    }
    if (sample) {
      risk_samples_.Add(t1 - t0);
      strategy_samples_.Add(MonotonicNanos() - t1);
    }
    Poll();
  }

  void OnTrade(const md::Trade& t) override {
    Advance(t.exchange_time);
    ++summary_.trades_published;
    risk_->OnTrade(t, clock_.Now());
    (void)venue_->OnTrade(t);
    Surveil(
        sv::PublicTrade(t.exchange_time, t.instrument, t.trade_id, t.aggressor, t.price, t.qty));
    for (Instance& in : strategies_) {
      if (!in.enabled) continue;
      in.strategy->OnTrade(t, *in.context);
      Drain(in);
    }
    Poll();
  }

  void OnBookDelta(const md::BookDelta& d) override {
    Advance(d.exchange_time);
    ++summary_.books_published;
    has_book_[d.instrument] = true;
    bool sample = Sample();
    int64_t t0 = sample ? MonotonicNanos() : 0;
    for (const md::BookLevel& l : d.bids)
      (void)venue_->OnBookLevel(d.instrument, common::v1::SIDE_BUY, l.price, l.qty,
                                d.exchange_time);
    for (const md::BookLevel& l : d.asks)
      (void)venue_->OnBookLevel(d.instrument, common::v1::SIDE_SELL, l.price, l.qty,
                                d.exchange_time);
    int64_t t1 = sample ? MonotonicNanos() : 0;
    md::BookView view = const_cast<md::OrderBook&>(engine_->book(d.instrument)).View(20);
    risk_->OnBook(view, clock_.Now());
    for (Instance& in : strategies_) {
      if (!in.enabled) continue;
      in.strategy->OnBook(view, *in.context);
      Drain(in);
    }
    if (sample) venue_samples_.Add(t1 - t0);
    Poll();
  }

  void OnBookSnapshot(const md::BookSnapshot& s) override {
    Advance(s.exchange_time);
    ++summary_.books_published;
    has_book_[s.instrument] = true;
    (void)venue_->OnBook(s.view, matching::SnapshotDepth::kTruncated);
    risk_->OnBook(s.view, clock_.Now());
    Poll();
  }

  void OnBar(const md::Bar& bar) override {
    ++summary_.bars_published;
    for (Instance& in : strategies_) {
      if (!in.enabled) continue;
      in.strategy->OnBar(bar, *in.context);
      Drain(in);
    }
    Poll();
  }

  void OnStatus(InstrumentIndex, md::FeedStatus, std::string_view, Timestamp) override {}

  const BacktestSummary& summary() const { return summary_; }
  const InstrumentTable& instruments() const { return instruments_; }
  void set_event_log(std::string* log) { log_ = log; }
  void set_latency_sample(uint32_t every) { sample_every_ = every; }

  std::string Digest() const {
    EVP_MD_CTX* copy = EVP_MD_CTX_new();
    EVP_MD_CTX_copy_ex(copy, sha_);
    unsigned char out[32];
    unsigned int len = 0;
    EVP_DigestFinal_ex(copy, out, &len);
    EVP_MD_CTX_free(copy);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < len; ++i) {
      hex.push_back(kHex[out[i] >> 4]);
      hex.push_back(kHex[out[i] & 0xf]);
    }
    return hex;
  }

 private:
  struct Instance {
    std::unique_ptr<SeededRandom> random;
    std::unique_ptr<strategy::StrategyContext> context;
    std::unique_ptr<strategy::Strategy> strategy;
    bool enabled = true;
  };

  bool Sample() { return sample_every_ != 0 && (++sample_count_ % sample_every_) == 0; }

  void Record(std::string_view line) {
    EVP_DigestUpdate(sha_, line.data(), line.size());
    EVP_DigestUpdate(sha_, "\n", 1);
    if (log_ != nullptr) {
      log_->append(line);
      log_->push_back('\n');
    }
  }

  // Replay time drives everything: the clock, the venue's latency, timers.
  void Advance(Timestamp t) {
    if (t <= clock_.Now()) return;
    clock_.Set(t);
    venue_->AdvanceTo(t);
    if (next_timer_.is_zero()) next_timer_ = t + timer_interval_;
    // A gap longer than kMaxTimerCatchUp intervals (between two recordings,
    // months apart) is not market time: timers resume at this event instead
    // of firing through it, one by one.
    if (t - next_timer_ > timer_interval_ * kMaxTimerCatchUp) next_timer_ = t;
    while (t >= next_timer_) {
      for (Instance& in : strategies_) {
        if (!in.enabled) continue;
        in.strategy->OnTimer(next_timer_, *in.context);
        Drain(in);
      }
      next_timer_ = next_timer_ + timer_interval_;
    }
  }

  void Drain(Instance& in) {
    if (in.context->intents().empty()) return;
    std::vector<OrderIntent> intents(in.context->intents().begin(), in.context->intents().end());
    for (const OrderIntent& intent : intents) OnIntent(in, intent);
  }

  void OnIntent(Instance& in, const OrderIntent& intent) {
    ++summary_.intents;
    Record(StrCat("intent ", intent.intent_id, " ", intent.strategy_id, " ",
                  instruments_.at(intent.instrument).id.ToString(), " ",
                  intent.is_cancel()
                      ? StrCat("cancel ", intent.cancel_client_order_id)
                      : StrCat(ShortEnumName(intent.side), " ", ShortEnumName(intent.type), " ",
                               intent.qty.ToString(), " @ ", intent.price.ToString(), " ",
                               intent.client_order_id)));
    int64_t t0 = MonotonicNanos();
    risk::Decision d = risk::EvaluateAndRecord(intent, risk_.get(), clock_.Now());
    risk_check_samples_.Add(MonotonicNanos() - t0);
    if (!d.approved) {
      ++summary_.refusals_by_reason[std::string(ShortEnumName(d.code))];
      Record(StrCat("refused ", intent.intent_id, " ", ShortEnumName(d.code), " ", d.reason));
      if (!intent.is_cancel()) in.context->OrderDone(intent.client_order_id);
      return;
    }
    ++summary_.approvals;
    Record(StrCat("approved ", intent.intent_id));
    if (intent.is_cancel()) {
      auto it = orders_.find(intent.cancel_client_order_id);
      if (it == orders_.end()) return;
      Apply(it->second, ex::OrderEvent::CancelRequested(clock_.Now()));
      absl::StatusOr<ex::VenueOrder> c =
          venue_->Cancel(intent.instrument, intent.cancel_client_order_id);
      if (!c.ok())
        Apply(it->second,
              ex::OrderEvent::CancelRejected(clock_.Now(), ToStd(c.status().message())));
      Poll();
      return;
    }
    if (!seen_client_ids_.insert(intent.client_order_id).second)
      ++summary_.duplicate_client_order_ids;
    ex::Order order = ex::Order::FromIntent(intent, clock_.Now());
    auto [it, added] = orders_.emplace(intent.client_order_id, std::move(order));
    ++summary_.orders_sent;
    Apply(it->second, ex::OrderEvent::SubmitSent(clock_.Now()));
    ex::VenueOrderRequest req{intent.client_order_id, intent.instrument, intent.side, intent.type,
                              intent.time_in_force,   intent.price,      intent.qty};
    absl::StatusOr<ex::SubmitAck> ack = venue_->Submit(req);
    if (!ack.ok()) {
      Apply(it->second, ex::OrderEvent::VenueReject(clock_.Now(), ToStd(ack.status().message())));
    } else {
      ++summary_.venue_orders;
      Surveil(sv::OrderSubmitted(
          clock_.Now(), intent.instrument, participants_.Intern(intent.strategy_id),
          OrderNumber(intent.client_order_id), intent.side, intent.price, intent.qty,
          intent.type == ov1::ORDER_TYPE_MARKET        ? sv::Aggression::kAggressive
          : intent.type == ov1::ORDER_TYPE_LIMIT_MAKER ? sv::Aggression::kPassive
                                                       : sv::Aggression::kUnknown));
    }
    Poll();
  }

  // Venue updates (acks, fills, cancels) through the order state machine.
  void Poll() {
    if (polling_) return;  // a fill's intents call back here; the outer loop drains
    polling_ = true;
    while (true) {
      absl::StatusOr<std::vector<ex::VenueUpdate>> updates = venue_->PollUpdates();
      if (!updates.ok() || updates->empty()) break;
      for (const ex::VenueUpdate& u : *updates) OnUpdate(u);
    }
    polling_ = false;
  }

  void OnUpdate(const ex::VenueUpdate& u) {
    auto it = orders_.find(u.order.client_order_id);
    if (it == orders_.end()) return;
    ex::Order& order = it->second;
    OrderStatus before = order.status;
    Fill fill = u.fill;
    if (u.kind == ex::VenueUpdateKind::kFill) {
      fill.strategy_id = order.strategy_id;
      if (std::find(order.fill_ids.begin(), order.fill_ids.end(), fill.fill_id) !=
          order.fill_ids.end())
        return;
    }
    if (!Apply(order, ex::ToOrderEvent(u))) return;
    if (u.kind == ex::VenueUpdateKind::kFill) {
      ++summary_.fills;
      Record(StrCat("fill ", fill.fill_id, " ", fill.client_order_id, " ", ShortEnumName(fill.side),
                    " ", fill.qty.ToString(), " @ ", fill.price.ToString(), " fee ",
                    fill.fee.ToString(), " ", fill.fee_asset));
      (void)risk_->OnFill(fill);
      Surveil(sv::OrderExecuted(fill.time, fill.instrument, participants_.Intern(fill.strategy_id),
                                OrderNumber(fill.client_order_id), ++fill_number_, fill.side,
                                fill.price, fill.qty,
                                fill.liquidity == ov1::LIQUIDITY_TAKER ? sv::Aggression::kAggressive
                                                                       : sv::Aggression::kPassive));
      for (Instance& in : strategies_) {
        if (in.context->strategy_id() != order.strategy_id) continue;
        in.strategy->OnFill(fill, *in.context);
        Drain(in);
      }
    }
    if (order.status != before) {
      risk_->OnOrderStatus(order.client_order_id, order.status);
      if (IsFinal(order.status)) {
        for (Instance& in : strategies_) {
          if (in.context->strategy_id() == order.strategy_id)
            in.context->OrderDone(order.client_order_id);
        }
      }
    }
  }

  bool Apply(ex::Order& order, const ex::OrderEvent& event) {
    absl::StatusOr<ex::Transition> t = ex::ApplyOrderEvent(order, event);
    if (!t.ok()) {
      ++summary_.illegal_transitions;
      Record(StrCat("illegal ", order.client_order_id, " ", ToStd(t.status().message())));
      return false;
    }
    Record(StrCat("order ", order.client_order_id, " ", ShortEnumName(order.status), " filled ",
                  order.filled_qty.ToString()));
    return true;
  }

  uint64_t OrderNumber(const std::string& client_order_id) {
    auto [it, added] = order_numbers_.emplace(client_order_id, order_numbers_.size() + 1);
    return it->second;
  }

  void Surveil(const sv::Event& e) {
    sv::Event event = e;
    if (event.time < last_surveillance_time_) event.time = last_surveillance_time_;
    last_surveillance_time_ = event.time;
    if (!surveillance_->OnEvent(event).ok()) return;
    for (const sv::Alert& a : surveillance_->TakeAlerts()) {
      ++summary_.alerts_by_type[std::string(ShortEnumName(a.type))];
      Record(StrCat("alert ", ShortEnumName(a.type), " ", a.explanation));
    }
  }

  void Finish() {
    surveillance_->Finish(clock_.Now());
    for (const sv::Alert& a : surveillance_->TakeAlerts()) {
      ++summary_.alerts_by_type[std::string(ShortEnumName(a.type))];
    }
    absl::StatusOr<rv1::PnlSummary> pnl = risk_->RevaluePnl(clock_.Now());
    if (pnl.ok()) {
      summary_.pnl = *pnl;
    } else {
      summary_.pnl_error = std::string(ToStd(pnl.status().message()));
    }
    if (summary_.pnl.currency().empty())
      summary_.pnl.set_currency(config_.limits().valuation_currency());
    summary_.latency["risk_check"] = risk_check_samples_.Percentiles();
    summary_.latency["risk_market_update"] = risk_samples_.Percentiles();
    summary_.latency["strategies"] = strategy_samples_.Percentiles();
    summary_.latency["venue_book_update"] = venue_samples_.Percentiles();
    Record(StrCat("end events ", summary_.events_replayed, " fills ", summary_.fills, " realized ",
                  Amount::FromRaw(summary_.pnl.realized()).ToString()));
  }

  config::v1::BacktestConfig config_;
  ManualClock clock_;
  InstrumentTable instruments_;
  std::unique_ptr<md::MarketDataEngine> engine_;
  std::unique_ptr<risk::RiskState> risk_;
  std::unique_ptr<ex::SimVenue> venue_;
  std::vector<Instance> strategies_;
  sv::ParticipantTable participants_;
  std::unique_ptr<sv::SurveillanceEngine> surveillance_;
  std::unordered_map<std::string, ex::Order> orders_;
  std::unordered_map<std::string, uint64_t> order_numbers_;
  std::set<std::string> seen_client_ids_;
  std::vector<bool> has_book_;
  static constexpr int kMaxTimerCatchUp = 1000;
  Duration timer_interval_{0};
  Timestamp next_timer_;
  Timestamp last_surveillance_time_;
  uint64_t fill_number_ = 0;
  bool polling_ = false;
  BacktestSummary summary_;
  std::string* log_ = nullptr;
  EVP_MD_CTX* sha_ = nullptr;
  uint32_t sample_every_ = 0;
  uint64_t sample_count_ = 0;
  LatencySamples risk_check_samples_, risk_samples_, strategy_samples_, venue_samples_;
};

absl::StatusOr<std::unique_ptr<Backtest>> Backtest::Create(
    const config::v1::BacktestConfig& config) {
  auto impl = std::make_unique<Impl>(config);
  absl::Status s = impl->Init();
  if (!s.ok()) return s;
  return std::unique_ptr<Backtest>(new Backtest(std::move(impl)));
}

Backtest::Backtest(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Backtest::~Backtest() = default;
void Backtest::set_event_log(std::string* log) { impl_->set_event_log(log); }
void Backtest::set_latency_sample(uint32_t every) { impl_->set_latency_sample(every); }
absl::Status Backtest::Run(const std::function<void(const BacktestProgress&)>& progress) {
  return impl_->Run(progress);
}
const BacktestSummary& Backtest::summary() const { return impl_->summary(); }
std::string Backtest::Digest() const { return impl_->Digest(); }
const InstrumentTable& Backtest::instruments() const { return impl_->instruments(); }

std::string SummaryJson(const BacktestSummary& s) {
  std::string out = "{\n";
  auto num = [&](std::string_view key, uint64_t v) {
    StrAppend(&out, "  \"", key, "\": ", v, ",\n");
  };
  auto map = [&](std::string_view key, const std::map<std::string, uint64_t>& m) {
    StrAppend(&out, "  \"", key, "\": {");
    bool first = true;
    for (const auto& [k, v] : m) {
      StrAppend(&out, first ? "" : ", ", "\"", k, "\": ", v);
      first = false;
    }
    out.append("},\n");
  };
  num("events_replayed", s.events_replayed);
  num("quotes_published", s.quotes_published);
  num("trades_published", s.trades_published);
  num("books_published", s.books_published);
  num("bars_published", s.bars_published);
  num("intents", s.intents);
  num("approvals", s.approvals);
  map("refusals_by_reason", s.refusals_by_reason);
  num("orders_sent", s.orders_sent);
  num("fills", s.fills);
  num("venue_orders", s.venue_orders);
  num("duplicate_client_order_ids", s.duplicate_client_order_ids);
  num("open_breaks", 0);
  num("illegal_transitions", s.illegal_transitions);
  map("alerts_by_type", s.alerts_by_type);
  StrAppend(&out, "  \"pnl\": {\"currency\": ", "\"", s.pnl.currency(), "\", \"realized\": \"",
            Amount::FromRaw(s.pnl.realized()).ToString(), "\", \"unrealized\": \"",
            Amount::FromRaw(s.pnl.unrealized()).ToString(), "\", \"fees\": \"",
            Amount::FromRaw(s.pnl.fees()).ToString(), "\"},\n");
  out.append("  \"latency_us\": {");
  bool first = true;
  for (const auto& [stage, l] : s.latency) {
    StrAppend(&out, first ? "" : ", ", "\"", stage, "\": {\"p50\": ", l.p50_us,
              ", \"p99\": ", l.p99_us, ", \"p999\": ", l.p999_us, "}");
    first = false;
  }
  out.append("},\n");
  StrAppend(&out, "  \"events_per_second\": ", static_cast<uint64_t>(s.events_per_second), "\n}\n");
  return out;
}

std::string SummaryText(const BacktestSummary& s) {
  auto list = [](const std::map<std::string, uint64_t>& m) {
    if (m.empty()) return std::string("none");
    std::string out;
    for (const auto& [k, v] : m) StrAppend(&out, out.empty() ? "" : ", ", k, " ", v);
    return out;
  };
  uint64_t refusals = 0;
  for (const auto& [reason, n] : s.refusals_by_reason) refusals += n;
  std::string out;
  StrAppend(&out, "replayed   ", s.events_replayed, " market events in ",
            FormatSeconds(s.wall_seconds), " (", static_cast<uint64_t>(s.events_per_second),
            " events/s)\n");
  StrAppend(&out, "published  ", s.quotes_published, " quotes, ", s.trades_published, " trades, ",
            s.books_published, " books, ", s.bars_published, " bars\n");
  StrAppend(&out, "decided    ", s.intents, " intents: ", s.approvals, " approved, ", refusals,
            " refused (", list(s.refusals_by_reason), ")\n");
  StrAppend(&out, "traded     ", s.orders_sent, " orders sent, ", s.venue_orders, " at the venue, ",
            s.fills, " fills; duplicate client order ids ", s.duplicate_client_order_ids, "\n");
  StrAppend(&out, "pnl        realized ", Amount::FromRaw(s.pnl.realized()).ToString(),
            ", unrealized ", Amount::FromRaw(s.pnl.unrealized()).ToString(), ", fees ",
            Amount::FromRaw(s.pnl.fees()).ToString(), " ", s.pnl.currency(),
            s.pnl_error.empty() ? "" : StrCat(" (", s.pnl_error, ")"), "\n");
  StrAppend(&out, "alerts     ", list(s.alerts_by_type), "\n");
  for (const auto& [stage, l] : s.latency) {
    StrAppend(&out, "latency    ", stage, " p50 ", FormatMicros(l.p50_us), " p99 ",
              FormatMicros(l.p99_us), " p99.9 ", FormatMicros(l.p999_us), " us\n");
  }
  return out;
}

}  // namespace tradeplane::backtest
