#include "replay_source.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/marketdata/binance_book_sync.h"
#include "tradeplane/marketdata/binance_format.h"
#include "tradeplane/marketdata/lobster_book.h"
#include "tradeplane/marketdata/lobster_format.h"

namespace tradeplane::venue_sim {
namespace {

namespace md = marketdata;

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(StrCat("cannot open replay file '", path, "'"));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Lines of an in-memory file, with their numbers for error messages.
class Lines {
 public:
  void Reset(std::string text, std::string path) {
    text_ = std::move(text);
    path_ = std::move(path);
    Rewind(0, 0);
  }
  void Rewind(size_t pos, uint64_t line_no) {
    pos_ = pos;
    line_no_ = line_no;
  }
  bool Next(std::string_view* line) {
    if (pos_ >= text_.size()) return false;
    size_t end = text_.find('\n', pos_);
    if (end == std::string::npos) end = text_.size();
    *line = std::string_view(text_).substr(pos_, end - pos_);
    if (!line->empty() && line->back() == '\r') line->remove_suffix(1);
    pos_ = end + 1;
    ++line_no_;
    return true;
  }
  size_t pos() const { return pos_; }
  uint64_t line_no() const { return line_no_; }
  std::string Where() const { return StrCat(path_, ":", line_no_); }

 private:
  std::string text_;
  std::string path_;
  size_t pos_ = 0;
  uint64_t line_no_ = 0;
};

// Start and end times and the skip-before-start rule shared by the sources.
class FileReplay : public ReplaySource {
 public:
  FileReplay(std::string name, const config::v1::ReplayFeedConfig& config)
      : ReplaySource(std::move(name)) {
    if (config.start_time_ns() != 0) start_ = Timestamp::FromNanos(config.start_time_ns());
    if (config.end_time_ns() != 0) end_ = Timestamp::FromNanos(config.end_time_ns());
  }

  void Rewind(ReplayTarget& target) override {
    Reset();
    ReadNext(target);
    // Before the start: the source's books follow, nothing is sent.
    while (has_event_ && start_ && event_time_ < *start_) {
      Process(target, nullptr, Duration(0));
      ReadNext(target);
    }
    resend_books_ = start_.has_value();
  }

  void Deliver(ReplayTarget& target, Duration shift) override {
    if (!has_event_) return;
    if (resend_books_) {
      SendBooks(target, event_time_ + shift);
      resend_books_ = false;
    }
    Process(target, &target, shift);
    ReadNext(target);
  }

 protected:
  virtual void Reset() = 0;
  // Reads the next usable event into the source; sets has_event_/event_time_.
  virtual bool ReadEvent(ReplayTarget& errors) = 0;
  // Applies the pending event to the source's books and, with `out`, sends it.
  virtual void Process(ReplayTarget& errors, ReplayTarget* out, Duration shift) = 0;
  // Sends every book the source holds as a snapshot.
  virtual void SendBooks(ReplayTarget& target, Timestamp t) = 0;

 private:
  void ReadNext(ReplayTarget& errors) {
    has_event_ = ReadEvent(errors);
    if (has_event_ && end_ && event_time_ >= *end_) has_event_ = false;
  }

  std::optional<Timestamp> start_;
  std::optional<Timestamp> end_;
  bool resend_books_ = false;
};

void SendOrderBook(ReplayTarget& target, InstrumentIndex i, const md::OrderBook& book,
                   Timestamp t) {
  std::vector<md::BookLevel> bids(book.Depth(md::BookSide::kBid));
  std::vector<md::BookLevel> asks(book.Depth(md::BookSide::kAsk));
  bids.resize(book.TopLevels(md::BookSide::kBid, bids));
  asks.resize(book.TopLevels(md::BookSide::kAsk, asks));
  target.Snapshot(i, bids, asks, t);
}

class BinanceRecording final : public FileReplay {
 public:
  BinanceRecording(const config::v1::ReplayFeedConfig& config, const InstrumentTable& instruments)
      : FileReplay(StrCat("binance:", config.file()), config), instruments_(instruments) {}

  absl::Status Open(const std::string& frames, const std::string& snapshots) {
    absl::StatusOr<std::string> text = ReadWholeFile(frames);
    if (!text.ok()) return text.status();
    lines_.Reset(std::move(*text), frames);
    std::string_view header;
    if (!lines_.Next(&header)) return absl::InvalidArgumentError(StrCat("'", frames, "' is empty"));
    absl::StatusOr<md::BinanceWsLogHeader> h = md::ParseBinanceWsLogHeader(header);
    if (!h.ok()) {
      return absl::InvalidArgumentError(StrCat(lines_.Where(), ": ", ToStd(h.status().message())));
    }
    market_ = h->market;
    first_pos_ = lines_.pos();
    first_line_ = lines_.line_no();
    if (snapshots.empty()) return absl::OkStatus();
    absl::StatusOr<std::string> rest = ReadWholeFile(snapshots);
    if (!rest.ok()) return rest.status();
    Lines rest_lines;
    rest_lines.Reset(std::move(*rest), snapshots);
    std::string_view line;
    while (rest_lines.Next(&line)) {
      if (line.empty()) continue;
      md::BinanceDepthSnapshot snap;
      absl::Status s = parser_.ParseRestLogLine(line, &snap);
      if (!s.ok()) {
        return absl::InvalidArgumentError(StrCat(rest_lines.Where(), ": ", ToStd(s.message())));
      }
      snapshots_.push_back(std::move(snap));
    }
    std::stable_sort(snapshots_.begin(), snapshots_.end(),
                     [](const auto& a, const auto& b) { return a.receive_time < b.receive_time; });
    return absl::OkStatus();
  }

  std::vector<InstrumentIndex> instruments() const override {
    std::vector<InstrumentIndex> out;
    for (const auto& [symbol, s] : symbols_) out.push_back(s.instrument);
    return out;
  }

 private:
  struct Symbol {
    InstrumentIndex instrument = 0;
    std::unique_ptr<md::BinanceBookSync> sync;
  };

  void Reset() override {
    lines_.Rewind(first_pos_, first_line_);
    next_snapshot_ = 0;
    symbols_.clear();
  }

  Symbol* Find(const std::string& symbol, ReplayTarget& errors) {
    auto it = symbols_.find(symbol);
    if (it != symbols_.end()) return &it->second;
    std::optional<InstrumentIndex> index = FindSymbol(instruments_, symbol);
    if (!index) {
      if (unknown_.insert(symbol).second) {
        errors.BadInput(lines_.Where(),
                        StrCat("symbol ", symbol, " is not a configured instrument (skipped)"));
      }
      return nullptr;
    }
    md::BinanceBookSyncOptions o;
    o.market = market_;
    o.symbol = symbol;
    o.book.instrument = *index;
    o.book.max_depth = 5000;  // Binance's deepest snapshot
    Symbol s{*index, std::make_unique<md::BinanceBookSync>(o)};
    return &symbols_.emplace(symbol, std::move(s)).first->second;
  }

  bool ReadEvent(ReplayTarget& errors) override {
    std::string_view line;
    while (lines_.Next(&line)) {
      if (line.empty()) continue;
      absl::Status s = parser_.ParseWsLogLine(line, &frame_);
      if (!s.ok()) {
        // Kinds the simulator does not use (a new stream) are skipped quietly.
        if (s.code() != absl::StatusCode::kUnimplemented) {
          errors.BadInput(lines_.Where(), ToStd(s.message()));
        }
        continue;
      }
      event_time_ = frame_.receive_time;
      return true;
    }
    return false;
  }

  void SendBooks(ReplayTarget& target, Timestamp t) override {
    for (auto& [symbol, s] : symbols_) {
      if (!s.sync->needs_snapshot()) SendOrderBook(target, s.instrument, s.sync->book(), t);
    }
  }

  void Process(ReplayTarget& errors, ReplayTarget* out, Duration shift) override {
    Timestamp t = frame_.receive_time + shift;
    while (next_snapshot_ < snapshots_.size() &&
           snapshots_[next_snapshot_].receive_time <= frame_.receive_time) {
      const md::BinanceDepthSnapshot& snap = snapshots_[next_snapshot_++];
      Symbol* s = Find(snap.symbol, errors);
      if (s == nullptr) continue;
      absl::Status applied = s->sync->OnSnapshot(snap);
      if (!applied.ok()) {
        errors.BadInput(StrCat("snapshot of ", snap.symbol), ToStd(applied.message()));
      }
      if (!s->sync->needs_snapshot() && out != nullptr) {
        SendOrderBook(*out, s->instrument, s->sync->book(), t);
      }
    }
    switch (frame_.kind) {
      case md::BinanceEventKind::kDepthUpdate: {
        Symbol* s = Find(frame_.depth.symbol, errors);
        if (s == nullptr) return;
        bool was_synced = !s->sync->needs_snapshot();
        absl::StatusOr<md::SyncAction> a = s->sync->OnDepthUpdate(frame_.depth);
        if (!a.ok()) {
          // A gap: the recording has no later snapshot, so this book stays
          // as it was (stale) from here.
          errors.BadInput(lines_.Where(), ToStd(a.status().message()));
          return;
        }
        if (*a != md::SyncAction::kApplied || out == nullptr) return;
        if (!was_synced) {
          SendOrderBook(*out, s->instrument, s->sync->book(), t);
        } else {
          out->Levels(s->instrument, frame_.depth.bids, frame_.depth.asks, t);
        }
        return;
      }
      case md::BinanceEventKind::kAggTrade: {
        Symbol* s = Find(frame_.agg_trade.symbol, errors);
        if (s == nullptr || out == nullptr) return;
        out->Trade(s->instrument, frame_.agg_trade.price, frame_.agg_trade.qty,
                   frame_.agg_trade.buyer_is_maker ? common::v1::SIDE_SELL : common::v1::SIDE_BUY,
                   t);
        return;
      }
      case md::BinanceEventKind::kTrade: {
        Symbol* s = Find(frame_.trade.symbol, errors);
        if (s == nullptr || out == nullptr) return;
        out->Trade(s->instrument, frame_.trade.price, frame_.trade.qty,
                   frame_.trade.buyer_is_maker ? common::v1::SIDE_SELL : common::v1::SIDE_BUY, t);
        return;
      }
      case md::BinanceEventKind::kBookTicker:  // the simulator's own comes from its book
      case md::BinanceEventKind::kKline:
      case md::BinanceEventKind::kNone:
        return;
    }
  }

  const InstrumentTable& instruments_;
  Lines lines_;
  size_t first_pos_ = 0;
  uint64_t first_line_ = 0;
  md::BinanceParser parser_;
  md::BinanceMarket market_ = md::BinanceMarket::kSpot;
  std::vector<md::BinanceDepthSnapshot> snapshots_;
  size_t next_snapshot_ = 0;
  std::map<std::string, Symbol> symbols_;
  std::set<std::string> unknown_;
  md::BinanceFrame frame_;
};

class LobsterReplay final : public FileReplay {
 public:
  LobsterReplay(const config::v1::ReplayFeedConfig& config, InstrumentIndex instrument,
                md::LobsterBookOptions options)
      : FileReplay(StrCat("lobster:", config.file()), config),
        instrument_(instrument),
        options_(options) {}

  absl::Status Open(const std::string& path) {
    absl::StatusOr<std::string> text = ReadWholeFile(path);
    if (!text.ok()) return text.status();
    lines_.Reset(std::move(*text), path);
    return absl::OkStatus();
  }

  std::vector<InstrumentIndex> instruments() const override { return {instrument_}; }

 private:
  void Reset() override {
    lines_.Rewind(0, 0);
    // Orders resting before the file starts are unknown: the book starts
    // empty and fills as the day's messages arrive.
    book_ = std::make_unique<md::LobsterBook>(options_);
  }

  bool ReadEvent(ReplayTarget& errors) override {
    std::string_view line;
    while (lines_.Next(&line)) {
      if (line.empty()) continue;
      absl::StatusOr<md::LobsterMessage> m = md::ParseLobsterMessage(line);
      if (!m.ok()) {
        errors.BadInput(lines_.Where(), ToStd(m.status().message()));
        continue;
      }
      absl::StatusOr<Timestamp> t = md::LobsterTimeToUtc(options_.date, m->time_after_midnight);
      if (!t.ok()) {
        errors.BadInput(lines_.Where(), ToStd(t.status().message()));
        continue;
      }
      message_ = *m;
      event_time_ = *t;
      return true;
    }
    return false;
  }

  void SendBooks(ReplayTarget& target, Timestamp t) override {
    SendOrderBook(target, instrument_, book_->book(), t);
  }

  void Process(ReplayTarget& errors, ReplayTarget* out, Duration shift) override {
    Timestamp t = event_time_ + shift;
    absl::StatusOr<md::LobsterUpdate> u = book_->Apply(message_);
    if (!u.ok()) {
      errors.BadInput(lines_.Where(), ToStd(u.status().message()));
      if (book_->needs_resync()) Reseed(errors);
      return;
    }
    if (out == nullptr) return;
    if (u->book_changed) out->Levels(instrument_, u->bid_changes, u->ask_changes, t);
    if (u->has_trade) out->Trade(instrument_, u->trade.price, u->trade.qty, u->trade.aggressor, t);
  }

  // A LOBSTER file has no snapshot to resync from: the book is re-seeded
  // from its own levels (as the market-data service does), losing only which
  // order sits where.
  void Reseed(ReplayTarget& errors) {
    md::LobsterBookRow row;
    const md::OrderBook& l2 = book_->book();
    row.bids.resize(l2.Depth(md::BookSide::kBid));
    row.asks.resize(l2.Depth(md::BookSide::kAsk));
    row.bids.resize(l2.TopLevels(md::BookSide::kBid, row.bids));
    row.asks.resize(l2.TopLevels(md::BookSide::kAsk, row.asks));
    row.levels = std::max(row.bids.size(), row.asks.size()) + 1;
    absl::Status s = book_->Seed(row);
    if (!s.ok()) errors.BadInput(lines_.Where(), StrCat("cannot re-seed: ", ToStd(s.message())));
  }

  InstrumentIndex instrument_;
  md::LobsterBookOptions options_;
  std::unique_ptr<md::LobsterBook> book_;
  Lines lines_;
  md::LobsterMessage message_;
};

}  // namespace

std::optional<InstrumentIndex> FindSymbol(const InstrumentTable& instruments,
                                          std::string_view symbol) {
  for (InstrumentIndex i = 0; i < instruments.size(); ++i) {
    if (instruments.at(i).id.symbol == symbol) return i;
  }
  return std::nullopt;
}

absl::StatusOr<std::unique_ptr<ReplaySource>> OpenReplaySource(
    const config::v1::ReplayFeedConfig& config, const InstrumentTable& instruments) {
  switch (config.format()) {
    case config::v1::REPLAY_FORMAT_BINANCE_RECORDING: {
      auto source = std::make_unique<BinanceRecording>(config, instruments);
      absl::Status s = source->Open(config.file(), config.snapshot_file());
      if (!s.ok()) return s;
      return source;
    }
    case config::v1::REPLAY_FORMAT_LOBSTER: {
      absl::StatusOr<md::LobsterFileName> name = md::ParseLobsterFileName(config.file());
      if (!name.ok()) {
        return absl::InvalidArgumentError(
            StrCat("replay file '", config.file(), "': ", ToStd(name.status().message())));
      }
      // Presented under the instrument's symbol, or the file's ticker.
      std::string symbol =
          config.instrument().symbol().empty() ? name->symbol : config.instrument().symbol();
      std::optional<InstrumentIndex> i = FindSymbol(instruments, symbol);
      if (!i) {
        return absl::InvalidArgumentError(StrCat("replay of '", config.file(), "': symbol ", symbol,
                                                 " is not in the instruments list"));
      }
      md::LobsterBookOptions o;
      o.instrument = *i;
      o.date = name->date;
      o.file_levels = name->levels;
      o.tick_size = instruments.at(*i).tick_size;
      auto source = std::make_unique<LobsterReplay>(config, *i, o);
      absl::Status s = source->Open(config.file());
      if (!s.ok()) return s;
      return source;
    }
    default:
      return absl::InvalidArgumentError(
          StrCat("replay of '", config.file(),
                 "': format must be BINANCE_RECORDING or LOBSTER for the venue simulator"));
  }
}

}  // namespace tradeplane::venue_sim
