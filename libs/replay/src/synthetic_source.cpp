#include "tradeplane/replay/synthetic_source.h"

#include "tradeplane/core/ids.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/marketdata/replay_pacer.h"
#include "tradeplane/marketdata/synthetic_feed.h"

namespace tradeplane::replay {
namespace {

namespace md = marketdata;

class SyntheticSource final : public Feed {
 public:
  SyntheticSource(std::unique_ptr<SeededRandom> random, md::SyntheticFeed feed,
                  md::ReplayPacer pacer, const FeedContext& context, uint64_t max_events)
      : random_(std::move(random)),
        feed_(std::move(feed)),
        pacer_(std::move(pacer)),
        ctx_(context),
        max_events_(max_events) {}

  std::chrono::nanoseconds Step() override {
    for (int i = 0; i < 256; ++i) {
      if (finished()) return std::chrono::nanoseconds::max();
      if (!has_pending_) {
        pending_ = feed_.Next();
        has_pending_ = true;
      }
      md::PacingDecision d = pacer_.Next(pending_.time(), Timestamp::FromNanos(MonotonicNanos()));
      if (d.wait.count() > 0) return d.wait;
      // The generator's own clock starts now, so events carry real times.
      absl::Status s = pending_.kind == md::SyntheticEvent::Kind::kQuote
                           ? ctx_.engine->OnQuote(pending_.quote)
                           : ctx_.engine->OnTrade(pending_.trade);
      if (!s.ok()) ctx_.bad_input("synthetic", StrCat("event ", events_), ToStd(s.message()));
      has_pending_ = false;
      ++events_;
    }
    return std::chrono::nanoseconds(0);
  }
  bool finished() const override { return max_events_ != 0 && events_ >= max_events_; }
  std::string_view name() const override { return "synthetic"; }
  uint64_t events() const override { return events_; }

 private:
  std::unique_ptr<SeededRandom> random_;
  md::SyntheticFeed feed_;
  md::ReplayPacer pacer_;
  FeedContext ctx_;
  uint64_t max_events_;
  uint64_t events_ = 0;
  bool has_pending_ = false;
  md::SyntheticEvent pending_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Feed>> CreateSyntheticSource(
    const config::v1::SyntheticFeedConfig& config, const FeedContext& context) {
  md::SyntheticFeedOptions options;
  options.events_per_second = config.events_per_second() > 0 ? config.events_per_second() : 1000;
  options.start_time = context.clock->Now();
  if (config.instruments().empty())
    return absl::InvalidArgumentError("synthetic.instruments is empty");
  for (const common::v1::InstrumentId& id : config.instruments()) {
    std::optional<InstrumentIndex> i = context.instruments->Find(InstrumentId::FromProto(id));
    if (!i) {
      return absl::InvalidArgumentError(StrCat("synthetic: instrument ",
                                               InstrumentId::FromProto(id).ToString(),
                                               " is not in the instruments list"));
    }
    const InstrumentSpec& spec = context.instruments->at(*i);
    md::SyntheticInstrument si;
    si.instrument = *i;
    si.tick_size = spec.tick_size;
    si.lot_size = spec.lot_size;
    Price start = config.start_price() > 0 ? Price::FromRaw(config.start_price())
                                           : Price::FromRaw(spec.tick_size.raw() * 10'000);
    absl::StatusOr<Price> on_tick = start.RoundToMultiple(spec.tick_size, Rounding::kFloor);
    if (!on_tick.ok()) return on_tick.status();
    si.start_bid = *on_tick;
    options.instruments.push_back(si);
  }
  auto random = std::make_unique<SeededRandom>(config.seed() != 0 ? config.seed() : 1);
  absl::StatusOr<md::SyntheticFeed> feed = md::SyntheticFeed::Create(options, *random);
  if (!feed.ok()) return feed.status();
  absl::StatusOr<md::ReplayPacer> pacer = md::ReplayPacer::Create({.speed = 1.0});
  if (!pacer.ok()) return pacer.status();
  return std::unique_ptr<Feed>(new SyntheticSource(
      std::move(random), std::move(*feed), std::move(*pacer), context, config.max_events()));
}

}  // namespace tradeplane::replay
