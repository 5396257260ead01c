// OtlpHttpSpanExporter: sends spans to an OpenTelemetry receiver (a
// Collector, Jaeger, Tempo...) over OTLP/HTTP with binary protobuf:
//
//   POST http://collector:4318/v1/traces
//   Content-Type: application/x-protobuf
//   <ExportTraceServiceRequest, proto/tradeplane/telemetry/v1/otlp_trace.proto>
//
// Each batch the tracer hands over becomes one request: one resource
// (service.name, service.instance.id and any extra attributes), one scope
// ("tradeplane"), the spans with their kind, Unix-nanosecond times,
// attributes, parent span id and status (ERROR with its message when the span
// failed, else UNSET).
//
// Export runs on the tracer's background thread, never on a caller's: a
// receiver that is down or slow costs that thread at most
// `max_attempts` x `attempt_timeout` per batch while the tracer's bounded
// queue drops (and counts) what does not fit. A batch that fails (no answer,
// or a status other than 2xx) is sent again after a short backoff only when
// the failure may pass (no connection, timeout, 429, 502, 503, 504), at most
// `max_attempts` times in all, then dropped and counted. Failures are logged
// at most once per `log_interval`, with how many spans were dropped since the
// previous line. Nothing throws.
#ifndef TRADEPLANE_TELEMETRY_OTLP_HTTP_EXPORTER_H_
#define TRADEPLANE_TELEMETRY_OTLP_HTTP_EXPORTER_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tradeplane/telemetry/tracer.h"
#include "tradeplane/telemetry/v1/otlp_trace.pb.h"

#include "absl/status/statusor.h"

namespace tradeplane::net {
class HttpClient;
}  // namespace tradeplane::net

namespace tradeplane::telemetry {

// The OTLP/HTTP port receivers listen on by default.
inline constexpr int kOtlpHttpDefaultPort = 4318;

// The URL to POST traces to, from a configured endpoint:
//   "collector:4318"                   -> http://collector:4318/v1/traces
//   "collector"                        -> http://collector:4318/v1/traces
//   "http://collector:4318"            -> http://collector:4318/v1/traces
//   "https://collector:4318/"          -> https://collector:4318/v1/traces
//   "http://gateway:8080/otlp/traces"  -> as given (a path names the traces
//                                         endpoint itself, as in the OTel
//                                         SDKs' OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)
// InvalidArgument, saying why, for an empty endpoint, another scheme, or a
// malformed host or port.
absl::StatusOr<std::string> OtlpTracesUrl(std::string_view endpoint);

// Who the spans come from: the OTLP resource.
struct OtlpResource {
  std::string service_name;         // "service.name", e.g. "risk"
  std::string service_instance_id;  // "service.instance.id", e.g. "0"; omitted when empty
  // Further string attributes, e.g. {"service.version", "0.1.0"}.
  std::vector<std::pair<std::string, std::string>> attributes;
};

// The instrumentation scope name every span is exported under.
inline constexpr std::string_view kOtlpScopeName = "tradeplane";

// Fills `out` (cleared first) with one resource, one scope and `spans`.
// Exposed so that tests can decode what goes on the wire.
void BuildExportTraceRequest(const OtlpResource& resource, const std::vector<SpanData>& spans,
                             v1::ExportTraceServiceRequest* out);

struct OtlpHttpExporterOptions {
  std::string endpoint;  // as OtlpTracesUrl takes it
  OtlpResource resource;
  // Bounds one POST (connect, write, read).
  std::chrono::milliseconds attempt_timeout{2000};
  // Sends per batch, the first included.
  int max_attempts = 3;
  // Before the second send; doubled before each further one.
  std::chrono::milliseconds retry_backoff{100};
  // At most one log line about failures per interval.
  std::chrono::milliseconds log_interval{std::chrono::seconds(30)};
};

class OtlpHttpSpanExporter final : public SpanExporter {
 public:
  // InvalidArgument when the endpoint is not usable (OtlpTracesUrl).
  static absl::StatusOr<std::unique_ptr<OtlpHttpSpanExporter>> Create(
      OtlpHttpExporterOptions options);
  ~OtlpHttpSpanExporter() override;

  void Export(std::vector<SpanData>& batch) override;

  const std::string& url() const { return url_; }
  // Counters, readable from any thread.
  uint64_t spans_sent() const { return spans_sent_.load(); }        // accepted with a 2xx
  uint64_t spans_dropped() const { return spans_dropped_.load(); }  // given up after retries
  // Counted as sent too: the receiver answered 2xx but said it rejected them
  // (OTLP partial success).
  uint64_t spans_rejected() const { return spans_rejected_.load(); }
  uint64_t failed_requests() const { return failed_requests_.load(); }  // attempts that failed
  uint64_t log_lines() const { return log_lines_.load(); }              // failure lines written

 private:
  OtlpHttpSpanExporter(OtlpHttpExporterOptions options, std::string url);
  // One POST; empty on success, else why it failed. Sets `retryable`.
  std::string SendOnce(bool* retryable);
  void NoteFailure(size_t spans, const std::string& why);

  OtlpHttpExporterOptions options_;
  std::string url_;
  std::unique_ptr<net::HttpClient> client_;
  // Reused across batches so that their buffers are (export thread only).
  v1::ExportTraceServiceRequest request_;
  std::string body_;
  std::chrono::steady_clock::time_point last_log_{};
  bool logged_once_ = false;
  uint64_t dropped_since_log_ = 0;
  std::atomic<uint64_t> spans_sent_{0};
  std::atomic<uint64_t> spans_dropped_{0};
  std::atomic<uint64_t> spans_rejected_{0};
  std::atomic<uint64_t> failed_requests_{0};
  std::atomic<uint64_t> log_lines_{0};
};

}  // namespace tradeplane::telemetry

#endif  // TRADEPLANE_TELEMETRY_OTLP_HTTP_EXPORTER_H_
