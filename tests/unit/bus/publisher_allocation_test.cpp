// Publishing allocates nothing after warm-up, with or without a trace
// context, and when the two alternate. The binary counts allocations
// (tradeplane_allocation_counter replaces operator new), so it is its own.

#include <filesystem>
#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "tradeplane/bus/context.h"
#include "tradeplane/bus/publisher.h"
#include "tradeplane/marketdata/v1/marketdata.pb.h"
#include "tradeplane/telemetry/trace_context.h"
#include "tradeplane/testing/allocation_counter.h"
#include "tradeplane/testing/temp_dir.h"

namespace tradeplane::bus {
namespace {

telemetry::SpanContext Trace(uint8_t seed) {
  telemetry::SpanContext c;
  c.trace_id.fill(seed);
  c.span_id.fill(static_cast<uint8_t>(seed + 1));
  c.flags = 1;
  return c;
}

TEST_CASE("publishing traced and untraced messages allocates nothing after warm-up",
          "[bus][alloc]") {
  testing::TempDir dir;
  config::v1::BusConfig bus_config;
  BusContext context(BusIdentity{"alloc-test", 0, 0}, bus_config, nullptr);
  config::v1::SocketConfig socket;
  socket.set_endpoint("ipc://" + dir.File("pub.ipc"));
  absl::StatusOr<std::unique_ptr<Publisher>> publisher =
      Publisher::Create(context, socket, "alloc-test");
  REQUIRE(publisher.ok());

  marketdata::v1::Quote quote;
  quote.mutable_instrument()->set_symbol("NKNUSDT");
  quote.set_bid_price(351000000);
  quote.set_ask_price(351200000);
  // Longer than the small-string buffer, as every real md.* topic is.
  const std::string topic = "md.quote.BINANCE.NKNUSDT";
  const std::string correlation = "0190f5a8-6b1e-7c3d-8e2f-0a1b2c3d4e5f";
  auto publish = [&](int i) {
    PublishOptions options{.event_time_ns = 1'700'000'000'000'000'000 + i};
    if (i % 2 == 0) options.trace = Trace(static_cast<uint8_t>(1 + i % 200));
    if (i % 3 == 0) options.correlation_id = correlation;
    return (*publisher)->Publish(topic, quote, options);
  };
  for (int i = 0; i < 64; ++i) REQUIRE(publish(i).ok());  // warm-up

  int64_t allocations = 0;
  bool all_ok = true;
  {
    testing::CountAllocations count;
    for (int i = 64; i < 10'064; ++i) all_ok = publish(i).ok() && all_ok;
    allocations = count.count();
  }
  CHECK(all_ok);
  CHECK(allocations == 0);
}

}  // namespace
}  // namespace tradeplane::bus
