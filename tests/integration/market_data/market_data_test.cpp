// tradeplane-market-data as a process, on the real data in data/.
#include <map>

#include <catch2/catch.hpp>
#include <grpcpp/grpcpp.h>

#include "tradeplane/admin/admin_client.h"
#include "tradeplane/admin/v1/services.grpc.pb.h"
#include "tradeplane/bus/context.h"
#include "tradeplane/bus/request_client.h"
#include "tradeplane/bus/subscriber.h"
#include "tradeplane/bus/v1/envelope.pb.h"
#include "tradeplane/marketdata/lobster_book.h"
#include "tradeplane/marketdata/lobster_format.h"
#include "tradeplane/marketdata/v1/marketdata.pb.h"
#include "tradeplane/testing/subprocess.h"
#include "tradeplane/testing/temp_dir.h"
#include "tradeplane/testing/wait.h"

namespace tradeplane {
namespace {

namespace mdv1 = marketdata::v1;
using testing::BinaryPath;
using testing::Subprocess;
using testing::TempDir;
using testing::WaitUntil;

constexpr char kToken[] = "ops:0123456789abcdef0123";
const std::string kData = TRADEPLANE_SOURCE_DIR "/data/";
const std::string kAmzn = kData + "lobster/AMZN_2021-04-12_34200000_57600000_message_10.csv";

struct MarketData {
  TempDir dir;
  int admin_port = testing::FreeTcpPort();
  std::unique_ptr<Subprocess> process;

  void Start(const std::string& instruments_and_feeds, bool hold = true) {
    testing::WriteFile(dir.File("tokens"), std::string(kToken) + "\n");
    testing::WriteFile(dir.File("md.yaml"),
                       "common:\n"
                       "  admin: {port: " +
                           std::to_string(admin_port) +
                           ", token_file: tokens}\n"
                           "  telemetry: {metrics_port: -1, log_file: md.log}\n"
                           "publisher: {endpoint: '" +
                           dir.Ipc("md") +
                           "', send_hwm: 1000000}\n"
                           "snapshot_server: {endpoint: '" +
                           dir.Ipc("snap") +
                           "'}\n"
                           "heartbeat_interval_ms: 20\n"
                           "hold_feeds: " +
                           (hold ? "true" : "false") + "\n" + instruments_and_feeds);
    auto p =
        Subprocess::Start({BinaryPath("tradeplane-market-data"), "--config", dir.File("md.yaml")});
    REQUIRE(p.ok());
    process = std::move(*p);
  }
  admin::AdminClientOptions Admin() const {
    return {
        .target = "127.0.0.1:" + std::to_string(admin_port), .token = kToken, .timeout_ms = 5000};
  }
  grpc::Status Release() {
    auto channel = admin::MakeAdminChannel(Admin());
    grpc::ClientContext ctx;
    admin::PrepareContext(&ctx, Admin());
    admin::v1::ReleaseFeedsRequest req;
    req.set_reason("test");
    admin::v1::ReleaseFeedsResponse resp;
    return admin::v1::MarketDataAdmin::NewStub(*channel)->ReleaseFeeds(&ctx, req, &resp);
  }
  std::string Log() const { return testing::ReadFile(dir.File("md.log")); }
};

const char kAmznInstrument[] =
    "instruments:\n"
    "  - {id: {venue: NASDAQ, symbol: AMZN}, tick_size: '0.01', lot_size: '1'}\n";

// Subscribes to everything and records per-topic sequences and counts.
struct Tape {
  std::map<std::string, uint64_t> last_sequence;
  std::map<std::string, uint64_t> count;
  std::map<std::string, uint64_t> deltas;
  uint64_t gaps = 0, out_of_order = 0, heartbeats = 0, book_deltas = 0, trades = 0;
  uint64_t last_book_sequence = 0;
  bool book_sequence_broken = false;
  bool crossed = false;

  void Attach(bus::Subscriber& sub) {
    sub.OnRaw([this](std::string_view topic, std::string_view, const bus::Delivery& d) {
      std::string t(topic);
      uint64_t& last = last_sequence[t];
      if (last != 0 && d.header.sequence() != last + 1) ++gaps;
      last = d.header.sequence();
      ++count[t];
    });
    sub.On<bus::v1::Heartbeat>(
        [this](const bus::v1::Heartbeat&, const bus::Delivery&) { ++heartbeats; });
    sub.On<mdv1::BookDelta>([this](const mdv1::BookDelta& d, const bus::Delivery& delivery) {
      ++book_deltas;
      ++deltas[std::string(delivery.topic)];
      if (d.book_sequence() != last_book_sequence + 1) book_sequence_broken = true;
      last_book_sequence = d.book_sequence();
    });
    sub.On<mdv1::BookSnapshot>([this](const mdv1::BookSnapshot& s, const bus::Delivery&) {
      last_book_sequence = s.book_sequence();
      if (!s.bids().empty() && !s.asks().empty() && s.bids(0).price() >= s.asks(0).price()) {
        crossed = true;
      }
    });
    sub.On<mdv1::Trade>([this](const mdv1::Trade&, const bus::Delivery&) { ++trades; });
    sub.On<mdv1::Quote>([this](const mdv1::Quote& q, const bus::Delivery&) {
      if (q.bid_price() > 0 && q.ask_price() > 0 && q.bid_price() >= q.ask_price()) crossed = true;
    });
    sub.On<mdv1::Bar>([](const mdv1::Bar&, const bus::Delivery&) {});
    sub.On<mdv1::MarketStatus>([](const mdv1::MarketStatus&, const bus::Delivery&) {});
  }
};

TEST_CASE("a subscriber in another process receives the whole AMZN replay in order, no gap",
          "[market-data][process]") {
  // What the replay must produce, computed here from the same file.
  absl::StatusOr<marketdata::LobsterFileName> name = marketdata::ParseLobsterFileName(kAmzn);
  REQUIRE(name.ok());
  marketdata::LobsterBook book({.instrument = 0, .date = name->date, .file_levels = 10});
  uint64_t expected_deltas = 0, expected_trades = 0, rows = 0;
  {
    std::string text = testing::ReadFile(kAmzn);
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      auto m = marketdata::ParseLobsterMessage(std::string_view(text).substr(start, end - start));
      REQUIRE(m.ok());
      auto u = book.Apply(*m);
      REQUIRE(u.ok());
      expected_deltas += u->book_changed;
      expected_trades += u->has_trade;
      ++rows;
      start = end + 1;
    }
  }
  REQUIRE(rows == 40'674);

  MarketData md;
  md.Start(std::string(kAmznInstrument) + "feeds:\n  - replay: {format: LOBSTER, file: '" + kAmzn +
           "', instrument: {venue: NASDAQ, symbol: AMZN}, speed: AS_FAST_AS_POSSIBLE}\n");
  bus::BusContext ctx({"test", 0, 0}, {}, nullptr);
  auto sub = bus::Subscriber::Create(ctx, "tape");
  REQUIRE(sub.ok());
  config::v1::SocketConfig ep;
  ep.set_endpoint(md.dir.Ipc("md"));
  ep.set_recv_hwm(1'000'000);
  REQUIRE((*sub)->Connect(ep).ok());
  REQUIRE((*sub)->SubscribePrefix("md.").ok());
  Tape tape;
  tape.Attach(**sub);
  // The subscription is live once a heartbeat arrives; only then start the replay.
  REQUIRE(WaitUntil(
      [&] {
        (*sub)->WaitReadable(std::chrono::milliseconds(20));
        (*sub)->Poll();
        return tape.heartbeats > 0;
      },
      std::chrono::seconds(20)));
  grpc::Status released = md.Release();
  INFO(released.error_message());
  REQUIRE(released.ok());
  REQUIRE(WaitUntil(
      [&] {
        (*sub)->WaitReadable(std::chrono::milliseconds(20));
        (*sub)->Poll(100'000);
        return tape.trades == expected_trades && tape.book_deltas == expected_deltas;
      },
      std::chrono::seconds(120)));
  CHECK(tape.gaps == 0);
  CHECK((*sub)->stats().gaps() == 0);
  CHECK((*sub)->stats().malformed_total() == 0);
  CHECK_FALSE(tape.book_sequence_broken);
  CHECK_FALSE(tape.crossed);
  CHECK(tape.count["md.book.NASDAQ.AMZN"] >= expected_deltas);
  CHECK(tape.count["md.quote.NASDAQ.AMZN"] > 1000);
  CHECK(tape.count["md.bar.1m.NASDAQ.AMZN"] >= 29);

  // A late joiner gets the book and where to continue from.
  config::v1::ClientConfig snap;
  snap.mutable_socket()->set_endpoint(md.dir.Ipc("snap"));
  snap.set_timeout_ms(2000);
  auto client = bus::RequestClient::Create(ctx, snap, "snap");
  REQUIRE(client.ok());
  mdv1::SnapshotRequest req;
  mdv1::SnapshotReply reply;
  REQUIRE((*client)->Call(req, &reply).ok());
  REQUIRE(reply.books_size() == 1);
  CHECK(reply.books(0).book_sequence() == tape.last_book_sequence);
  CHECK(reply.books(0).bids(0).price() == book.book().BestBid()->price.raw());
  CHECK(reply.topic_sequences().at("md.book.NASDAQ.AMZN") ==
        tape.last_sequence["md.book.NASDAQ.AMZN"]);

  // tradectl prints the same book.
  testing::WriteFile(md.dir.File("token"), std::string(kToken) + "\n");
  auto shown = testing::RunCommand({BinaryPath("tradectl"), "--target", md.Admin().target,
                                    "--token-file", md.dir.File("token"), "book", "NASDAQ.AMZN",
                                    "--depth", "3", "-o", "json"});
  REQUIRE(shown.ok());
  INFO(shown->output);
  CHECK(shown->exit_code == 0);
  CHECK_THAT(shown->output,
             Catch::Contains("\"price\": \"" + book.book().BestBid()->price.ToString() + "\""));
  auto unknown = testing::RunCommand({BinaryPath("tradectl"), "--target", md.Admin().target,
                                      "--token-file", md.dir.File("token"), "book", "NASDAQ.MSFT"});
  CHECK(unknown->exit_code == 1);
  CHECK_THAT(unknown->output, Catch::Contains("unknown instrument NASDAQ.MSFT"));
}

TEST_CASE("Binance recordings replay into books that never cross", "[market-data][process]") {
  MarketData md;
  std::string instruments = "instruments:\n";
  for (const char* s : {"NKNUSDT", "BLZETH", "LRCBTC", "RUNEEUR"}) {
    instruments += std::string("  - {id: {venue: BINANCE, symbol: ") + s +
                   "}, tick_size: '0.00000001', lot_size: '0.00000001'}\n";
  }
  md.Start(instruments + "feeds:\n  - replay: {format: BINANCE_RECORDING, file: '" + kData +
           "binance/spot-2021-10-12.ws.log', snapshot_file: '" + kData +
           "binance/spot-2021-10-12.rest.log', speed: AS_FAST_AS_POSSIBLE}\n");
  bus::BusContext ctx({"test", 0, 0}, {}, nullptr);
  auto sub = bus::Subscriber::Create(ctx, "tape");
  config::v1::SocketConfig ep;
  ep.set_endpoint(md.dir.Ipc("md"));
  REQUIRE((*sub)->Connect(ep).ok());
  REQUIRE((*sub)->SubscribePrefix("md.").ok());
  Tape tape;
  tape.Attach(**sub);
  REQUIRE(WaitUntil(
      [&] {
        (*sub)->WaitReadable(std::chrono::milliseconds(20));
        (*sub)->Poll();
        return tape.heartbeats > 0;
      },
      std::chrono::seconds(20)));
  REQUIRE(md.Release().ok());
  // NKNUSDT: 149 updates apply after its snapshot (the procedure's count).
  REQUIRE(WaitUntil(
      [&] {
        (*sub)->WaitReadable(std::chrono::milliseconds(20));
        (*sub)->Poll();
        return tape.deltas["md.book.BINANCE.NKNUSDT"] >= 149;
      },
      std::chrono::seconds(60)));
  CHECK(tape.deltas["md.book.BINANCE.NKNUSDT"] == 149);
  CHECK_FALSE(tape.crossed);
  CHECK(tape.gaps == 0);
  CHECK(tape.trades > 0);
}

TEST_CASE("bad lines are counted and logged with file and line, and the rest is published",
          "[market-data][process]") {
  MarketData md;
  std::string file = md.dir.File("AMZN_2021-04-12_34200000_57600000_message_10.csv");
  testing::WriteFile(file,
                     "34200.000000001,1,100,10,33550000,1\n"
                     "this is not a row\n"
                     "34200.000000002,1,101,10,33560000,-1\n"
                     "34200.000000003,1,102,10,33550001,1\n"  // off the 0.01 tick
                     "34200.000000004,4,100,5,33550000,1\n");
  md.Start(std::string(kAmznInstrument) + "feeds:\n  - replay: {format: LOBSTER, file: '" + file +
               "', instrument: {venue: NASDAQ, symbol: AMZN}}\n",
           /*hold=*/false);
  REQUIRE(WaitUntil(
      [&] {
        std::string log = md.Log();
        return log.find("\"md.csv:2\"") != std::string::npos ||
               (log.find("message_10.csv:2") != std::string::npos &&
                log.find("message_10.csv:4") != std::string::npos);
      },
      std::chrono::seconds(20)));
  std::string log = md.Log();
  CHECK_THAT(log,
             Catch::Contains("message_10.csv:2") && Catch::Contains("market data input refused"));
  CHECK_THAT(log, Catch::Contains("message_10.csv:4"));
  CHECK(md.process->Running());  // still serving
  config::v1::ClientConfig snap;
  snap.mutable_socket()->set_endpoint(md.dir.Ipc("snap"));
  bus::BusContext ctx({"test", 0, 0}, {}, nullptr);
  auto client = bus::RequestClient::Create(ctx, snap, "snap");
  mdv1::SnapshotRequest req;
  mdv1::SnapshotReply reply;
  REQUIRE(WaitUntil([&] {
    return (*client)->Call(req, &reply).ok() && reply.books_size() == 1 &&
           reply.books(0).bids_size() == 1 && reply.books(0).bids(0).qty() == 5'000'000'000;
  }));
  CHECK(reply.books(0).asks(0).price() == 3'356'000'000'000);  // the good rows made the book
}

TEST_CASE("market-data refuses a bad config with the key's path", "[market-data][process]") {
  TempDir dir;
  testing::WriteFile(
      dir.File("bad.yaml"),
      "instruments: [{id: {venue: NASDAQ, symbol: AMZN}, tick_size: '0.01', lot_size: 1}]\n"
      "feeds: [{replay: {format: LOBSTER, file: nope.csv, speed: WARP}}]\n");
  auto r =
      testing::RunCommand({BinaryPath("tradeplane-market-data"), "--config", dir.File("bad.yaml")});
  REQUIRE(r.ok());
  CHECK(r->exit_code == 2);
  CHECK_THAT(r->output, Catch::Contains("feeds[0].replay.speed: 'WARP' is not one of"));
  testing::WriteFile(
      dir.File("nofile.yaml"),
      "common: {telemetry: {metrics_port: -1}, admin: {port: -1}}\n"
      "publisher: {endpoint: '" +
          dir.Ipc("p") +
          "'}\n"
          "snapshot_server: {endpoint: '" +
          dir.Ipc("s") +
          "'}\n"
          "instruments: [{id: {venue: NASDAQ, symbol: AMZN}, tick_size: '0.01', lot_size: 1}]\n"
          "feeds: [{replay: {format: LOBSTER, file: nope.csv, instrument: {venue: NASDAQ, symbol: "
          "AMZN}}}]\n");
  auto r2 = testing::RunCommand(
      {BinaryPath("tradeplane-market-data"), "--config", dir.File("nofile.yaml")});
  CHECK(r2->exit_code == 1);
  CHECK_THAT(r2->output, Catch::Contains("feeds[0]"));
}

}  // namespace
}  // namespace tradeplane
