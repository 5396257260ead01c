// tradeplane-recorder as a process: records what a publisher sends, in order,
// and prints it back.
#include <csignal>

#include <catch2/catch.hpp>

#include "tradeplane/bus/context.h"
#include "tradeplane/bus/envelope.h"
#include "tradeplane/bus/publisher.h"
#include "tradeplane/bus/recording.h"
#include "tradeplane/marketdata/v1/marketdata.pb.h"
#include "tradeplane/testing/subprocess.h"
#include "tradeplane/testing/temp_dir.h"
#include "tradeplane/testing/wait.h"

#include <sys/stat.h>

namespace tradeplane {
namespace {

using testing::BinaryPath;
using testing::RunCommand;
using testing::Subprocess;
using testing::TempDir;
using testing::WaitUntil;

off_t FileSize(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? st.st_size : 0;
}

TEST_CASE("the recorder writes every message of the chosen topics, in order", "[recorder]") {
  TempDir dir;
  bus::BusContext ctx({"market-data", 0, 0}, {}, nullptr);
  config::v1::SocketConfig ep;
  ep.set_endpoint(dir.Ipc("md"));
  auto pub = bus::Publisher::Create(ctx, ep, "md");
  REQUIRE(pub.ok());
  std::string out = dir.File("rec.tprec");
  auto recorder =
      Subprocess::Start({BinaryPath("tradeplane-recorder"), "record", "--connect", dir.Ipc("md"),
                         "--topic", "md.quote.", "--topic", "sync", "--out", out});
  REQUIRE(recorder.ok());
  marketdata::v1::Quote q;
  // Until the recorder's subscription is live (it flushes every 100 ms).
  REQUIRE(WaitUntil([&] {
    REQUIRE((*pub)->Publish("sync", q).ok());
    return FileSize(out) > 16;
  }));
  for (int i = 1; i <= 1000; ++i) {
    q.set_bid_qty(i);
    REQUIRE((*pub)->Publish("md.quote.NASDAQ.AMZN", q).ok());
    REQUIRE((*pub)->Publish("md.trade.NASDAQ.AMZN", q).ok());  // not recorded
  }
  std::string_view last_record = "md.quote.NASDAQ.AMZN";
  auto reader_count = [&] {
    auto r = bus::RecordingReader::Open(out);
    if (!r.ok()) return 0;
    (*r)->set_allow_truncated_tail(true);
    bus::RecordedMessage m;
    int n = 0;
    while (true) {
      absl::StatusOr<bool> more = (*r)->Next(&m);
      if (!more.ok() || !*more) break;
      if (m.topic == last_record) ++n;
    }
    return n;
  };
  REQUIRE(WaitUntil([&] { return reader_count() == 1000; }));
  (*recorder)->Signal(SIGTERM);
  REQUIRE((*recorder)->Wait(std::chrono::seconds(10)) == 0);
  CHECK_THAT((*recorder)->Output(), Catch::Contains("messages recorded"));

  auto r = bus::RecordingReader::Open(out);
  REQUIRE(r.ok());
  bus::RecordedMessage m;
  bus::v1::Header header;
  std::string_view payload;
  int64_t expected = 1;
  while (*(*r)->Next(&m)) {
    REQUIRE(m.topic != "md.trade.NASDAQ.AMZN");
    if (m.topic == "sync") continue;
    REQUIRE(bus::DecodeEnvelope(m.envelope, &header, &payload).ok());
    marketdata::v1::Quote got;
    REQUIRE(got.ParseFromArray(payload.data(), static_cast<int>(payload.size())));
    REQUIRE(got.bid_qty() == expected);
    ++expected;
  }
  CHECK(expected == 1001);

  absl::StatusOr<testing::CommandResult> dump =
      RunCommand({BinaryPath("tradeplane-recorder"), "dump", out});
  REQUIRE(dump.ok());
  CHECK(dump->exit_code == 0);
  CHECK_THAT(
      dump->output,
      Catch::Contains(
          R"("topic":"md.quote.NASDAQ.AMZN","header":{"message_type":"tradeplane.marketdata.v1.Quote")"));
  CHECK_THAT(dump->output, Catch::Contains(R"("bid_qty":"0.000001")"));  // 1000 raw units
}

TEST_CASE("the recorder refuses bad arguments and bad files with a reason", "[recorder]") {
  TempDir dir;
  auto run = [](std::vector<std::string> args) {
    args.insert(args.begin(), BinaryPath("tradeplane-recorder"));
    absl::StatusOr<testing::CommandResult> r = RunCommand(args);
    REQUIRE(r.ok());
    return *r;
  };
  auto r1 = run({"record", "--out", dir.File("x")});
  CHECK(r1.exit_code == 2);
  CHECK_THAT(r1.output, Catch::Contains("needs --connect"));
  auto r2 =
      run({"record", "--connect", "ipc:///x", "--out", dir.File("x"), "--max-messages", "ten"});
  CHECK_THAT(r2.output, Catch::Contains("--max-messages: 'ten' is not an integer"));
  auto r3 = run({"replay"});
  CHECK_THAT(r3.output, Catch::Contains("unknown command 'replay'"));
  auto r4 = run({"record", "--bogus"});
  CHECK_THAT(r4.output, Catch::Contains("unknown flag '--bogus'"));
  testing::WriteFile(dir.File("junk"), "not a recording at all");
  auto r5 = run({"dump", dir.File("junk")});
  CHECK(r5.exit_code == 2);
  CHECK_THAT(r5.output, Catch::Contains("not a bus recording"));
  auto r6 = run({"--help"});
  CHECK(r6.exit_code == 0);
  CHECK_THAT(r6.output, Catch::Contains("--max-messages N"));
}

}  // namespace
}  // namespace tradeplane
