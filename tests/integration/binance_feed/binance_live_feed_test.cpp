// The live Binance feed against a local venue that serves the real recordings
// in data/binance over a real WebSocket and real HTTP: the books it builds
// must be the books the recording replay builds, through reconnects, gaps,
// refused snapshots and bad frames.
#include "tradeplane/replay/binance_live_feed.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tradeplane/core/clock.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/marketdata/market_data_engine.h"
#include "tradeplane/replay/replay_feed.h"
#include "tradeplane/testing/wait.h"

#include "recorded_binance_venue.h"

namespace tradeplane::testing {
namespace {

namespace md = marketdata;
using replay::BinanceLiveFeed;

const std::string kData = TRADEPLANE_SOURCE_DIR "/data/binance/";

struct Recording {
  std::string frames;
  std::string snapshots;
  Venue venue;
  std::vector<std::string> symbols;
};

const Recording kSpot{kData + "spot-2021-10-12.ws.log",
                      kData + "spot-2021-10-12.rest.log",
                      common::v1::VENUE_BINANCE,
                      {"NKNUSDT", "BLZETH", "LRCBTC", "RUNEEUR"}};
const Recording kFutures{kData + "usdm-futures-2021-07-22.ws.log",
                         kData + "usdm-futures-2021-07-22.rest.log",
                         common::v1::VENUE_BINANCE_USDM,
                         {"SUSHIUSDT", "AKROUSDT", "KEEPUSDT", "CTKUSDT"}};

class RecordingListener final : public md::MarketDataListener {
 public:
  void OnQuote(const md::Quote&) override { ++quotes; }
  void OnTrade(const md::Trade&) override { ++trades; }
  void OnBookDelta(const md::BookDelta&) override { ++deltas; }
  void OnBookSnapshot(const md::BookSnapshot&) override { ++snapshots; }
  void OnBar(const md::Bar&) override {}
  void OnStatus(InstrumentIndex, md::FeedStatus status, std::string_view, Timestamp) override {
    statuses.push_back(status);
  }
  bool Saw(md::FeedStatus status) const {
    return std::find(statuses.begin(), statuses.end(), status) != statuses.end();
  }

  uint64_t quotes = 0, trades = 0, deltas = 0, snapshots = 0;
  std::vector<md::FeedStatus> statuses;
};

// An engine with its instruments and listener, as the service has them.
struct Engine {
  explicit Engine(const Recording& r) {
    for (const std::string& s : r.symbols) {
      InstrumentSpec spec;
      spec.id = {r.venue, s};
      spec.tick_size = *Price::Parse("0.00000001");
      spec.lot_size = *Quantity::Parse("0.00000001");
      REQUIRE(instruments.Add(spec).ok());
    }
    engine = std::move(*md::MarketDataEngine::Create(instruments, {}, listener));
    context.engine = engine.get();
    context.instruments = &instruments;
    context.clock = &SystemClock::Instance();
    context.bad_input = [this](std::string_view, std::string_view where, std::string_view why) {
      bad_input.push_back(StrCat(where, ": ", why));
    };
    context.publish_bar = [](const md::Bar&) {};
  }

  InstrumentTable instruments;
  RecordingListener listener;
  std::unique_ptr<md::MarketDataEngine> engine;
  replay::FeedContext context;
  std::vector<std::string> bad_input;
};

// The books the recording replay builds, run to its end.
std::unique_ptr<Engine> ReplayBooks(const Recording& r) {
  auto e = std::make_unique<Engine>(r);
  config::v1::ReplayFeedConfig c;
  c.set_format(config::v1::REPLAY_FORMAT_BINANCE_RECORDING);
  c.set_file(r.frames);
  c.set_snapshot_file(r.snapshots);
  c.set_speed(config::v1::REPLAY_SPEED_AS_FAST_AS_POSSIBLE);
  absl::StatusOr<std::unique_ptr<replay::Feed>> feed = replay::CreateReplayFeed(c, e->context);
  REQUIRE(feed.ok());
  while (!(*feed)->finished()) (void)(*feed)->Step();
  return e;
}

constexpr size_t kComparedLevels = 20;

// "" when the top levels of every book are equal; else the first difference.
std::string BookDifference(const Engine& live, const Engine& replayed) {
  for (InstrumentIndex i = 0; i < live.instruments.size(); ++i) {
    for (md::BookSide side : {md::BookSide::kBid, md::BookSide::kAsk}) {
      std::vector<md::BookLevel> a(kComparedLevels), b(kComparedLevels);
      a.resize(live.engine->book(i).TopLevels(side, a));
      b.resize(replayed.engine->book(i).TopLevels(side, b));
      if (a.size() != b.size()) {
        return StrCat(live.instruments.at(i).id.symbol, ": ", a.size(), " levels vs ", b.size());
      }
      for (size_t l = 0; l < a.size(); ++l) {
        if (a[l].price != b[l].price || a[l].qty != b[l].qty) {
          return StrCat(live.instruments.at(i).id.symbol,
                        side == md::BookSide::kBid ? " bid " : " ask ", l, ": ",
                        a[l].price.ToString(), " x ", a[l].qty.ToString(), " vs ",
                        b[l].price.ToString(), " x ", b[l].qty.ToString());
        }
      }
    }
  }
  return "";
}

struct Session {
  explicit Session(const Recording& r, uint32_t rollover_s = 0) : engine(r) {
    absl::StatusOr<std::unique_ptr<RecordedBinanceVenue>> v =
        RecordedBinanceVenue::Start(r.frames, r.snapshots);
    REQUIRE(v.ok());
    venue = std::move(*v);
    config::v1::BinanceFeedConfig c;
    c.set_venue(r.venue);
    c.set_ws_url(venue->ws_url());
    c.set_rest_url(venue->rest_url());
    for (const std::string& s : r.symbols) c.add_symbols(s);
    c.set_reconnect_backoff_ms(20);
    c.set_max_backoff_ms(200);
    c.set_rollover_s(rollover_s);
    replay::BinanceLiveFeedOptions o;
    o.receive_slice = std::chrono::milliseconds(5);
    o.connect_timeout = std::chrono::milliseconds(2000);
    o.snapshot_timeout = std::chrono::milliseconds(2000);
    o.on_connection_event = [this](std::string_view, std::string_view event) {
      events.emplace_back(event);
    };
    absl::StatusOr<std::unique_ptr<BinanceLiveFeed>> f =
        replay::CreateBinanceLiveFeed(c, engine.context, std::move(o));
    REQUIRE(f.ok());
    feed = std::move(*f);
  }

  // Runs the feed (as the service's loop does) until `condition` holds.
  bool PumpUntil(const std::function<bool()>& condition,
                 std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    return WaitUntil(
        [&] {
          (void)feed->Step();
          return condition();
        },
        timeout);
  }
  bool Connected(uint64_t connections) {
    return PumpUntil([&] {
      return venue->connections_accepted() == connections && venue->open_connections() == 1;
    });
  }
  // Sends frames in small bursts, running the feed between them.
  void Send(size_t frames) {
    for (size_t sent = 0; sent < frames;) {
      size_t n = venue->SendFrames(std::min<size_t>(16, frames - sent));
      if (n == 0) return;
      sent += n;
      (void)feed->Step();
    }
  }
  void SendAll() { Send(venue->frame_count()); }
  // True when the books equal the replay's; else the first difference is logged.
  bool Converged(const Engine& replayed) {
    bool same = PumpUntil(
        [&] { return feed->all_books_synced() && BookDifference(engine, replayed).empty(); });
    if (!same) UNSCOPED_INFO("first difference: " << BookDifference(engine, replayed));
    return same;
  }
  // Every frame the venue passed has been received and handled.
  bool Drained() {
    if (!PumpUntil([&] { return feed->counters().frames == venue->frame_count(); })) return false;
    while (feed->Step() == std::chrono::nanoseconds(0)) {
    }
    return true;
  }

  Engine engine;
  std::unique_ptr<RecordedBinanceVenue> venue;
  std::vector<std::string> events;
  std::unique_ptr<BinanceLiveFeed> feed;
};

void CheckSameBooksAsReplay(const Recording& r) {
  std::unique_ptr<Engine> replayed = ReplayBooks(r);
  Session s(r);
  REQUIRE(s.Connected(1));
  s.SendAll();
  CHECK(s.Converged(*replayed));
  REQUIRE(s.Drained());
  replay::BinanceLiveFeedCounters c = s.feed->counters();
  CHECK(c.frames_dropped == 0);
  CHECK(c.bad_frames == 0);
  CHECK(c.reconnects == 0);
  CHECK(c.gaps == 0);
  CHECK(c.snapshots_applied == r.symbols.size());
  CHECK(s.engine.bad_input.empty());
  // Trades come from the trade streams, as in the replay (every frame was delivered).
  CHECK(s.engine.listener.trades == replayed->listener.trades);
  CHECK(s.engine.listener.quotes > 0);
  // Every symbol's best bid and ask are there and not crossed.
  for (InstrumentIndex i = 0; i < s.engine.instruments.size(); ++i) {
    const md::OrderBook& book = s.engine.engine->book(i);
    REQUIRE(book.Depth(md::BookSide::kBid) > 0);
    REQUIRE(book.Depth(md::BookSide::kAsk) > 0);
    CHECK(book.Level(md::BookSide::kBid, 0).price < book.Level(md::BookSide::kAsk, 0).price);
  }
}

TEST_CASE("the live feed builds the same spot books as the recording replay", "[binance_feed]") {
  CheckSameBooksAsReplay(kSpot);
}

TEST_CASE("the live feed builds the same USD-M books as the recording replay", "[binance_feed]") {
  CheckSameBooksAsReplay(kFutures);
}

TEST_CASE("the feed subscribes to depth, bookTicker and trades of every symbol in one stream",
          "[binance_feed]") {
  Session spot(kSpot);
  REQUIRE(spot.Connected(1));
  std::string q = spot.venue->last_stream_query();
  CHECK(q.starts_with("streams="));
  for (std::string sym : {"nknusdt", "blzeth", "lrcbtc", "runeeur"}) {
    CHECK(q.find(sym + "@depth@100ms") != std::string::npos);
    CHECK(q.find(sym + "@bookTicker") != std::string::npos);
    CHECK(q.find(sym + "@trade") != std::string::npos);
  }
  Session futures(kFutures);
  REQUIRE(futures.Connected(1));
  CHECK(futures.venue->last_stream_query().find("sushiusdt@aggTrade") != std::string::npos);
}

TEST_CASE("a dropped connection is followed by a reconnect, new snapshots and the same books",
          "[binance_feed]") {
  std::unique_ptr<Engine> replayed = ReplayBooks(kFutures);
  Session s(kFutures);
  REQUIRE(s.Connected(1));
  s.Send(500);
  REQUIRE(s.PumpUntil([&] { return s.feed->all_books_synced(); }));
  for (const std::string& sym : kFutures.symbols) REQUIRE(s.venue->snapshots_served(sym) == 1);

  s.venue->DropConnections();
  // Passed while the client is away (its backoff is 20 ms): lost to it, in the venue's books.
  s.venue->SendFrames(100);
  REQUIRE(s.Connected(2));
  s.SendAll();
  CHECK(s.Converged(*replayed));
  replay::BinanceLiveFeedCounters c = s.feed->counters();
  CHECK(c.reconnects == 1);
  CHECK(c.disconnects == 1);
  CHECK(c.resyncs >= kFutures.symbols.size());  // every book started over
  for (const std::string& sym : kFutures.symbols) CHECK(s.venue->snapshots_served(sym) >= 2);
  CHECK(s.engine.listener.Saw(marketdata::v1::FEED_STATUS_DISCONNECTED));
  CHECK(s.engine.listener.Saw(marketdata::v1::FEED_STATUS_RESYNCING));
  CHECK(s.events.size() >= 3);  // connected, lost, connected
}

TEST_CASE("a sequence gap resynchronizes that symbol alone with a new snapshot", "[binance_feed]") {
  std::unique_ptr<Engine> replayed = ReplayBooks(kFutures);
  Session s(kFutures);
  REQUIRE(s.Connected(1));
  s.Send(500);
  REQUIRE(s.PumpUntil([&] { return s.feed->all_books_synced(); }));
  while (s.venue->NextFrameKind() != md::BinanceEventKind::kDepthUpdate) s.venue->SendFrames(1);
  std::string lost = s.venue->NextDepthSymbol();
  REQUIRE(s.venue->SkipFrame());
  s.SendAll();
  CHECK(s.Converged(*replayed));
  replay::BinanceLiveFeedCounters c = s.feed->counters();
  CHECK(c.gaps == 1);
  CHECK(c.reconnects == 0);
  for (const std::string& sym : kFutures.symbols) {
    INFO(sym);
    CHECK(s.venue->snapshots_served(sym) == (sym == lost ? 2u : 1u));
  }
  CHECK(s.engine.listener.Saw(marketdata::v1::FEED_STATUS_RESYNCING));
}

TEST_CASE("bad frames are counted and reported, and the feed goes on", "[binance_feed]") {
  std::unique_ptr<Engine> replayed = ReplayBooks(kSpot);
  Session s(kSpot);
  REQUIRE(s.Connected(1));
  s.Send(50);
  s.venue->SendRaw("this is not JSON");
  s.venue->SendRaw(R"({"stream":"nknusdt@depth@100ms","data":{"e":"depthUpdate","s":"NKNUSDT"}})");
  s.SendAll();
  CHECK(s.Converged(*replayed));
  CHECK(s.feed->counters().bad_frames == 2);
  REQUIRE(s.engine.bad_input.size() == 2);
  CHECK(s.engine.bad_input[0].starts_with("connection 1 frame 51: "));
  CHECK(s.feed->counters().reconnects == 0);
}

TEST_CASE("a refused snapshot request is retried until the book syncs", "[binance_feed]") {
  std::unique_ptr<Engine> replayed = ReplayBooks(kFutures);
  Session s(kFutures);
  s.venue->set_refuse_snapshots(true);
  REQUIRE(s.Connected(1));
  s.Send(200);
  REQUIRE(s.PumpUntil([&] { return s.feed->counters().snapshots_failed >= 4; }));
  CHECK_FALSE(s.feed->all_books_synced());
  s.venue->set_refuse_snapshots(false);
  s.SendAll();
  CHECK(s.Converged(*replayed));
  CHECK(s.events.size() >= 5);  // connected, then a failure per symbol
}

TEST_CASE("the feed reconnects by itself after the rollover period", "[binance_feed]") {
  Session s(kSpot, /*rollover_s=*/1);
  REQUIRE(s.Connected(1));
  REQUIRE(s.PumpUntil([&] { return s.feed->counters().rollovers >= 1; }, std::chrono::seconds(5)));
  REQUIRE(s.Connected(2));
  CHECK(s.feed->counters().reconnects == 1);
  CHECK(s.feed->counters().disconnects == 0);  // closed by us, not lost
}

TEST_CASE("a binance feed config is checked before anything connects", "[binance_feed]") {
  Engine e(kSpot);
  auto refused = [&](config::v1::BinanceFeedConfig c) {
    absl::StatusOr<std::unique_ptr<BinanceLiveFeed>> f =
        replay::CreateBinanceLiveFeed(c, e.context);
    return f.ok() ? std::string() : std::string(ToStd(f.status().message()));
  };
  config::v1::BinanceFeedConfig c;
  c.set_venue(common::v1::VENUE_BINANCE);
  c.set_ws_url("ws://127.0.0.1:1");
  c.set_rest_url("http://127.0.0.1:1");
  c.add_symbols("NKNUSDT");

  config::v1::BinanceFeedConfig unknown = c;
  unknown.add_symbols("BTCUSDT");
  CHECK(refused(unknown).find("binance.symbols[1] 'BTCUSDT': not in the instruments list") !=
        std::string::npos);
  config::v1::BinanceFeedConfig nasdaq = c;
  nasdaq.set_venue(common::v1::VENUE_NASDAQ);
  CHECK(refused(nasdaq).find("binance.venue") != std::string::npos);
  config::v1::BinanceFeedConfig bad_url = c;
  bad_url.set_ws_url("http://127.0.0.1:1");
  CHECK(refused(bad_url).find("binance.ws_url") != std::string::npos);
  config::v1::BinanceFeedConfig backoff = c;
  backoff.set_reconnect_backoff_ms(5000);
  backoff.set_max_backoff_ms(100);
  CHECK(refused(backoff).find("max_backoff_ms") != std::string::npos);
  config::v1::BinanceFeedConfig none = c;
  none.clear_symbols();
  CHECK(refused(none).find("symbols is empty") != std::string::npos);
  // Lower case is accepted: Binance's REST symbols are upper case, stream names lower.
  config::v1::BinanceFeedConfig lower = c;
  lower.set_symbols(0, "nknusdt");
  CHECK(refused(lower).empty());
}

TEST_CASE("a venue that refuses connections is retried with a growing backoff", "[binance_feed]") {
  Engine e(kSpot);
  config::v1::BinanceFeedConfig c;
  c.set_venue(common::v1::VENUE_BINANCE);
  int port = FreeTcpPort();  // nothing listens there
  c.set_ws_url(StrCat("ws://127.0.0.1:", port));
  c.set_rest_url(StrCat("http://127.0.0.1:", port));
  c.add_symbols("NKNUSDT");
  c.set_reconnect_backoff_ms(10);
  c.set_max_backoff_ms(40);
  std::vector<std::string> events;
  replay::BinanceLiveFeedOptions o;
  o.on_connection_event = [&](std::string_view, std::string_view ev) { events.emplace_back(ev); };
  absl::StatusOr<std::unique_ptr<BinanceLiveFeed>> f =
      replay::CreateBinanceLiveFeed(c, e.context, std::move(o));
  REQUIRE(f.ok());
  REQUIRE(WaitUntil([&] {
    (void)(*f)->Step();
    return (*f)->counters().connect_failures >= 4;
  }));
  CHECK((*f)->counters().connects == 0);
  REQUIRE(events.size() >= 4);
  CHECK(events[0].find("retrying in 10 ms") != std::string::npos);
  CHECK(events[1].find("retrying in 20 ms") != std::string::npos);
  CHECK(events[2].find("retrying in 40 ms") != std::string::npos);
  CHECK(events[3].find("retrying in 40 ms") != std::string::npos);
}

}  // namespace
}  // namespace tradeplane::testing
