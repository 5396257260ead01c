#include "tradeplane/replay/replay_feed.h"

#include <algorithm>
#include <deque>
#include <fstream>
#include <variant>

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/marketdata/binance_format.h"
#include "tradeplane/marketdata/csv_format.h"
#include "tradeplane/marketdata/lobster_book.h"
#include "tradeplane/marketdata/lobster_format.h"
#include "tradeplane/marketdata/replay_pacer.h"

#include "binance_stream_driver.h"

namespace tradeplane::replay {
namespace {

namespace md = marketdata;
using config::v1::ReplayFeedConfig;

// Events delivered per Step: enough to amortize the loop, few enough that
// snapshot and admin requests are served within a millisecond or so.
constexpr int kSliceEvents = 256;

class LineReader {
 public:
  absl::Status Open(const std::string& path) {
    path_ = path;
    in_.open(path);
    if (!in_) return absl::NotFoundError(StrCat("cannot open replay file '", path, "'"));
    return absl::OkStatus();
  }
  // False at the end of the file.
  bool Next(std::string* line) {
    if (!std::getline(in_, *line)) return false;
    ++line_no_;
    if (!line->empty() && line->back() == '\r') line->pop_back();
    return true;
  }
  std::string Where() const { return StrCat(path_, ":", line_no_); }
  const std::string& path() const { return path_; }

 private:
  std::ifstream in_;
  std::string path_;
  uint64_t line_no_ = 0;
};

// The shared shape of every replay: read the next event, ask the pacer,
// deliver or wait.
class ReplayFeedBase : public Feed {
 public:
  ReplayFeedBase(std::string name, md::ReplayPacer pacer, const FeedContext& context)
      : name_(std::move(name)), pacer_(std::move(pacer)), ctx_(context) {}

  std::chrono::nanoseconds Step() override {
    for (int i = 0; i < kSliceEvents && !finished_; ++i) {
      if (!has_pending_) {
        has_pending_ = ReadNext(&pending_time_);
        if (!has_pending_) {
          finished_ = true;
          break;
        }
      }
      Timestamp now = pacer_.needs_clock() ? Timestamp::FromNanos(MonotonicNanos()) : Timestamp();
      md::PacingDecision d = pacer_.Next(pending_time_, now);
      if (d.action == md::PacingAction::kStop) {
        finished_ = true;
        break;
      }
      if (d.action == md::PacingAction::kDeliver && d.wait.count() > 0) return d.wait;
      if (d.action == md::PacingAction::kDeliver) {
        Deliver();
        ++events_;
        ctx_.engine->OnTime(pending_time_);
      }
      has_pending_ = false;
    }
    return finished_ ? std::chrono::nanoseconds::max() : std::chrono::nanoseconds(0);
  }
  bool finished() const override { return finished_; }
  std::string_view name() const override { return name_; }
  uint64_t events() const override { return events_; }

 protected:
  // Reads and parses until one event is ready (bad lines reported and
  // skipped); false at the end.
  virtual bool ReadNext(Timestamp* event_time) = 0;
  virtual void Deliver() = 0;
  void Bad(std::string_view where, std::string_view why) { ctx_.bad_input(name_, where, why); }

  std::string name_;
  md::ReplayPacer pacer_;
  FeedContext ctx_;

 private:
  bool has_pending_ = false;
  bool finished_ = false;
  Timestamp pending_time_;
  uint64_t events_ = 0;
};

class LobsterReplay final : public ReplayFeedBase {
 public:
  LobsterReplay(md::ReplayPacer pacer, const FeedContext& context, InstrumentIndex instrument,
                md::LobsterBookOptions options)
      : ReplayFeedBase("replay:lobster", std::move(pacer), context),
        instrument_(instrument),
        book_(options) {}

  absl::Status Open(const std::string& path) {
    absl::Status s = reader_.Open(path);
    if (!s.ok()) return s;
    // Orders resting before the file starts are unknown: the published book
    // starts empty and fills as the day's messages arrive.
    return ctx_.engine->OnBookSnapshot(instrument_, {}, {}, 0, Timestamp(), Timestamp());
  }

 private:
  bool ReadNext(Timestamp* event_time) override {
    while (reader_.Next(&line_)) {
      if (line_.empty()) continue;
      absl::StatusOr<md::LobsterMessage> m = md::ParseLobsterMessage(line_);
      if (!m.ok()) {
        Bad(reader_.Where(), ToStd(m.status().message()));
        continue;
      }
      absl::StatusOr<md::LobsterUpdate> u = book_.Apply(*m);
      if (!u.ok()) {
        Bad(reader_.Where(), ToStd(u.status().message()));
        if (book_.needs_resync() && !Reseed()) {
          // Nothing to rebuild from: stop rather than publish a wrong book.
          ctx_.engine->OnSourceResync(instrument_, "LOBSTER book lost sync", Timestamp());
          return false;
        }
        continue;
      }
      update_ = *u;
      *event_time = u->exchange_time;
      return true;
    }
    return false;
  }

  void Deliver() override {
    if (update_.book_changed) {
      absl::Status s =
          ctx_.engine->OnBookDelta(instrument_, update_.bid_changes, update_.ask_changes, 0, 0,
                                   update_.exchange_time, update_.exchange_time);
      if (!s.ok()) Bad(reader_.Where(), ToStd(s.message()));
    }
    if (update_.has_trade) {
      update_.trade.receive_time = update_.exchange_time;
      absl::Status s = ctx_.engine->OnTrade(update_.trade);
      if (!s.ok()) Bad(reader_.Where(), ToStd(s.message()));
    }
    if (update_.halt == md::LobsterHaltState::kHalted) {
      ctx_.engine->OnSourceStatus(instrument_, marketdata::v1::FEED_STATUS_HALTED,
                                  "trading halt in the LOBSTER file", update_.exchange_time);
    }
  }

  // A LOBSTER file has no snapshot to resync from. A refused message left
  // the L2 levels as they were, so the book is re-seeded from its own levels
  // (every level counts as known); what is lost is which order sits where,
  // so later events on earlier orders are applied to their price levels.
  bool Reseed() {
    md::LobsterBookRow row;
    const md::OrderBook& l2 = book_.book();
    row.bids.resize(l2.Depth(md::BookSide::kBid));
    row.asks.resize(l2.Depth(md::BookSide::kAsk));
    row.bids.resize(l2.TopLevels(md::BookSide::kBid, row.bids));
    row.asks.resize(l2.TopLevels(md::BookSide::kAsk, row.asks));
    row.levels = std::max(row.bids.size(), row.asks.size()) + 1;
    absl::Status s = book_.Seed(row);
    if (!s.ok()) {
      Bad(reader_.Where(), StrCat("cannot re-seed the book: ", ToStd(s.message())));
      return false;
    }
    return true;
  }

  InstrumentIndex instrument_;
  md::LobsterBook book_;
  LineReader reader_;
  std::string line_;
  md::LobsterUpdate update_;
};

class BinanceRecordingReplay final : public ReplayFeedBase {
 public:
  BinanceRecordingReplay(md::ReplayPacer pacer, const FeedContext& context, Venue venue_override)
      : ReplayFeedBase("replay:binance", std::move(pacer), context),
        venue_override_(venue_override) {}

  absl::Status Open(const std::string& frames, const std::string& snapshots) {
    absl::Status s = reader_.Open(frames);
    if (!s.ok()) return s;
    std::string header;
    if (!reader_.Next(&header))
      return absl::InvalidArgumentError(StrCat("'", frames, "' is empty"));
    absl::StatusOr<md::BinanceWsLogHeader> h = md::ParseBinanceWsLogHeader(header);
    if (!h.ok()) {
      return absl::InvalidArgumentError(StrCat(reader_.Where(), ": ", ToStd(h.status().message())));
    }
    // The recording's own venue, unless the config presents its symbols as
    // another venue's (the demo trades them on the simulator: SIM).
    Venue venue = venue_override_ != common::v1::VENUE_UNSPECIFIED ? venue_override_
                  : h->market == md::BinanceMarket::kSpot          ? common::v1::VENUE_BINANCE
                                                                   : common::v1::VENUE_BINANCE_USDM;
    driver_ = std::make_unique<BinanceStreamDriver>(name_, ctx_, h->market, venue);
    if (!snapshots.empty()) {
      LineReader rest;
      s = rest.Open(snapshots);
      if (!s.ok()) return s;
      std::string line;
      while (rest.Next(&line)) {
        if (line.empty()) continue;
        md::BinanceDepthSnapshot snap;
        absl::Status parsed = parser_.ParseRestLogLine(line, &snap);
        if (!parsed.ok()) {
          Bad(rest.Where(), ToStd(parsed.message()));
          continue;
        }
        snapshots_.push_back(std::move(snap));
      }
      std::stable_sort(snapshots_.begin(), snapshots_.end(), [](const auto& a, const auto& b) {
        return a.receive_time < b.receive_time;
      });
    }
    return absl::OkStatus();
  }

 private:
  bool ReadNext(Timestamp* event_time) override {
    while (reader_.Next(&line_)) {
      if (line_.empty()) continue;
      absl::Status s = parser_.ParseWsLogLine(line_, &frame_);
      if (!s.ok()) {
        // Kinds this feed does not use (e.g. a new stream) are skipped quietly.
        if (s.code() != absl::StatusCode::kUnimplemented) Bad(reader_.Where(), ToStd(s.message()));
        continue;
      }
      *event_time = frame_.receive_time;
      return true;
    }
    return false;
  }

  void Deliver() override {
    // Snapshots join the stream at the time they were received.
    while (next_snapshot_ < snapshots_.size() &&
           snapshots_[next_snapshot_].receive_time <= frame_.receive_time) {
      driver_->OnSnapshot(snapshots_[next_snapshot_++]);
    }
    driver_->OnFrame(frame_, [this] { return reader_.Where(); });
  }

  LineReader reader_;
  md::BinanceParser parser_;
  Venue venue_override_;
  std::unique_ptr<BinanceStreamDriver> driver_;
  std::vector<md::BinanceDepthSnapshot> snapshots_;
  size_t next_snapshot_ = 0;
  std::string line_;
  md::BinanceFrame frame_;
};

class CsvReplay final : public ReplayFeedBase {
 public:
  CsvReplay(md::ReplayPacer pacer, const FeedContext& context, config::v1::ReplayFormat format,
            md::CsvReadOptions options)
      : ReplayFeedBase(StrCat("replay:", format == config::v1::REPLAY_FORMAT_CSV_QUOTES   ? "quotes"
                                         : format == config::v1::REPLAY_FORMAT_CSV_TRADES ? "trades"
                                                                                          : "bars"),
                       std::move(pacer), context),
        format_(format),
        options_(options) {}

  absl::Status Open(const std::string& path) {
    absl::Status s = reader_.Open(path);
    if (!s.ok()) return s;
    std::string header;
    if (!reader_.Next(&header)) return absl::InvalidArgumentError(StrCat("'", path, "' is empty"));
    std::string_view expected =
        format_ == config::v1::REPLAY_FORMAT_CSV_QUOTES   ? md::kQuoteCsvHeader
        : format_ == config::v1::REPLAY_FORMAT_CSV_TRADES ? md::kTradeCsvHeader
                                                          : md::kBarCsvHeader;
    s = md::CheckCsvHeader(header, expected);
    if (!s.ok())
      return absl::InvalidArgumentError(StrCat(reader_.Where(), ": ", ToStd(s.message())));
    return absl::OkStatus();
  }

 private:
  bool ReadNext(Timestamp* event_time) override {
    while (reader_.Next(&line_)) {
      if (line_.empty()) continue;
      absl::Status s;
      if (format_ == config::v1::REPLAY_FORMAT_CSV_QUOTES) {
        absl::StatusOr<md::Quote> q = md::ParseQuoteCsvRow(line_, options_);
        if (q.ok()) {
          quote_ = *q;
          quote_.receive_time = q->exchange_time;
          *event_time = q->exchange_time;
        }
        s = q.status();
      } else if (format_ == config::v1::REPLAY_FORMAT_CSV_TRADES) {
        absl::StatusOr<md::Trade> t = md::ParseTradeCsvRow(line_, options_);
        if (t.ok()) {
          trade_ = *t;
          trade_.receive_time = t->exchange_time;
          *event_time = t->exchange_time;
        }
        s = t.status();
      } else {
        absl::StatusOr<md::Bar> b = md::ParseBarCsvRow(line_, options_);
        if (b.ok()) {
          bar_ = *b;
          *event_time = b->open_time + b->interval;  // a bar is known when it closes
        }
        s = b.status();
      }
      if (s.ok()) return true;
      Bad(reader_.Where(), ToStd(s.message()));
    }
    return false;
  }

  void Deliver() override {
    absl::Status s;
    if (format_ == config::v1::REPLAY_FORMAT_CSV_QUOTES) {
      s = ctx_.engine->OnQuote(quote_);
    } else if (format_ == config::v1::REPLAY_FORMAT_CSV_TRADES) {
      s = ctx_.engine->OnTrade(trade_);
    } else {
      ctx_.publish_bar(bar_);
    }
    if (!s.ok()) Bad(reader_.Where(), ToStd(s.message()));
  }

  config::v1::ReplayFormat format_;
  md::CsvReadOptions options_;
  LineReader reader_;
  std::string line_;
  md::Quote quote_;
  md::Trade trade_;
  md::Bar bar_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Feed>> CreateReplayFeed(const ReplayFeedConfig& config,
                                                       const FeedContext& context) {
  md::ReplayPacerOptions pacing;
  switch (config.speed()) {
    case config::v1::REPLAY_SPEED_REAL_TIME:
      pacing.speed = config.speed_multiplier() > 0 ? config.speed_multiplier() : 1.0;
      break;
    case config::v1::REPLAY_SPEED_AS_FAST_AS_POSSIBLE:
    case config::v1::REPLAY_SPEED_UNSPECIFIED:
      pacing.speed = 0;
      break;
    default:
      return absl::InvalidArgumentError("replay.speed: unknown value");
  }
  if (config.start_time_ns() != 0) pacing.start = Timestamp::FromNanos(config.start_time_ns());
  if (config.end_time_ns() != 0) pacing.end = Timestamp::FromNanos(config.end_time_ns());
  absl::StatusOr<md::ReplayPacer> pacer = md::ReplayPacer::Create(pacing);
  if (!pacer.ok()) return pacer.status();

  auto instrument = [&]() -> absl::StatusOr<InstrumentIndex> {
    std::optional<InstrumentIndex> i =
        context.instruments->Find(InstrumentId::FromProto(config.instrument()));
    if (!i) {
      return absl::InvalidArgumentError(
          StrCat("replay of '", config.file(), "': instrument ",
                 InstrumentId::FromProto(config.instrument()).ToString(),
                 " is not in the instruments list"));
    }
    return *i;
  };

  switch (config.format()) {
    case config::v1::REPLAY_FORMAT_LOBSTER: {
      absl::StatusOr<InstrumentIndex> i = instrument();
      if (!i.ok()) return i.status();
      absl::StatusOr<md::LobsterFileName> name = md::ParseLobsterFileName(config.file());
      if (!name.ok()) {
        return absl::InvalidArgumentError(
            StrCat("replay.file '", config.file(), "': ", ToStd(name.status().message())));
      }
      md::LobsterBookOptions o;
      o.instrument = *i;
      o.date = name->date;
      o.file_levels = name->levels;
      o.tick_size = context.instruments->at(*i).tick_size;
      auto feed = std::make_unique<LobsterReplay>(std::move(*pacer), context, *i, o);
      absl::Status s = feed->Open(config.file());
      if (!s.ok()) return s;
      return feed;
    }
    case config::v1::REPLAY_FORMAT_BINANCE_RECORDING: {
      auto feed = std::make_unique<BinanceRecordingReplay>(std::move(*pacer), context,
                                                           config.instrument().venue());
      absl::Status s = feed->Open(config.file(), config.snapshot_file());
      if (!s.ok()) return s;
      return feed;
    }
    case config::v1::REPLAY_FORMAT_CSV_QUOTES:
    case config::v1::REPLAY_FORMAT_CSV_TRADES:
    case config::v1::REPLAY_FORMAT_CSV_BARS: {
      absl::StatusOr<InstrumentIndex> i = instrument();
      if (!i.ok()) return i.status();
      md::CsvReadOptions o;
      o.instrument = *i;
      o.tick_size = context.instruments->at(*i).tick_size;
      o.lot_size = context.instruments->at(*i).lot_size;
      o.bar_interval =
          std::chrono::seconds(config.bar_interval_s() != 0 ? config.bar_interval_s() : 60);
      auto feed = std::make_unique<CsvReplay>(std::move(*pacer), context, config.format(), o);
      absl::Status s = feed->Open(config.file());
      if (!s.ok()) return s;
      return feed;
    }
    default:
      return absl::InvalidArgumentError(
          StrCat("replay of '", config.file(), "': replay.format is required (",
                 EnumChoices(*config::v1::ReplayFormat_descriptor()), ")"));
  }
}

}  // namespace tradeplane::replay
