// What the OTLP/HTTP exporter puts on the wire: the URL it posts to, and the
// ExportTraceServiceRequest decoded back from its bytes.
#include <catch2/catch.hpp>

#include "tradeplane/telemetry/otlp_http_exporter.h"
#include "tradeplane/telemetry/tracer_from_config.h"
#include "tradeplane/telemetry/v1/otlp_trace.pb.h"

namespace tradeplane::telemetry {
namespace {

std::string Bytes(const uint8_t* data, size_t n) {
  return std::string(reinterpret_cast<const char*>(data), n);
}

TEST_CASE("an OTLP endpoint becomes the traces URL, and a bad one is refused with why",
          "[telemetry][otlp]") {
  CHECK(*OtlpTracesUrl("collector:4318") == "http://collector:4318/v1/traces");
  CHECK(*OtlpTracesUrl("collector") == "http://collector:4318/v1/traces");
  CHECK(*OtlpTracesUrl("http://collector:4318") == "http://collector:4318/v1/traces");
  CHECK(*OtlpTracesUrl("https://collector:4318/") == "https://collector:4318/v1/traces");
  CHECK(*OtlpTracesUrl("http://gateway:8080/otlp/traces") == "http://gateway:8080/otlp/traces");
  for (const char* bad : {"", "ftp://collector:4318", "collector:port", "collector:99999"}) {
    absl::StatusOr<std::string> url = OtlpTracesUrl(bad);
    INFO("endpoint '" << bad << "'");
    CHECK(url.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK_FALSE(url.status().message().empty());
  }
}

TEST_CASE(
    "spans decode from the request with their ids, parent, kind, times, attributes and status",
    "[telemetry][otlp]") {
  SpanData root;
  root.name = "risk.check";
  root.kind = SpanKind::kServer;
  root.context.trace_id.fill(0xab);
  root.context.span_id.fill(0x01);
  root.context.flags = 1;
  root.start_ns = 1'700'000'000'000'000'000;
  root.end_ns = root.start_ns + 1500;
  root.attributes = {{"symbol", std::string("BTCUSDT")},
                     {"qty_lots", int64_t{0}},
                     {"score", 0.25},
                     {"approved", false}};
  SpanData child = root;
  child.name = "execution.send";
  child.kind = SpanKind::kClient;
  child.context.span_id.fill(0x02);
  child.parent_span_id.fill(0x01);
  child.attributes.clear();
  child.error = true;
  child.status_message = "venue rejected: insufficient balance";

  v1::ExportTraceServiceRequest request;
  BuildExportTraceRequest({.service_name = "risk", .service_instance_id = "1"}, {root, child},
                          &request);
  // Through the wire format, as a receiver sees it.
  v1::ExportTraceServiceRequest decoded;
  REQUIRE(decoded.ParseFromString(request.SerializeAsString()));

  REQUIRE(decoded.resource_spans_size() == 1);
  const v1::ResourceSpans& rs = decoded.resource_spans(0);
  std::map<std::string, std::string> resource;
  for (const v1::KeyValue& kv : rs.resource().attributes())
    resource[kv.key()] = kv.value().string_value();
  CHECK(resource["service.name"] == "risk");
  CHECK(resource["service.instance.id"] == "1");
  REQUIRE(rs.scope_spans_size() == 1);
  CHECK(rs.scope_spans(0).scope().name() == "tradeplane");
  REQUIRE(rs.scope_spans(0).spans_size() == 2);

  const v1::Span& r = rs.scope_spans(0).spans(0);
  CHECK(r.name() == "risk.check");
  CHECK(r.kind() == v1::Span::SPAN_KIND_SERVER);
  CHECK(r.trace_id() == Bytes(root.context.trace_id.data(), 16));
  CHECK(r.span_id() == Bytes(root.context.span_id.data(), 8));
  CHECK(r.parent_span_id().empty());  // a root span has none
  CHECK(r.start_time_unix_nano() == static_cast<uint64_t>(root.start_ns));
  CHECK(r.end_time_unix_nano() == static_cast<uint64_t>(root.end_ns));
  CHECK(r.status().code() == v1::Status::STATUS_CODE_UNSET);
  REQUIRE(r.attributes_size() == 4);
  // Zero values keep their type: the oneof carries presence.
  CHECK(r.attributes(0).value().string_value() == "BTCUSDT");
  CHECK(r.attributes(1).value().value_case() == v1::AnyValue::kIntValue);
  CHECK(r.attributes(1).value().int_value() == 0);
  CHECK(r.attributes(2).value().double_value() == 0.25);
  CHECK(r.attributes(3).value().value_case() == v1::AnyValue::kBoolValue);
  CHECK_FALSE(r.attributes(3).value().bool_value());

  const v1::Span& c = rs.scope_spans(0).spans(1);
  CHECK(c.kind() == v1::Span::SPAN_KIND_CLIENT);
  CHECK(c.trace_id() == r.trace_id());
  CHECK(c.parent_span_id() == r.span_id());
  CHECK(c.status().code() == v1::Status::STATUS_CODE_ERROR);
  CHECK(c.status().message() == "venue rejected: insufficient balance");
}

TEST_CASE("a receiver that is not there costs bounded attempts, and the spans are counted dropped",
          "[telemetry][otlp]") {
  // Port 9 on loopback: nothing listens (discard is never enabled here).
  absl::StatusOr<std::unique_ptr<OtlpHttpSpanExporter>> exporter =
      OtlpHttpSpanExporter::Create({.endpoint = "127.0.0.1:9",
                                    .resource = {.service_name = "test"},
                                    .attempt_timeout = std::chrono::milliseconds(500),
                                    .max_attempts = 2,
                                    .retry_backoff = std::chrono::milliseconds(1)});
  REQUIRE(exporter.ok());
  SpanData span;
  span.name = "lost";
  span.context.trace_id.fill(1);
  span.context.span_id.fill(2);
  std::vector<SpanData> batch = {span, span, span};
  (*exporter)->Export(batch);
  CHECK((*exporter)->spans_sent() == 0);
  CHECK((*exporter)->spans_dropped() == 3);
  CHECK((*exporter)->failed_requests() == 2);
}

TEST_CASE("the tracer follows the tracing config, and an unusable one is refused naming the key",
          "[telemetry][otlp]") {
  config::v1::TracingConfig c;
  absl::StatusOr<std::unique_ptr<Tracer>> off = MakeTracer(c, "risk", 0);
  REQUIRE(off.ok());
  CHECK(*off == nullptr);

  c.set_enabled(true);
  c.set_otlp_endpoint("localhost:4318");
  c.set_protocol("http/protobuf");
  absl::StatusOr<std::unique_ptr<Tracer>> on = MakeTracer(c, "risk", 0);
  REQUIRE(on.ok());
  CHECK(*on != nullptr);

  c.set_protocol("grpc");
  absl::StatusOr<std::unique_ptr<Tracer>> grpc = MakeTracer(c, "risk", 0);
  CHECK(grpc.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(grpc.status().message()),
             Catch::Contains("common.telemetry.tracing.protocol"));

  c.set_protocol("http");
  c.set_otlp_endpoint("ftp://collector");
  absl::StatusOr<std::unique_ptr<Tracer>> bad = MakeTracer(c, "risk", 0);
  CHECK_THAT(std::string(bad.status().message()),
             Catch::Contains("common.telemetry.tracing.otlp_endpoint"));
}

}  // namespace
}  // namespace tradeplane::telemetry
