#include <catch2/catch.hpp>

#include "tradeplane/telemetry/trace_context.h"
#include "tradeplane/telemetry/tracer.h"

namespace tradeplane::telemetry {
namespace {

TEST_CASE("traceparent parses and prints as the W3C spec shows", "[telemetry][trace]") {
  // The example from https://www.w3.org/TR/trace-context/#examples-of-http-traceparent-headers
  constexpr std::string_view kHeader = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  absl::StatusOr<SpanContext> c = SpanContext::FromTraceparent(kHeader);
  REQUIRE(c.ok());
  CHECK(c->sampled());
  CHECK(c->TraceIdHex() == "4bf92f3577b34da6a3ce929d0e0e4736");
  CHECK(c->ToTraceparent() == kHeader);
  common::v1::TraceContext proto;
  c->ToProto(&proto);
  CHECK(SpanContext::FromProto(proto) == *c);
  CHECK_FALSE(
      SpanContext::FromTraceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01").ok());
  CHECK_FALSE(
      SpanContext::FromTraceparent("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01").ok());
  CHECK_FALSE(
      SpanContext::FromTraceparent("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").ok());
  CHECK_FALSE(
      SpanContext::FromTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x")
          .ok());
  CHECK(SpanContext::FromTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x")
            .ok());
  CHECK_FALSE(SpanContext::FromProto(common::v1::TraceContext()).valid());
}

TEST_CASE("spans form one trace through their parents", "[telemetry][trace]") {
  auto exporter = std::make_unique<InMemorySpanExporter>();
  InMemorySpanExporter* spans = exporter.get();
  Tracer tracer({.service_name = "risk", .sample_ratio = 1.0}, std::move(exporter));
  SpanContext root_ctx;
  {
    Span root = tracer.StartSpan("tick", SpanContext(), SpanKind::kConsumer);
    root_ctx = root.context();
    ScopedTraceContext scope(root.context());
    Span child = tracer.StartSpan("risk.check");
    child.SetAttribute("symbol", "AMZN");
    child.SetAttribute("qty", int64_t{10});
  }
  tracer.Flush();
  std::vector<SpanData> got = spans->Spans();
  REQUIRE(got.size() == 2);
  const SpanData& child = got[0].name == "risk.check" ? got[0] : got[1];
  const SpanData& root = got[0].name == "tick" ? got[0] : got[1];
  CHECK(child.context.trace_id == root.context.trace_id);
  CHECK(child.parent_span_id == root.context.span_id);
  CHECK(root.context == root_ctx);
  CHECK(child.attributes.size() == 2);
  CHECK(child.end_ns >= child.start_ns);
}

TEST_CASE("unsampled traces export only their errors", "[telemetry][trace]") {
  auto exporter = std::make_unique<InMemorySpanExporter>();
  InMemorySpanExporter* spans = exporter.get();
  Tracer tracer({.service_name = "risk", .sample_ratio = 0.0}, std::move(exporter));
  for (int i = 0; i < 100; ++i) tracer.StartSpan("fine");
  Span refused = tracer.StartSpan("refused");
  refused.SetError("PRICE_COLLAR");
  refused.End();
  tracer.Flush();
  REQUIRE(spans->Spans().size() == 1);
  CHECK(spans->Spans()[0].status_message == "PRICE_COLLAR");
}

class SlowExporter final : public SpanExporter {
 public:
  void Export(std::vector<SpanData>&) override {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return released_; });
  }
  void Release() {
    std::lock_guard<std::mutex> lock(mu_);
    released_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool released_ = false;
};

TEST_CASE("a full export queue drops spans instead of blocking", "[telemetry][trace]") {
  auto exporter = std::make_unique<SlowExporter>();
  SlowExporter* slow = exporter.get();
  Tracer tracer({.service_name = "x", .sample_ratio = 1.0, .queue_size = 10, .max_batch = 1},
                std::move(exporter));
  for (int i = 0; i < 100; ++i) tracer.StartSpan("s");  // would block forever if it could
  CHECK(tracer.dropped() >= 80);
  slow->Release();
  tracer.Flush();
  CHECK(tracer.exported() + tracer.dropped() == 100);
}

TEST_CASE("a scoped span is the thread's current span while it lives", "[telemetry][trace]") {
  auto exporter = std::make_unique<InMemorySpanExporter>();
  InMemorySpanExporter* spans = exporter.get();
  Tracer tracer({.service_name = "risk", .sample_ratio = 1.0}, std::move(exporter));
  Span received = tracer.StartSpan("received", SpanContext());
  const SpanContext parent = received.context();
  ScopedTraceContext outer(parent);
  SpanContext inner_ctx;
  {
    ScopedSpan span(tracer.StartSpan("risk.check", parent, SpanKind::kServer), parent);
    inner_ctx = span->context();
    CHECK(CurrentSpanContext() == inner_ctx);
    CHECK(inner_ctx.trace_id == parent.trace_id);
    CHECK(inner_ctx.span_id != parent.span_id);
  }
  // The previous context is back, and the span ended when the scope did.
  CHECK(CurrentSpanContext() == parent);
  tracer.Flush();
  std::vector<SpanData> done = spans->Spans();
  REQUIRE(done.size() == 1);
  CHECK(done[0].name == "risk.check");
  CHECK(done[0].parent_span_id == parent.span_id);
  CHECK(done[0].context == inner_ctx);
}

TEST_CASE("a span that does not record leaves the received trace current", "[telemetry][trace]") {
  // A service with tracing off passes the trace it received on.
  SpanContext parent;
  parent.trace_id.fill(7);
  parent.span_id.fill(3);
  parent.flags = 1;
  {
    ScopedSpan span(Span(), parent);
    CHECK_FALSE(span->recording());
    CHECK(CurrentSpanContext() == parent);
  }
  CHECK_FALSE(CurrentSpanContext().valid());
}

}  // namespace
}  // namespace tradeplane::telemetry
