// A message sent without an explicit trace carries the thread's current span,
// so work done while handling a traced message stays in its trace.
#include <atomic>
#include <thread>

#include <catch2/catch.hpp>

#include "tradeplane/bus/poller.h"
#include "tradeplane/bus/publisher.h"
#include "tradeplane/bus/reply_server.h"
#include "tradeplane/bus/request_client.h"
#include "tradeplane/bus/subscriber.h"
#include "tradeplane/marketdata/v1/marketdata.pb.h"
#include "tradeplane/telemetry/trace_context.h"
#include "tradeplane/testing/wait.h"

namespace tradeplane::bus {
namespace {

telemetry::SpanContext Context(uint8_t seed) {
  telemetry::SpanContext c;
  c.trace_id.fill(seed);
  c.span_id.fill(static_cast<uint8_t>(seed + 1));
  c.flags = 1;
  return c;
}

TEST_CASE("a publish without a trace carries the thread's current span", "[bus][trace]") {
  BusContext ctx({"test", 0, 0}, {}, nullptr);
  config::v1::SocketConfig ep;
  ep.set_endpoint("inproc://trace-propagation-pub");
  auto pub = Publisher::Create(ctx, ep, "pub");
  REQUIRE(pub.ok());
  auto sub = Subscriber::Create(ctx, "sub");
  REQUIRE(sub.ok());
  REQUIRE((*sub)->Connect(ep).ok());
  REQUIRE((*sub)->SubscribePrefix("md.").ok());
  std::vector<telemetry::SpanContext> received;
  (*sub)->On<marketdata::v1::Quote>(
      [&](const marketdata::v1::Quote&, const Delivery& d) { received.push_back(d.trace); });
  Poller poller;
  poller.Add(**sub);
  marketdata::v1::Quote q;
  // The subscription reaches the publisher asynchronously: publish untraced
  // until one arrives.
  REQUIRE(testing::WaitUntil([&] {
    REQUIRE((*pub)->Publish("md.quote.X.Y", q).ok());
    poller.RunOnce(std::chrono::milliseconds(10));
    return !received.empty();
  }));
  CHECK_FALSE(received.back().valid());
  received.clear();

  const telemetry::SpanContext current = Context(10);
  const telemetry::SpanContext explicit_trace = Context(20);
  {
    telemetry::ScopedTraceContext scope(current);
    REQUIRE((*pub)->Publish("md.quote.X.Y", q).ok());
    REQUIRE((*pub)->Publish("md.quote.X.Y", q, {.trace = explicit_trace}).ok());
  }
  REQUIRE((*pub)->Publish("md.quote.X.Y", q).ok());
  REQUIRE(testing::WaitUntil([&] {
    poller.RunOnce(std::chrono::milliseconds(10));
    return received.size() >= 3;
  }));
  CHECK(received[0] == current);
  CHECK(received[1] == explicit_trace);  // an explicit trace wins
  CHECK_FALSE(received[2].valid());      // outside the scope: untraced again
}

TEST_CASE("a request without a trace carries the thread's current span", "[bus][trace]") {
  BusContext ctx({"test", 0, 0}, {}, nullptr);
  config::v1::SocketConfig ep;
  ep.set_endpoint("inproc://trace-propagation-rep");
  auto server = ReplyServer::Create(ctx, ep, "rep");
  REQUIRE(server.ok());
  std::mutex mu;
  std::vector<telemetry::SpanContext> seen;
  (*server)->Handle<marketdata::v1::Quote, marketdata::v1::Quote>(
      [&](const marketdata::v1::Quote&, const RequestContext& rc, marketdata::v1::Quote*) {
        std::lock_guard<std::mutex> lock(mu);
        seen.push_back(rc.trace);
        return absl::OkStatus();
      });
  std::atomic<bool> stop{false};
  std::thread serving([&] {
    Poller poller;
    poller.Add(**server);
    poller.Run(stop);
  });
  config::v1::ClientConfig client_config;
  *client_config.mutable_socket() = ep;
  client_config.set_timeout_ms(5000);
  auto client = RequestClient::Create(ctx, client_config, "req");
  REQUIRE(client.ok());
  marketdata::v1::Quote q, reply;
  const telemetry::SpanContext current = Context(30);
  {
    telemetry::ScopedTraceContext scope(current);
    REQUIRE((*client)->Call(q, &reply, {}).ok());
  }
  REQUIRE((*client)->Call(q, &reply, {}).ok());
  stop.store(true);
  serving.join();
  REQUIRE(seen.size() == 2);
  CHECK(seen[0] == current);
  CHECK_FALSE(seen[1].valid());
}

}  // namespace
}  // namespace tradeplane::bus
