#include "tradeplane/bus/poller.h"

#include <catch2/catch.hpp>

#include "tradeplane/bus/publisher.h"
#include "tradeplane/bus/subscriber.h"
#include "tradeplane/marketdata/v1/marketdata.pb.h"
#include "tradeplane/testing/wait.h"

#include <unistd.h>

namespace tradeplane::bus {
namespace {

TEST_CASE("the poller dispatches sockets, descriptors and timers", "[bus][poller]") {
  BusContext ctx({"test", 0, 0}, {}, nullptr);
  config::v1::SocketConfig ep;
  ep.set_endpoint("inproc://poller-test");
  auto pub = Publisher::Create(ctx, ep, "pub");
  REQUIRE(pub.ok());
  auto sub = Subscriber::Create(ctx, "sub");
  REQUIRE((*sub)->Connect(ep).ok());
  REQUIRE((*sub)->SubscribePrefix("md.").ok());
  int quotes = 0, ticks = 0, pipe_reads = 0;
  (*sub)->On<marketdata::v1::Quote>(
      [&](const marketdata::v1::Quote&, const Delivery&) { ++quotes; });
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  Poller poller;
  poller.Add(**sub);
  poller.AddFd(fds[0], [&] {
    char c;
    if (read(fds[0], &c, 1) == 1) ++pipe_reads;
  });
  poller.AddTimer(std::chrono::milliseconds(5), [&] { ++ticks; });
  marketdata::v1::Quote q;
  REQUIRE(testing::WaitUntil([&] {
    REQUIRE((*pub)->Publish("md.quote.NASDAQ.AMZN", q).ok());
    poller.RunOnce(std::chrono::milliseconds(10));
    return quotes > 0;
  }));
  REQUIRE(write(fds[1], "x", 1) == 1);
  REQUIRE(testing::WaitUntil([&] {
    poller.RunOnce(std::chrono::milliseconds(10));
    return pipe_reads == 1 && ticks >= 3;
  }));
  std::atomic<bool> stop{true};
  poller.Run(stop);  // returns at once when already stopped
  close(fds[0]);
  close(fds[1]);
}

TEST_CASE("work runs again when it asks to, and never blocks the loop", "[bus][poller]") {
  Poller poller;
  int slices = 0;
  poller.AddWork([&]() -> std::chrono::nanoseconds {
    ++slices;
    return slices < 100 ? std::chrono::nanoseconds(0) : std::chrono::nanoseconds::max();
  });
  // With work pending the loop must not wait its full second per call: 100
  // slices well inside the deadline show it did not.
  CHECK(testing::WaitUntil(
      [&] {
        poller.RunOnce(std::chrono::milliseconds(1000));
        return slices == 100;
      },
      std::chrono::seconds(5)));
  CHECK(slices == 100);
}

TEST_CASE("publisher sequences are per topic and start at one", "[bus][publisher]") {
  BusContext ctx({"test", 0, 0}, {}, nullptr);
  config::v1::SocketConfig ep;
  ep.set_endpoint("inproc://seq-test");
  auto pub = Publisher::Create(ctx, ep, "pub");
  REQUIRE(pub.ok());
  marketdata::v1::Quote q;
  REQUIRE((*pub)->Publish("a.b", q).ok());
  REQUIRE((*pub)->Publish("a.b", q).ok());
  REQUIRE((*pub)->Publish("a.c", q).ok());
  CHECK((*pub)->LastSequence("a.b") == 2);
  CHECK((*pub)->LastSequence("a.c") == 1);
  CHECK((*pub)->LastSequence("a.d") == 0);
  CHECK_FALSE((*pub)->Publish("bad topic", q).ok());
  CHECK((*pub)->stats().sent() == 3);
  config::v1::SocketConfig taken;
  taken.set_endpoint("inproc://seq-test");
  CHECK(Publisher::Create(ctx, taken, "again").status().code() == absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace tradeplane::bus
