#include "tradeplane/replay/binance_live_feed.h"

#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/marketdata/binance_format.h"

#include "binance_stream_driver.h"
#include "binance_stream_reader.h"

namespace tradeplane::replay {
namespace {

namespace md = marketdata;
using config::v1::BinanceFeedConfig;
using Item = BinanceStreamItem;

// Items handled per Step: enough to amortize the loop, few enough that the
// service's snapshot and admin requests wait a millisecond at most.
constexpr size_t kSliceItems = 256;
// Step's answer when idle: the feed is woken through wake_fd() when frames
// arrive, so this only bounds how late a snapshot retry is asked for.
constexpr std::chrono::nanoseconds kIdleRecheck = std::chrono::milliseconds(100);

// Binance's limits on one connection (spot: 1024 streams; USD-M: 200).
constexpr int kMaxStreamsSpot = 1024;
constexpr int kMaxStreamsFutures = 200;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string WithoutTrailingSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

// One configured symbol: its place in the driver and its snapshot requests.
struct Tracked {
  std::string name;
  BinanceStreamDriver::Symbol* symbol = nullptr;
  bool in_flight = false;
  int64_t next_request_ns = 0;  // monotonic; a retry waits until then
  std::chrono::milliseconds backoff{0};
};

class BinanceLiveFeedImpl final : public BinanceLiveFeed {
 public:
  BinanceLiveFeedImpl(const FeedContext& context, BinanceLiveFeedOptions options,
                      md::BinanceMarket market, Venue venue, std::chrono::milliseconds backoff,
                      std::chrono::milliseconds max_backoff)
      : context_(context),
        options_(std::move(options)),
        name_(StrCat("binance:", ShortEnumName(venue))),
        driver_(name_, context_, market, venue),
        initial_backoff_(backoff),
        max_backoff_(max_backoff) {}

  // Registers the symbols (all checked to be instruments) and starts reading.
  absl::Status Start(const std::vector<std::string>& symbols,
                     BinanceStreamReaderOptions reader_options) {
    for (const std::string& s : symbols) {
      BinanceStreamDriver::Symbol* sym = driver_.Find(s);
      if (sym == nullptr) return absl::InternalError(StrCat("symbol ", s, " vanished"));
      tracked_.push_back({s, sym, false, 0, initial_backoff_});
    }
    absl::StatusOr<std::unique_ptr<BinanceStreamReader>> reader =
        BinanceStreamReader::Start(std::move(reader_options));
    if (!reader.ok()) return reader.status();
    reader_ = std::move(*reader);
    return absl::OkStatus();
  }

  // Frames, snapshots and connection events are all handled here, on the
  // caller's thread, in the order the reader queued them; nothing here waits.
  std::chrono::nanoseconds Step() override {
    bool more = reader_->Take(kSliceItems, &batch_);
    for (Item& item : batch_) Handle(item);
    uint64_t dropped = reader_->counters().frames_dropped.load(std::memory_order_relaxed);
    if (dropped != reported_dropped_) {
      context_.bad_input(name_, "frame queue",
                         StrCat(dropped - reported_dropped_,
                                " frames dropped: the service fell behind the stream (books "
                                "resynchronize on the gap)"));
      reported_dropped_ = dropped;
    }
    std::chrono::nanoseconds next = RequestDueSnapshots();
    return more ? std::chrono::nanoseconds(0) : next;
  }
  bool finished() const override { return false; }  // live: runs until the service stops
  std::string_view name() const override { return name_; }
  uint64_t events() const override { return events_; }

  int wake_fd() const override { return reader_->wake_fd(); }
  void ClearWake() override { reader_->ClearWake(); }

  BinanceLiveFeedCounters counters() const override {
    const BinanceStreamReaderCounters& r = reader_->counters();
    BinanceLiveFeedCounters c;
    c.connects = r.connects.load();
    c.reconnects = c.connects > 0 ? c.connects - 1 : 0;
    c.connect_failures = r.connect_failures.load();
    c.disconnects = r.disconnects.load();
    c.rollovers = r.rollovers.load();
    c.frames = r.frames.load();
    c.frames_dropped = r.frames_dropped.load();
    c.snapshots_requested = r.snapshots_requested.load();
    c.bad_frames = bad_frames_;
    c.snapshots_failed = snapshots_failed_;
    c.snapshots_applied = snapshots_applied_;
    c.gaps = driver_.gaps();
    c.resyncs = driver_.gaps() + restarted_books_;
    return c;
  }

  bool all_books_synced() const override {
    return std::all_of(tracked_.begin(), tracked_.end(),
                       [](const Tracked& t) { return !t.symbol->sync->needs_snapshot(); });
  }

 private:
  void Handle(Item& item) {
    switch (item.kind) {
      case Item::Kind::kFrame:
        return OnFrame(item);
      case Item::Kind::kConnected:
        return OnConnected(item);
      case Item::Kind::kDisconnected:
        connected_ = false;
        for (const Tracked& t : tracked_) {
          context_.engine->OnSourceStatus(t.symbol->instrument,
                                          marketdata::v1::FEED_STATUS_DISCONNECTED, item.text,
                                          item.receive_time);
        }
        return Event(item.text);
      case Item::Kind::kNotice:
        return Event(item.text);
      case Item::Kind::kSnapshot:
        return OnSnapshot(item);
    }
  }

  void OnFrame(const Item& item) {
    if (item.generation != generation_) return;  // cannot happen: frames precede their end
    ++frame_number_;
    absl::Status s = parser_.ParseFrame(item.text, item.receive_time, &frame_);
    if (!s.ok()) {
      // Well-formed frames of streams this feed does not use are skipped quietly.
      if (s.code() == absl::StatusCode::kUnimplemented) return;
      ++bad_frames_;
      context_.bad_input(name_, FrameWhere(), ToStd(s.message()));
      return;
    }
    ++events_;
    driver_.OnFrame(frame_, [this] { return FrameWhere(); });
  }

  std::string FrameWhere() const {
    return StrCat("connection ", generation_, " frame ", frame_number_);
  }

  void OnConnected(const Item& item) {
    bool reconnect = generation_ != 0;
    generation_ = item.generation;
    connected_ = true;
    frame_number_ = 0;
    for (Tracked& t : tracked_) {
      // Updates buffered from the old connection cannot be joined to a
      // snapshot taken for this one, and the updates in between are lost.
      if (reconnect) {
        driver_.Restart(*t.symbol, "reconnected: the book starts over from a new snapshot",
                        item.receive_time);
        ++restarted_books_;
      }
      t.in_flight = false;
      t.next_request_ns = 0;
      t.backoff = initial_backoff_;
    }
    Event(item.text);
  }

  void OnSnapshot(const Item& item) {
    auto it = std::find_if(tracked_.begin(), tracked_.end(),
                           [&](const Tracked& t) { return t.name == item.symbol; });
    if (it == tracked_.end() || item.generation != generation_) return;  // for an older connection
    Tracked& t = *it;
    t.in_flight = false;
    std::chrono::milliseconds wait = t.backoff;
    if (item.http_status != 200) {
      ++snapshots_failed_;
      std::string why = item.http_status == 0
                            ? item.text
                            : StrCat("HTTP ", item.http_status, ": ", item.text.substr(0, 200));
      Event(StrCat("snapshot of ", t.name, " failed (retrying in ",
                   std::max<int64_t>(wait.count(), item.retry_after.count() * 1000),
                   " ms): ", why));
      // 418 and 429 carry Retry-After; asking earlier extends a ban.
      wait = std::max<std::chrono::milliseconds>(wait, item.retry_after);
      return Retry(t, wait);
    }
    absl::Status s = parser_.ParseDepthSnapshot(item.url, item.text, item.receive_time, &snapshot_);
    if (!s.ok()) {
      ++snapshots_failed_;
      context_.bad_input(name_, StrCat("snapshot of ", t.name), ToStd(s.message()));
      return Retry(t, wait);
    }
    driver_.OnSnapshot(snapshot_);
    if (t.symbol->sync->needs_snapshot()) return Retry(t, wait);  // did not join (reported)
    ++snapshots_applied_;
    t.backoff = initial_backoff_;
  }

  void Retry(Tracked& t, std::chrono::milliseconds wait) {
    t.next_request_ns = MonotonicNanos() + std::chrono::nanoseconds(wait).count();
    t.backoff = std::min(t.backoff * 2, max_backoff_);
  }

  // Binance's procedure: the snapshot is requested once the stream's updates
  // are being buffered, so the snapshot is not older than all of them.
  // Returns how long until the next retry is due (kIdleRecheck at most).
  std::chrono::nanoseconds RequestDueSnapshots() {
    std::chrono::nanoseconds next = kIdleRecheck;
    if (!connected_) return next;
    int64_t now = MonotonicNanos();
    for (Tracked& t : tracked_) {
      const md::BinanceBookSync& sync = *t.symbol->sync;
      if (t.in_flight || !sync.needs_snapshot() || sync.buffered_updates() == 0) continue;
      if (now < t.next_request_ns) {
        next = std::min(next, std::chrono::nanoseconds(t.next_request_ns - now));
        continue;
      }
      reader_->RequestSnapshot(t.name, generation_);
      t.in_flight = true;
    }
    return next;
  }

  void Event(std::string_view text) {
    if (options_.on_connection_event) options_.on_connection_event(name_, text);
  }

  FeedContext context_;
  BinanceLiveFeedOptions options_;
  std::string name_;
  BinanceStreamDriver driver_;
  std::chrono::milliseconds initial_backoff_;
  std::chrono::milliseconds max_backoff_;
  std::vector<Tracked> tracked_;
  std::unique_ptr<BinanceStreamReader> reader_;

  md::BinanceParser parser_;
  md::BinanceFrame frame_;
  md::BinanceDepthSnapshot snapshot_;
  std::vector<Item> batch_;
  uint64_t generation_ = 0;  // of the connection whose items are being handled
  bool connected_ = false;
  uint64_t frame_number_ = 0;
  uint64_t events_ = 0;
  uint64_t bad_frames_ = 0;
  uint64_t snapshots_failed_ = 0;
  uint64_t snapshots_applied_ = 0;
  uint64_t restarted_books_ = 0;
  uint64_t reported_dropped_ = 0;
};

}  // namespace

absl::StatusOr<std::unique_ptr<BinanceLiveFeed>> CreateBinanceLiveFeed(
    const BinanceFeedConfig& config, const FeedContext& context, BinanceLiveFeedOptions options) {
  md::BinanceMarket market;
  std::string ws_url = WithoutTrailingSlash(config.ws_url());
  std::string rest_url = WithoutTrailingSlash(config.rest_url());
  switch (config.venue()) {
    case common::v1::VENUE_BINANCE:
      market = md::BinanceMarket::kSpot;
      if (ws_url.empty()) ws_url = "wss://stream.binance.com:9443";
      if (rest_url.empty()) rest_url = "https://api.binance.com";
      break;
    case common::v1::VENUE_BINANCE_USDM:
      market = md::BinanceMarket::kUsdmFutures;
      if (ws_url.empty()) ws_url = "wss://fstream.binance.com";
      if (rest_url.empty()) rest_url = "https://fapi.binance.com";
      break;
    case common::v1::VENUE_SIM:  // the venue simulator speaks the spot API
      market = md::BinanceMarket::kSpot;
      if (ws_url.empty() || rest_url.empty()) {
        return absl::InvalidArgumentError(
            "binance: venue SIM (the simulator) needs ws_url and rest_url");
      }
      break;
    default:
      return absl::InvalidArgumentError(
          StrCat("binance.venue: ", ShortEnumName(config.venue()),
                 " is not a Binance-style venue (BINANCE, BINANCE_USDM or SIM)"));
  }
  if (!ws_url.starts_with("ws://") && !ws_url.starts_with("wss://")) {
    return absl::InvalidArgumentError(
        StrCat("binance.ws_url '", ws_url, "': must start with ws:// or wss://"));
  }
  if (!rest_url.starts_with("http://") && !rest_url.starts_with("https://")) {
    return absl::InvalidArgumentError(
        StrCat("binance.rest_url '", rest_url, "': must start with http:// or https://"));
  }
  if (config.symbols().empty()) return absl::InvalidArgumentError("binance.symbols is empty");

  bool futures = market == md::BinanceMarket::kUsdmFutures;
  std::vector<std::string> symbols;
  std::string streams;
  for (int i = 0; i < config.symbols_size(); ++i) {
    const std::string& raw = config.symbols(i);
    bool valid = !raw.empty() && std::all_of(raw.begin(), raw.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) != 0;
    });
    if (!valid) {
      return absl::InvalidArgumentError(
          StrCat("binance.symbols[", i, "] '", raw, "': letters and digits only"));
    }
    std::string symbol = Upper(raw);
    if (std::find(symbols.begin(), symbols.end(), symbol) != symbols.end()) {
      return absl::InvalidArgumentError(
          StrCat("binance.symbols[", i, "] '", raw, "': listed twice"));
    }
    if (!context.instruments->Find(config.venue(), symbol)) {
      return absl::InvalidArgumentError(StrCat("binance.symbols[", i, "] '", raw,
                                               "': not in the instruments list for venue ",
                                               ShortEnumName(config.venue())));
    }
    std::string lower = Lower(symbol);
    // Spot's @trade is every trade; USD-M documents only @aggTrade.
    StrAppend(&streams, streams.empty() ? "" : "/", lower, "@depth@100ms/", lower, "@bookTicker/",
              lower, futures ? "@aggTrade" : "@trade");
    symbols.push_back(std::move(symbol));
  }
  int max_streams = futures ? kMaxStreamsFutures : kMaxStreamsSpot;
  if (static_cast<int>(symbols.size()) * 3 > max_streams) {
    return absl::InvalidArgumentError(
        StrCat("binance.symbols: ", symbols.size(), " symbols need ", symbols.size() * 3,
               " streams; one connection carries at most ", max_streams));
  }

  std::chrono::milliseconds backoff(
      config.reconnect_backoff_ms() != 0 ? config.reconnect_backoff_ms() : 250);
  std::chrono::milliseconds max_backoff(config.max_backoff_ms() != 0 ? config.max_backoff_ms()
                                                                     : 30'000);
  if (max_backoff < backoff) {
    return absl::InvalidArgumentError(StrCat("binance.max_backoff_ms (", max_backoff.count(),
                                             ") is below binance.reconnect_backoff_ms (",
                                             backoff.count(), ")"));
  }
  // Binance cuts at 24 h; the default leaves an hour's margin.
  std::chrono::seconds rollover(config.rollover_s() != 0 ? config.rollover_s() : 23 * 3600);
  if (rollover > std::chrono::hours(24)) {
    return absl::InvalidArgumentError(
        StrCat("binance.rollover_s ", config.rollover_s(),
               ": above 86400 (Binance ends every connection after 24 hours)"));
  }

  BinanceStreamReaderOptions r;
  r.stream_url = StrCat(ws_url, "/stream?streams=", streams);
  r.depth_url_prefix = StrCat(rest_url, futures ? "/fapi/v1/depth" : "/api/v3/depth", "?symbol=");
  r.depth_url_suffix = StrCat("&limit=", options.snapshot_limit);
  r.initial_backoff = backoff;
  r.max_backoff = max_backoff;
  r.rollover = rollover;
  r.connect_timeout = options.connect_timeout;
  r.snapshot_timeout = options.snapshot_timeout;
  r.receive_slice = options.receive_slice;
  r.max_queued_frames = options.max_queued_frames;
  r.clock = context.clock;

  auto feed = std::make_unique<BinanceLiveFeedImpl>(context, std::move(options), market,
                                                    config.venue(), backoff, max_backoff);
  absl::Status s = feed->Start(symbols, std::move(r));
  if (!s.ok()) return s;
  return feed;
}

}  // namespace tradeplane::replay
