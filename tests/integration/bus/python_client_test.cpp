// docs/examples/bus_client.py (written from docs/protocol.md alone) against
// the C++ bus: it must decode what we publish and call what we serve.
#include <catch2/catch.hpp>

#include "tradeplane/bus/context.h"
#include "tradeplane/bus/publisher.h"
#include "tradeplane/marketdata/v1/marketdata.pb.h"
#include "tradeplane/testing/subprocess.h"
#include "tradeplane/testing/temp_dir.h"
#include "tradeplane/testing/wait.h"

namespace tradeplane::bus {
namespace {

using testing::BinaryPath;
using testing::RunCommand;
using testing::Subprocess;
using testing::TempDir;

constexpr char kPython[] = "/usr/bin/python3";

// Generates the Python classes for the contracts (and the tests' own).
std::string GeneratePython(const TempDir& dir) {
  std::string out = dir.File("py");
  std::vector<std::string> argv = {"/bin/sh", "-c",
                                   "mkdir -p " + out +
                                       " && cd " TRADEPLANE_SOURCE_DIR
                                       " && protoc -I proto -I tests/support/proto --python_out=" +
                                       out + " $(find proto tests/support/proto -name '*.proto')"};
  absl::StatusOr<testing::CommandResult> r = RunCommand(argv);
  REQUIRE(r.ok());
  INFO(r->output);
  REQUIRE(r->exit_code == 0);
  return out;
}

TEST_CASE("a Python client written from the protocol doc subscribes and calls", "[bus][python]") {
  TempDir dir;
  std::string pythonpath = GeneratePython(dir);
  std::string script = TRADEPLANE_SOURCE_DIR "/docs/examples/bus_client.py";
  Subprocess::Options opts;
  opts.env = {{"PYTHONPATH", pythonpath}};

  BusContext ctx({"market-data", 0, 0}, {}, nullptr);
  config::v1::SocketConfig ep;
  ep.set_endpoint(dir.Ipc("md"));
  auto pub = Publisher::Create(ctx, ep, "md");
  REQUIRE(pub.ok());
  auto sub = Subprocess::Start({kPython, script, "subscribe", "--endpoint", dir.Ipc("md"),
                                "--topic", "md.quote.BINANCE.NKNUSDT", "--count", "3"},
                               opts);
  REQUIRE(sub.ok());
  marketdata::v1::Quote q;
  q.mutable_instrument()->set_venue(common::v1::VENUE_BINANCE);
  q.mutable_instrument()->set_symbol("NKNUSDT");
  int64_t n = 0;
  // Publish until the script has its three messages (it joins late).
  REQUIRE(testing::WaitUntil(
      [&] {
        q.set_bid_price(++n);
        REQUIRE((*pub)->Publish("md.quote.BINANCE.NKNUSDTX", q).ok());  // prefix, not exact
        REQUIRE((*pub)->Publish("md.quote.BINANCE.NKNUSDT", q).ok());
        return !(*sub)->Running();
      },
      std::chrono::seconds(20)));
  REQUIRE((*sub)->Wait(std::chrono::seconds(1)) == 0);
  std::string out = (*sub)->Output();
  INFO(out);
  CHECK(std::count(out.begin(), out.end(), '\n') == 3);
  CHECK_THAT(out, Catch::Contains(R"("message_type": "tradeplane.marketdata.v1.Quote")"));
  CHECK_THAT(out, Catch::Contains(R"("source_service": "market-data")"));
  CHECK_THAT(out, Catch::Contains(R"("gap": null)"));
  CHECK_THAT(out, Catch::Contains(R"("venue": "VENUE_BINANCE")"));
  CHECK_THAT(out, !Catch::Contains("NKNUSDTX"));

  auto peer = Subprocess::Start({BinaryPath("bus_peer"), "replier", "--rep", dir.Ipc("rep"),
                                 "--control", dir.Ipc("control")});
  REQUIRE(peer.ok());
  absl::StatusOr<testing::CommandResult> call =
      RunCommand({kPython, script, "request", "--endpoint", dir.Ipc("rep"), "--type",
                  "tradeplane.test.v1.Command", "--json", R"({"action": "echo"})", "--reply-type",
                  "tradeplane.test.v1.CommandResult", "--request-id", "py-1", "--retries", "20",
                  "--timeout-ms", "200"},
                 std::chrono::seconds(30), opts);
  REQUIRE(call.ok());
  INFO(call->output);
  CHECK(call->exit_code == 0);
  CHECK_THAT(call->output, Catch::Contains(R"("request_id": "py-1")"));
  CHECK_THAT(call->output, Catch::Contains(R"("handled": "1")"));
  // An unknown type comes back as an error reply, not silence.
  absl::StatusOr<testing::CommandResult> bad = RunCommand(
      {kPython, script, "request", "--endpoint", dir.Ipc("rep"), "--type",
       "tradeplane.marketdata.v1.Quote", "--reply-type", "tradeplane.test.v1.CommandResult"},
      std::chrono::seconds(30), opts);
  REQUIRE(bad.ok());
  CHECK(bad->exit_code == 1);
  CHECK_THAT(bad->output, Catch::Contains(R"("error_code": 12)"));
}

}  // namespace
}  // namespace tradeplane::bus
