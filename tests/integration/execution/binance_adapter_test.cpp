// tradeplane-execution with the Binance adapter: every signed request signed
// by a real tradeplane-signer (CURVE, keystore made with its command line),
// against a Binance-style endpoint that checks the signatures and injects the
// faults (binance_test_venue.h).
#include <csignal>

#include <catch2/catch.hpp>
#include <grpcpp/grpcpp.h>

#include "tradeplane/admin/admin_client.h"
#include "tradeplane/bus/curve.h"
#include "tradeplane/core/fixed_point.h"
#include "tradeplane/testing/wait.h"

#include "binance_test_venue.h"
#include "execution_harness.h"

namespace tradeplane {
namespace {

namespace ov1 = orders::v1;
using common::v1::SIDE_BUY;
using testing::BinanceTestVenue;
using testing::CommandResult;
using testing::ExecutionHarness;
using testing::Subprocess;
using testing::WaitUntil;

// Binance's documented HMAC example key pair (public).
constexpr char kApiKey[] = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
constexpr char kSecret[] = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
constexpr char kPassphrase[] = "execution test passphrase";

int64_t Raw(const std::string& decimal) { return *fixed_point::ParseRaw(decimal); }

// tradeplane-signer with one HMAC key for BINANCE, serving execution over CURVE.
class Signer {
 public:
  explicit Signer(const std::string& conninfo) {
    auto server = bus::GenerateCurveKeyPair();
    auto client = bus::GenerateCurveKeyPair();
    REQUIRE(server.ok());
    REQUIRE(client.ok());
    server_ = *server;
    client_ = *client;
    REQUIRE(bus::WriteCurveKeyPair(server_, dir_.File("server.key")).ok());
    testing::WriteFile(dir_.File("passphrase"), std::string(kPassphrase) + "\n");
    testing::WriteFile(dir_.File("tokens"), std::string(testing::kAdminToken) + "\n");
    testing::WriteFile(dir_.File("binance.secret"), std::string(kSecret) + "\n");
    testing::WriteFile(dir_.File("policy.yaml"),
                       "allowed_venues: [BINANCE]\n"
                       "allowed_kinds: [ORDER, CANCEL, QUERY, USER_STREAM]\n"
                       "max_notional_per_request: '100000'\n"
                       "max_timestamp_skew_ms: 60000\n");
    Keys({"init"});
    Keys({"import", "--id", "binance", "--alg", "hmac-sha256", "--secret-file",
          dir_.File("binance.secret"), "--api-key", kApiKey});
    Keys({"policy", "set", "--id", "binance", dir_.File("policy.yaml")});
    int admin_port = testing::FreeTcpPort();
    testing::WriteFile(
        dir_.File("signer.yaml"),
        "common:\n  store: {conninfo: '" + conninfo +
            "'}\n  admin: {port: " + std::to_string(admin_port) +
            ", token_file: tokens}\n  telemetry: {metrics_port: -1, log_file: signer.log}\n"
            "server:\n  endpoint: '" +
            dir_.Ipc("signer") +
            "'\n  curve: {enabled: true, key_pair_file: server.key, allowed_client_keys: "
            "['execution:" +
            client_.public_key + "']}\nkeystore: keystore\npassphrase_file: passphrase\n");
    Subprocess::Options options;
    options.output_file = dir_.File("signer.out");
    auto p = Subprocess::Start(
        {testing::BinaryPath("tradeplane-signer"), "--config", dir_.File("signer.yaml")}, options);
    REQUIRE(p.ok());
    process_ = std::move(*p);
    admin::AdminClientOptions o{.target = "127.0.0.1:" + std::to_string(admin_port),
                                .token = testing::kAdminToken,
                                .timeout_ms = 2000};
    bool ready = WaitUntil([&] { return admin::ServiceSaysReady(o); }, std::chrono::seconds(30));
    INFO(testing::ReadFile(dir_.File("signer.log")));
    REQUIRE(ready);
    REQUIRE(bus::WriteCurveKeyPair(client_, dir_.File("execution.key")).ok());
  }

  // The execution config's signer and venue sections.
  std::string ExecutionConfig(const BinanceTestVenue& venue) const {
    return "signer:\n  socket:\n    endpoint: '" + dir_.Ipc("signer") +
           "'\n    curve: {enabled: true, key_pair_file: '" + dir_.File("execution.key") +
           "', server_public_key: '" + server_.public_key +
           "'}\n  timeout_ms: 3000\n"
           "venue: {kind: BINANCE, venue: BINANCE, key_id: binance, rest_url: '" +
           venue.rest_url() + "', ws_url: '" + venue.ws_url() +
           "', timeout_ms: 2000, max_retries: 3, retry_backoff_ms: 50, "
           "reconnect_backoff_ms: 100, max_reconnect_backoff_ms: 400}\n"
           "instruments:\n  - {id: {venue: BINANCE, symbol: BTCUSDT}}\n"
           "require_clean_reconciliation: false\n"
           "resync_interval_ms: 300\n";
  }

 private:
  void Keys(std::vector<std::string> args) {
    args.insert(args.begin(), {testing::BinaryPath("tradeplane-signer"), "keys"});
    args.insert(args.end(), {"--keystore", dir_.File("keystore")});
    Subprocess::Options options;
    options.env = {{"TRADEPLANE_KEYSTORE_PASSPHRASE", kPassphrase},
                   {"TRADEPLANE_SIGNER_KDF", "minimum"}};
    auto r = testing::RunCommand(std::move(args), std::chrono::seconds(60), options);
    REQUIRE(r.ok());
    INFO(r->output);
    REQUIRE(r->exit_code == 0);
  }

  testing::TempDir dir_;
  bus::CurveKeyPair server_, client_;
  std::unique_ptr<Subprocess> process_;
};

// One execution + signer + venue; the harness is built once the signer's
// sections are known.
struct Binance {
  BinanceTestVenue venue{kApiKey, kSecret};
  std::unique_ptr<Signer> signer;
  std::unique_ptr<ExecutionHarness> h;

  Binance() {
    h = std::make_unique<ExecutionHarness>("");
    signer = std::make_unique<Signer>(h->conninfo());
    h->Reconfigure(signer->ExecutionConfig(venue));
  }
};

int64_t FilledQty(const ExecutionHarness& h, const std::string& id) {
  int64_t sum = 0;
  for (const ov1::Fill& f : h.fills()) {
    if (f.client_order_id() == id) sum += f.qty();
  }
  return sum;
}

TEST_CASE(
    "binance: orders are signed by the signer, filled on the user-data stream and "
    "canceled",
    "[execution][binance][pg]") {
  Binance b;
  ExecutionHarness& h = *b.h;
  h.Start();
  h.WaitReady();
  REQUIRE(WaitUntil([&] { return b.venue.stream_connections() == 1; }));

  auto r = h.Place(h.Order("bn-rest", SIDE_BUY, "0.01", "99"));
  REQUIRE(r.ok());
  INFO(r->DebugString() << h.Log());
  CHECK(r->accepted());
  CHECK(r->order().status() == ov1::ORDER_STATUS_NEW);
  CHECK(r->order().venue_order_id() == "1000");
  CHECK(b.venue.bad_signatures() == 0);

  b.venue.Fill("bn-rest", "0.004");
  REQUIRE(WaitUntil([&] {
    h.Pump();
    return FilledQty(h, "bn-rest") == Raw("0.004");
  }));
  CHECK(h.fills().back().fill_id() == "BINANCE:BTCUSDT:500");
  CHECK(h.fills().back().source() == ov1::FILL_SOURCE_LIVE);

  // Marketable: the FULL answer's fill, then the stream's copy is a duplicate.
  r = h.Place(h.Order("bn-take", SIDE_BUY, "0.002", "100.5"));
  REQUIRE(r.ok());
  CHECK(r->order().status() == ov1::ORDER_STATUS_FILLED);

  ov1::ExecutionRequest cancel;
  cancel.mutable_cancel()->set_client_order_id("bn-rest");
  cancel.mutable_cancel()->set_reason("test");
  r = h.Call(cancel);
  REQUIRE(r.ok());
  CHECK(r->accepted());
  CHECK(r->order().status() == ov1::ORDER_STATUS_CANCELED);
  CHECK(b.venue.status_of("bn-rest") == "CANCELED");
  CHECK(b.venue.bad_signatures() == 0);
  WaitUntil([&] {
    h.Pump();
    return FilledQty(h, "bn-take") == Raw("0.002");
  });
  CHECK(FilledQty(h, "bn-take") == Raw("0.002"));  // once, not twice
  CHECK(h.Query("SELECT count(*) > 3 FROM signer_audit WHERE signed") == "t");
}

TEST_CASE(
    "binance: transient errors are retried with the same client order id, honouring "
    "Retry-After",
    "[execution][binance][pg]") {
  Binance b;
  ExecutionHarness& h = *b.h;
  h.Start();
  h.WaitReady();

  b.venue.FailNextOrders(1, 429, 1);
  auto start = std::chrono::steady_clock::now();
  auto r = h.Place(h.Order("bn-429", SIDE_BUY, "0.01", "99"));
  auto took = std::chrono::steady_clock::now() - start;
  REQUIRE(r.ok());
  INFO(r->DebugString());
  CHECK(r->accepted());
  CHECK(r->order().status() == ov1::ORDER_STATUS_NEW);
  CHECK(took >= std::chrono::seconds(1));  // the venue's Retry-After
  CHECK(b.venue.order_requests() == 2);
  CHECK(b.venue.orders_placed() == 1);

  // A 5xx on an order may have been carried out: queried, then sent again.
  b.venue.FailNextOrders(2, 503);
  r = h.Place(h.Order("bn-503", SIDE_BUY, "0.01", "99"));
  REQUIRE(r.ok());
  CHECK(r->accepted());
  CHECK(r->order().status() == ov1::ORDER_STATUS_NEW);
  CHECK(b.venue.order_requests() == 5);
  CHECK(b.venue.orders_placed() == 2);
  CHECK(h.Query("SELECT count(*) FROM exec_order_events WHERE client_order_id = 'bn-503' AND "
                "event = 'SUBMIT_SENT'") == "3");
}

TEST_CASE(
    "binance: a lost ack is resolved by querying the client order id, never by a second "
    "order",
    "[execution][binance][pg]") {
  Binance b;
  ExecutionHarness& h = *b.h;
  h.Start();
  h.WaitReady();
  b.venue.DropNextOrderAcks(1);
  auto r = h.Place(h.Order("bn-lost", SIDE_BUY, "0.01", "99"));
  REQUIRE(r.ok());
  INFO(r->DebugString() << h.Log());
  CHECK(r->accepted());
  CHECK(r->order().status() == ov1::ORDER_STATUS_NEW);
  CHECK(r->order().venue_order_id() == "1000");
  CHECK(b.venue.order_requests() == 1);
  CHECK(b.venue.orders_placed() == 1);
}

TEST_CASE("binance: after a user-data stream disconnect the missed fill is fetched",
          "[execution][binance][pg]") {
  Binance b;
  ExecutionHarness& h = *b.h;
  h.Start();
  h.WaitReady();
  REQUIRE(WaitUntil([&] { return b.venue.stream_connections() == 1; }));
  auto r = h.Place(h.Order("bn-gap", SIDE_BUY, "0.01", "99"));
  REQUIRE(r.ok());
  REQUIRE(r->order().status() == ov1::ORDER_STATUS_NEW);

  b.venue.DropStreams(/*mute=*/true);
  b.venue.Fill("bn-gap", "0.006");  // its report is lost with the stream
  b.venue.Unmute();
  bool fetched = WaitUntil(
      [&] {
        h.Pump();
        return FilledQty(h, "bn-gap") == Raw("0.006");
      },
      std::chrono::seconds(20));
  INFO(h.Log());
  REQUIRE(fetched);
  CHECK(b.venue.stream_connections() == 1);  // reconnected
  auto stored = h.journal().FindOrder("bn-gap");
  REQUIRE(stored.ok());
  REQUIRE(stored->has_value());
  CHECK((*stored)->order.status() == ov1::ORDER_STATUS_PARTIALLY_FILLED);
}

TEST_CASE("binance: an unreadable stream message is an anomaly and the order is fetched",
          "[execution][binance][pg]") {
  Binance b;
  ExecutionHarness& h = *b.h;
  h.Start();
  h.WaitReady();
  REQUIRE(WaitUntil([&] { return b.venue.stream_connections() == 1; }));
  auto r = h.Place(h.Order("bn-garbled", SIDE_BUY, "0.01", "99"));
  REQUIRE(r.ok());
  b.venue.GarbleNextEvents(1);
  b.venue.Fill("bn-garbled", "0.01");
  bool fetched = WaitUntil(
      [&] {
        h.Pump();
        return FilledQty(h, "bn-garbled") == Raw("0.01");
      },
      std::chrono::seconds(20));
  INFO(h.Log());
  REQUIRE(fetched);
  CHECK(h.Query("SELECT count(*) FROM exec_anomalies WHERE kind = 'unreadable_venue_message'") ==
        "1");
  CHECK(h.Query("SELECT status FROM exec_orders WHERE client_order_id = 'bn-garbled'") == "FILLED");
}

TEST_CASE("binance: killed between send and ack, the order is found by query after the restart",
          "[execution][binance][pg][crash]") {
  Binance b;
  ExecutionHarness& h = *b.h;
  h.Start({{"TRADEPLANE_TEST_CRASH_AT", "after_send"}});
  h.WaitReady();
  ov1::NewOrder o = h.Order("bn-crash", SIDE_BUY, "0.01", "99");
  auto r = h.Place(o);
  CHECK_FALSE(r.ok());
  CHECK(h.WaitExit(std::chrono::seconds(10)) == 128 + SIGKILL);
  CHECK(b.venue.orders_placed() == 1);
  CHECK(h.Query("SELECT status || ' ' || sent FROM exec_orders WHERE client_order_id = "
                "'bn-crash'") == "PENDING_NEW true");

  h.Start();
  h.WaitReady();
  CHECK(h.Query("SELECT status || ' ' || venue_order_id FROM exec_orders WHERE "
                "client_order_id = 'bn-crash'") == "NEW 1000");
  r = h.Place(o);  // risk's retry
  REQUIRE(r.ok());
  CHECK(r->duplicate());
  CHECK(b.venue.orders_placed() == 1);
  CHECK(b.venue.order_requests() == 1);
}

}  // namespace
}  // namespace tradeplane
