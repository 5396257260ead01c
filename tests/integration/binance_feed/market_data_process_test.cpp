// tradeplane-market-data as a process with a live Binance feed pointed at a
// local venue serving the spot recording: what it builds reaches the bus.
#include <map>
#include <string>

#include <catch2/catch.hpp>

#include "tradeplane/bus/context.h"
#include "tradeplane/bus/subscriber.h"
#include "tradeplane/bus/v1/envelope.pb.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/marketdata/v1/marketdata.pb.h"
#include "tradeplane/testing/metrics_scrape.h"
#include "tradeplane/testing/subprocess.h"
#include "tradeplane/testing/temp_dir.h"
#include "tradeplane/testing/wait.h"

#include "recorded_binance_venue.h"

namespace tradeplane::testing {
namespace {

namespace mdv1 = marketdata::v1;

const std::string kData = TRADEPLANE_SOURCE_DIR "/data/binance/";

TEST_CASE("the market-data process publishes quotes and books from a live binance feed",
          "[binance_feed][process]") {
  absl::StatusOr<std::unique_ptr<RecordedBinanceVenue>> venue = RecordedBinanceVenue::Start(
      kData + "spot-2021-10-12.ws.log", kData + "spot-2021-10-12.rest.log");
  REQUIRE(venue.ok());
  TempDir dir;
  int metrics_port = FreeTcpPort();
  std::string yaml = StrCat(
      "common:\n"
      "  admin: {port: -1}\n"
      "  telemetry: {metrics_port: ",
      metrics_port,
      ", log_file: md.log}\n"
      "publisher: {endpoint: '",
      dir.Ipc("md"), "'}\nsnapshot_server: {endpoint: '", dir.Ipc("snap"),
      "'}\nheartbeat_interval_ms: 20\ninstruments:\n");
  for (const char* s : {"NKNUSDT", "BLZETH", "LRCBTC", "RUNEEUR"}) {
    StrAppend(&yaml, "  - {id: {venue: BINANCE, symbol: ", s,
              "}, tick_size: '0.00000001', lot_size: '0.00000001'}\n");
  }
  StrAppend(&yaml, "feeds:\n  - binance: {venue: BINANCE, ws_url: '", (*venue)->ws_url(),
            "', rest_url: '", (*venue)->rest_url(),
            "', symbols: [NKNUSDT, BLZETH, LRCBTC, RUNEEUR], reconnect_backoff_ms: 20}\n");
  WriteFile(dir.File("md.yaml"), yaml);
  auto process =
      Subprocess::Start({BinaryPath("tradeplane-market-data"), "--config", dir.File("md.yaml")});
  REQUIRE(process.ok());

  bus::BusContext ctx({"test", 0, 0}, {}, nullptr);
  auto sub = bus::Subscriber::Create(ctx, "tape");
  REQUIRE(sub.ok());
  config::v1::SocketConfig ep;
  ep.set_endpoint(dir.Ipc("md"));
  REQUIRE((*sub)->Connect(ep).ok());
  REQUIRE((*sub)->SubscribePrefix("md.").ok());
  uint64_t heartbeats = 0;
  std::map<std::string, uint64_t> count;
  bool crossed = false;
  (*sub)->OnRaw([&](std::string_view topic, std::string_view, const bus::Delivery&) {
    ++count[std::string(topic)];
  });
  (*sub)->On<bus::v1::Heartbeat>(
      [&](const bus::v1::Heartbeat&, const bus::Delivery&) { ++heartbeats; });
  (*sub)->On<mdv1::Quote>([&](const mdv1::Quote& q, const bus::Delivery&) {
    if (q.bid_price() > 0 && q.ask_price() > 0 && q.bid_price() >= q.ask_price()) crossed = true;
  });
  (*sub)->On<mdv1::BookSnapshot>([](const mdv1::BookSnapshot&, const bus::Delivery&) {});
  (*sub)->On<mdv1::BookDelta>([](const mdv1::BookDelta&, const bus::Delivery&) {});
  (*sub)->On<mdv1::Trade>([](const mdv1::Trade&, const bus::Delivery&) {});
  (*sub)->On<mdv1::Bar>([](const mdv1::Bar&, const bus::Delivery&) {});
  (*sub)->On<mdv1::MarketStatus>([](const mdv1::MarketStatus&, const bus::Delivery&) {});
  auto poll = [&] {
    (*sub)->WaitReadable(std::chrono::milliseconds(20));
    (*sub)->Poll();
  };
  // Subscribed once a heartbeat arrives; connected once the venue saw the upgrade.
  REQUIRE(WaitUntil(
      [&] {
        poll();
        return heartbeats > 0 && (*venue)->open_connections() == 1;
      },
      std::chrono::seconds(20)));
  // The first frames, until NKNUSDT's book is synced (its snapshot published);
  // the rest then arrive as deltas on that book.
  (*venue)->SendFrames(20);
  REQUIRE(WaitUntil(
      [&] {
        poll();
        return (*venue)->snapshots_served("NKNUSDT") == 1 && count["md.book.BINANCE.NKNUSDT"] >= 1;
      },
      std::chrono::seconds(20)));
  (*venue)->SendFrames((*venue)->frame_count());
  bool published = WaitUntil(
      [&] {
        poll();
        return count["md.book.BINANCE.NKNUSDT"] > 100 && count["md.quote.BINANCE.NKNUSDT"] >= 74;
      },
      std::chrono::seconds(20));
  for (const auto& [topic, n] : count) UNSCOPED_INFO(topic << ": " << n);
  REQUIRE(published);
  CHECK((*venue)->snapshots_served("NKNUSDT") >= 1);
  CHECK(count["md.trade.BINANCE.NKNUSDT"] >= 1);
  CHECK_FALSE(crossed);

  // The service's own time per event (frame read to published) is measured
  // for every quote, trade and book delta of a live feed.
  std::string metrics;
  bool observed = WaitUntil(
      [&] {
        metrics = ScrapeMetrics(metrics_port);
        return MetricSample(metrics, "tradeplane_market_data_handling_seconds_count") >= 175;
      },
      std::chrono::seconds(10));
  INFO(metrics);
  CHECK(observed);
}

}  // namespace
}  // namespace tradeplane::testing
