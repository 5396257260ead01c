// tradeplane-sentinel as a process: alerts from bus traffic, stored, listed,
// acknowledged; and offline review of a file.
#include <catch2/catch.hpp>
#include <grpcpp/grpcpp.h>

#include "tradeplane/admin/admin_client.h"
#include "tradeplane/admin/v1/services.grpc.pb.h"
#include "tradeplane/bus/context.h"
#include "tradeplane/bus/envelope.h"
#include "tradeplane/bus/publisher.h"
#include "tradeplane/bus/recording.h"
#include "tradeplane/bus/subscriber.h"
#include "tradeplane/orders/v1/orders.pb.h"
#include "tradeplane/surveillance/v1/surveillance.pb.h"
#include "tradeplane/testing/pg_cluster.h"
#include "tradeplane/testing/subprocess.h"
#include "tradeplane/testing/temp_dir.h"
#include "tradeplane/testing/wait.h"

namespace tradeplane {
namespace {

using testing::BinaryPath;
using testing::Subprocess;
using testing::TempDir;
using testing::WaitUntil;

constexpr char kToken[] = "compliance:0123456789abcdef0123";

orders::v1::Fill MakeFill(const std::string& id, const std::string& strategy, common::v1::Side side,
                          orders::v1::Liquidity liquidity, int64_t time_ns) {
  orders::v1::Fill f;
  f.set_fill_id(id);
  f.set_client_order_id("order-" + id);
  f.set_strategy_id(strategy);
  f.mutable_instrument()->set_venue(common::v1::VENUE_SIM);
  f.mutable_instrument()->set_symbol("NKNUSDT");
  f.set_side(side);
  f.set_price(351'300'000);    // 0.3513
  f.set_qty(100'000'000'000);  // 100
  f.set_liquidity(liquidity);
  f.set_exchange_time_ns(time_ns);
  return f;
}

TEST_CASE(
    "our own buy and sell against each other raise a wash-trade alert, stored and acknowledged",
    "[sentinel][process][pg]") {
  TempDir dir;
  absl::StatusOr<std::string> db = testing::PgCluster::Shared().CreateDatabase();
  REQUIRE(db.ok());
  int admin_port = testing::FreeTcpPort();
  testing::WriteFile(dir.File("tokens"), std::string(kToken) + "\n");
  testing::WriteFile(
      dir.File("sentinel.yaml"),
      "common:\n"
      "  admin: {port: " +
          std::to_string(admin_port) +
          ", token_file: tokens}\n"
          "  telemetry: {metrics_port: -1, log_file: sentinel.log}\n"
          "  store: {conninfo: '" +
          *db +
          "'}\n"
          "subscriptions: [{endpoint: '" +
          dir.Ipc("exec") +
          "'}]\n"
          "publisher: {endpoint: '" +
          dir.Ipc("alerts") +
          "'}\n"
          "instruments:\n"
          "  - {id: {venue: SIM, symbol: NKNUSDT}, tick_size: '0.0001', lot_size: '0.1'}\n"
          "beneficial_owners: {trend: desk-a, quoting: desk-a}\n");
  bus::BusContext ctx({"execution", 0, 0}, {}, nullptr);
  config::v1::SocketConfig pub_ep;
  pub_ep.set_endpoint(dir.Ipc("exec"));
  auto exec = bus::Publisher::Create(ctx, pub_ep, "exec");
  REQUIRE(exec.ok());
  auto sentinel =
      Subprocess::Start({BinaryPath("tradeplane-sentinel"), "--config", dir.File("sentinel.yaml")});
  REQUIRE(sentinel.ok());
  auto alerts = bus::Subscriber::Create(ctx, "alerts");
  config::v1::SocketConfig alert_ep;
  alert_ep.set_endpoint(dir.Ipc("alerts"));
  REQUIRE((*alerts)->Connect(alert_ep).ok());
  REQUIRE((*alerts)->SubscribePrefix("alert.abuse.").ok());
  std::vector<surveillance::v1::MarketAbuseAlert> got;
  (*alerts)->On<surveillance::v1::MarketAbuseAlert>(
      [&](const surveillance::v1::MarketAbuseAlert& a, const bus::Delivery&) { got.push_back(a); });
  // Two strategies of one owner: one takes what the other offered, same price
  // and size, milliseconds apart. Sent until the subscriptions are live.
  int64_t t0 = 1'700'000'000'000'000'000;
  int n = 0;
  REQUIRE(WaitUntil(
      [&] {
        // 400 s apart: past the 300 s de-duplication window, so every pair alerts
        // until this subscription is live.
        int64_t t = t0 + n * 400'000'000'000LL;
        std::string k = std::to_string(n++);
        REQUIRE((*exec)
                    ->Publish("exec.fill.SIM.NKNUSDT",
                              MakeFill("a" + k, "quoting", common::v1::SIDE_SELL,
                                       orders::v1::LIQUIDITY_MAKER, t))
                    .ok());
        REQUIRE((*exec)
                    ->Publish("exec.fill.SIM.NKNUSDT",
                              MakeFill("b" + k, "trend", common::v1::SIDE_BUY,
                                       orders::v1::LIQUIDITY_TAKER, t + 2'000'000))
                    .ok());
        (*alerts)->WaitReadable(std::chrono::milliseconds(50));
        (*alerts)->Poll();
        return !got.empty();
      },
      std::chrono::seconds(30)));
  CHECK(got[0].type() == surveillance::v1::ALERT_TYPE_WASH_TRADE);
  CHECK(got[0].subject() == "desk-a");
  CHECK_FALSE(got[0].explanation().empty());
  CHECK_FALSE(got[0].indicator().empty());

  testing::WriteFile(dir.File("token"), std::string(kToken) + "\n");
  std::string target = "127.0.0.1:" + std::to_string(admin_port);
  auto listed =
      testing::RunCommand({BinaryPath("tradectl"), "--target", target, "--token-file",
                           dir.File("token"), "alerts", "--type", "WASH_TRADE", "-o", "json"});
  REQUIRE(listed.ok());
  INFO(listed->output);
  CHECK(listed->exit_code == 0);
  CHECK_THAT(listed->output, Catch::Contains(got[0].alert_id()));
  auto ack = testing::RunCommand({BinaryPath("tradectl"), "--target", target, "--token-file",
                                  dir.File("token"), "alerts", "ack", got[0].alert_id(), "--note",
                                  "our own desks; reviewed", "-o", "json"});
  REQUIRE(ack.ok());
  CHECK(ack->exit_code == 0);
  CHECK_THAT(ack->output, Catch::Contains(R"("ack_by": "compliance")"));
  auto missing = testing::RunCommand({BinaryPath("tradectl"), "--target", target, "--token-file",
                                      dir.File("token"), "alerts", "ack", "NOPE", "--note", "x"});
  CHECK(missing->exit_code == 1);
}

TEST_CASE("review prints the alerts of a LOBSTER file with an injected spoofing pattern",
          "[sentinel][review]") {
  TempDir dir;
  // A participant layers large asks above the touch, buys on the other side,
  // then cancels the layers within a second.
  std::string file = dir.File("AMZN_2021-04-12_34200000_57600000_message_10.csv");
  std::string rows;
  auto row = [&](double t, int type, int id, int size, int64_t price, int dir_, const char* mpid) {
    char line[160];
    std::snprintf(line, sizeof(line), "%.9f,%d,%d,%d,%lld,%d,%s\n", t, type, id, size,
                  static_cast<long long>(price), dir_, mpid);
    rows += line;
  };
  double t = 34200.0;
  for (int k = 0; k < 20; ++k) {  // a normal two-sided book from others
    row(t += 0.01, 1, 100 + k, 100, 33550000 - k * 100, 1, "null");
    row(t += 0.01, 1, 200 + k, 100, 33560000 + k * 100, -1, "null");
  }
  row(t += 0.01, 1, 999, 300, 33550000, 1, "SPFR");  // its real interest: a bid
  for (int k = 0; k < 5; ++k) row(t += 0.001, 1, 900 + k, 5000, 33570000 + k * 100, -1, "SPFR");
  row(t += 0.01, 4, 100, 100, 33550000, 1, "null");
  row(t += 0.01, 4, 999, 300, 33550000, 1, "SPFR");  // its bid is filled
  for (int k = 0; k < 5; ++k) row(t += 0.05, 3, 900 + k, 5000, 33570000 + k * 100, -1, "SPFR");
  testing::WriteFile(file, rows);
  auto r = testing::RunCommand({BinaryPath("tradeplane-sentinel"), "review", "--input", file,
                                "--format", "lobster", "-o", "json"});
  REQUIRE(r.ok());
  INFO(r->output);
  CHECK(r->exit_code == 0);
  CHECK_THAT(r->output, Catch::Contains(R"("type": "SPOOFING_LAYERING")"));
  CHECK_THAT(r->output, Catch::Contains(R"("subject": "SPFR")"));
  auto csv = testing::RunCommand({BinaryPath("tradeplane-sentinel"), "review", "--input", file,
                                  "--format", "lobster", "-o", "csv"});
  CHECK(csv->exit_code == 0);
  CHECK_THAT(csv->output, Catch::Contains("SPOOFING_LAYERING"));
  auto bad = testing::RunCommand(
      {BinaryPath("tradeplane-sentinel"), "review", "--input", file, "--format", "fix"});
  CHECK(bad->exit_code == 2);
  CHECK_THAT(bad->output, Catch::Contains("lobster or bus"));
}

TEST_CASE("review of a recorder file watches every instrument it mentions and names our orders",
          "[sentinel][review]") {
  TempDir dir;
  std::string file = dir.File("exec.rec");
  {
    auto writer = bus::RecordingWriter::Create(file);
    REQUIRE(writer.ok());
    uint64_t sequence = 0;
    auto append = [&](const std::string& topic, const google::protobuf::Message& m) {
      bus::v1::Header h;
      h.set_message_type(m.GetDescriptor()->full_name());
      h.set_schema_version(bus::kEnvelopeSchemaVersion);
      h.set_source_service("execution");
      h.set_sequence(++sequence);
      std::string envelope;
      bus::EncodeEnvelope(h, m, &envelope);
      REQUIRE((*writer)->Append(0, topic, envelope).ok());
    };
    // One strategy on both sides of one trade (a self-match: both legs at
    // the same instant), in an instrument no config lists.
    int64_t t = 1'700'000'000'000'000'000;
    append("exec.fill.SIM.NKNUSDT",
           MakeFill("s1", "selfie", common::v1::SIDE_SELL, orders::v1::LIQUIDITY_MAKER, t));
    append("exec.fill.SIM.NKNUSDT", MakeFill("b1", "selfie", common::v1::SIDE_BUY,
                                             orders::v1::LIQUIDITY_TAKER, t + 1'000'000));
    // Something that is not a surveillance input, and an envelope that is broken.
    surveillance::v1::TapeStatistics other;
    append("alert.tape.SIM.NKNUSDT", other);
    REQUIRE((*writer)->Append(0, "exec.fill.SIM.NKNUSDT", "not an envelope").ok());
    REQUIRE((*writer)->Close().ok());
  }
  auto r = testing::RunCommand({BinaryPath("tradeplane-sentinel"), "review", "--input", file,
                                "--format", "bus", "-o", "json"});
  REQUIRE(r.ok());
  INFO(r->output);
  CHECK(r->exit_code == 0);
  CHECK_THAT(r->output, Catch::Contains(R"("type": "WASH_TRADE")"));
  CHECK_THAT(r->output, Catch::Contains(R"("subject": "selfie")"));
  CHECK_THAT(r->output, Catch::Contains(R"("symbol": "NKNUSDT")"));
  CHECK_THAT(r->output, Catch::Contains(R"("order-s1")"));
  CHECK_THAT(r->output, Catch::Contains(R"("b1")"));
  auto table = testing::RunCommand(
      {BinaryPath("tradeplane-sentinel"), "review", "--input", file, "--format", "bus"});
  REQUIRE(table.ok());
  CHECK(table->exit_code == 0);
  CHECK_THAT(table->output, Catch::Contains("2 events, 1 alerts"));
  auto missing = testing::RunCommand({BinaryPath("tradeplane-sentinel"), "review", "--input",
                                      dir.File("nope.rec"), "--format", "bus"});
  REQUIRE(missing.ok());
  CHECK(missing->exit_code == 2);
}

}  // namespace
}  // namespace tradeplane
