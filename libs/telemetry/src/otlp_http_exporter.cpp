#include "tradeplane/telemetry/otlp_http_exporter.h"

#include <thread>
#include <variant>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/net/http_client.h"
#include "tradeplane/net/url.h"
#include "tradeplane/telemetry/log.h"

#include "absl/status/status.h"

namespace tradeplane::telemetry {
namespace {

v1::Span::SpanKind ToOtlpKind(SpanKind kind) {
  switch (kind) {
    case SpanKind::kInternal:
      return v1::Span::SPAN_KIND_INTERNAL;
    case SpanKind::kServer:
      return v1::Span::SPAN_KIND_SERVER;
    case SpanKind::kClient:
      return v1::Span::SPAN_KIND_CLIENT;
    case SpanKind::kProducer:
      return v1::Span::SPAN_KIND_PRODUCER;
    case SpanKind::kConsumer:
      return v1::Span::SPAN_KIND_CONSUMER;
  }
  return v1::Span::SPAN_KIND_UNSPECIFIED;
}

void SetValue(const AttributeValue& value, v1::AnyValue* out) {
  if (const auto* s = std::get_if<std::string>(&value)) {
    out->set_string_value(*s);
  } else if (const auto* i = std::get_if<int64_t>(&value)) {
    out->set_int_value(*i);
  } else if (const auto* d = std::get_if<double>(&value)) {
    out->set_double_value(*d);
  } else if (const auto* b = std::get_if<bool>(&value)) {
    out->set_bool_value(*b);
  }
}

void AddStringAttribute(std::string_view key, std::string_view value,
                        google::protobuf::RepeatedPtrField<v1::KeyValue>* out) {
  v1::KeyValue* kv = out->Add();
  kv->set_key(std::string(key));
  kv->mutable_value()->set_string_value(std::string(value));
}

bool IsAllZero(const std::array<uint8_t, 8>& id) {
  for (uint8_t b : id) {
    if (b != 0) return false;
  }
  return true;
}

// OTLP/HTTP: these statuses say "try again later"; every other non-2xx says
// the request itself is wrong, and sending it again would not help.
bool RetryableHttpStatus(int status) {
  return status == 429 || status == 502 || status == 503 || status == 504;
}

}  // namespace

absl::StatusOr<std::string> OtlpTracesUrl(std::string_view endpoint) {
  if (endpoint.empty()) return absl::InvalidArgumentError("OTLP endpoint is empty");
  std::string text;
  if (endpoint.find("://") == std::string_view::npos) {
    // host[:port][/path]: a bare host gets the OTLP/HTTP port, not HTTP's 80.
    std::string_view authority = endpoint.substr(0, endpoint.find('/'));
    bool has_port =
        authority.ends_with("]") ? false : authority.find(':') != std::string_view::npos;
    if (has_port) {
      text = StrCat("http://", endpoint);
    } else {
      text = StrCat("http://", authority, ":", kOtlpHttpDefaultPort,
                    endpoint.substr(authority.size()));
    }
  } else {
    text = std::string(endpoint);
  }
  absl::StatusOr<net::Url> url = net::ParseUrl(text);
  if (!url.ok()) {
    return absl::InvalidArgumentError(
        StrCat("OTLP endpoint \"", endpoint, "\": ", ToStd(url.status().message())));
  }
  if (url->scheme != "http" && url->scheme != "https") {
    return absl::InvalidArgumentError(
        StrCat("OTLP endpoint \"", endpoint, "\": scheme must be http or https"));
  }
  if (url->path == "/") url->path = "/v1/traces";
  return url->ToString();
}

void BuildExportTraceRequest(const OtlpResource& resource, const std::vector<SpanData>& spans,
                             v1::ExportTraceServiceRequest* out) {
  // Clear keeps the repeated fields' storage: the next batch reuses it.
  out->Clear();
  v1::ResourceSpans* rs = out->add_resource_spans();
  auto* resource_attributes = rs->mutable_resource()->mutable_attributes();
  AddStringAttribute("service.name", resource.service_name, resource_attributes);
  if (!resource.service_instance_id.empty()) {
    AddStringAttribute("service.instance.id", resource.service_instance_id, resource_attributes);
  }
  for (const auto& [key, value] : resource.attributes) {
    AddStringAttribute(key, value, resource_attributes);
  }
  v1::ScopeSpans* scope_spans = rs->add_scope_spans();
  scope_spans->mutable_scope()->set_name(std::string(kOtlpScopeName));
  for (const SpanData& data : spans) {
    v1::Span* span = scope_spans->add_spans();
    span->set_trace_id(data.context.trace_id.data(), data.context.trace_id.size());
    span->set_span_id(data.context.span_id.data(), data.context.span_id.size());
    if (!IsAllZero(data.parent_span_id)) {
      span->set_parent_span_id(data.parent_span_id.data(), data.parent_span_id.size());
    }
    span->set_name(data.name);
    span->set_kind(ToOtlpKind(data.kind));
    span->set_start_time_unix_nano(static_cast<uint64_t>(data.start_ns));
    span->set_end_time_unix_nano(static_cast<uint64_t>(data.end_ns));
    span->set_flags(data.context.flags);
    for (const auto& [key, value] : data.attributes) {
      v1::KeyValue* kv = span->add_attributes();
      kv->set_key(key);
      SetValue(value, kv->mutable_value());
    }
    // OTel: instrumentation sets ERROR or leaves the status UNSET (OK is for
    // an operator overriding an error), so a success carries no status.
    if (data.error) {
      span->mutable_status()->set_code(v1::Status::STATUS_CODE_ERROR);
      span->mutable_status()->set_message(data.status_message);
    }
  }
}

absl::StatusOr<std::unique_ptr<OtlpHttpSpanExporter>> OtlpHttpSpanExporter::Create(
    OtlpHttpExporterOptions options) {
  absl::StatusOr<std::string> url = OtlpTracesUrl(options.endpoint);
  if (!url.ok()) return url.status();
  if (options.max_attempts < 1) options.max_attempts = 1;
  return std::unique_ptr<OtlpHttpSpanExporter>(
      new OtlpHttpSpanExporter(std::move(options), std::move(*url)));
}

OtlpHttpSpanExporter::OtlpHttpSpanExporter(OtlpHttpExporterOptions options, std::string url)
    : options_(std::move(options)), url_(std::move(url)) {
  net::HttpClientOptions client_options;
  client_options.user_agent = "tradeplane-otlp-exporter";
  // The answer is an ExportTraceServiceResponse: small.
  client_options.max_response_body_bytes = 1024 * 1024;
  client_options.max_idle_connections = 1;
  client_ = std::make_unique<net::HttpClient>(std::move(client_options));
}

OtlpHttpSpanExporter::~OtlpHttpSpanExporter() = default;

std::string OtlpHttpSpanExporter::SendOnce(bool* retryable) {
  static const net::HttpHeaders kHeaders = {{"Content-Type", "application/x-protobuf"}};
  absl::StatusOr<net::HttpResponse> response =
      client_->Post(url_, kHeaders, body_, options_.attempt_timeout);
  if (!response.ok()) {
    // No complete answer: the receiver is down, restarting or slow.
    *retryable = true;
    return std::string(ToStd(response.status().message()));
  }
  if (response->status < 200 || response->status > 299) {
    *retryable = RetryableHttpStatus(response->status);
    std::string why = StrCat("POST ", url_, ": HTTP ", response->status);
    if (!response->body.empty() && response->body.size() < 200)
      StrAppend(&why, ": ", response->body);
    return why;
  }
  v1::ExportTraceServiceResponse answer;
  if (!response->body.empty() && answer.ParseFromString(response->body) &&
      answer.partial_success().rejected_spans() > 0) {
    spans_rejected_.fetch_add(static_cast<uint64_t>(answer.partial_success().rejected_spans()));
  }
  return "";
}

void OtlpHttpSpanExporter::Export(std::vector<SpanData>& batch) {
  if (batch.empty()) return;
  BuildExportTraceRequest(options_.resource, batch, &request_);
  body_.clear();
  request_.SerializeToString(&body_);
  std::chrono::milliseconds backoff = options_.retry_backoff;
  std::string why;
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    bool retryable = false;
    why = SendOnce(&retryable);
    if (why.empty()) {
      spans_sent_.fetch_add(batch.size());
      return;
    }
    failed_requests_.fetch_add(1);
    if (!retryable || attempt == options_.max_attempts) break;
    // Only this background thread waits; the tracer's queue keeps taking
    // (or dropping) spans meanwhile.
    std::this_thread::sleep_for(backoff);
    backoff *= 2;
  }
  NoteFailure(batch.size(), why);
}

void OtlpHttpSpanExporter::NoteFailure(size_t spans, const std::string& why) {
  spans_dropped_.fetch_add(spans);
  dropped_since_log_ += spans;
  auto now = std::chrono::steady_clock::now();
  if (logged_once_ && now - last_log_ < options_.log_interval) return;
  logged_once_ = true;
  last_log_ = now;
  LogWarn("spans not exported",
          {{"endpoint", url_},
           {"error", why},
           {"spans_dropped", static_cast<unsigned long long>(dropped_since_log_)},
           {"spans_dropped_total", static_cast<unsigned long long>(spans_dropped_.load())}});
  log_lines_.fetch_add(1);
  dropped_since_log_ = 0;
}

}  // namespace tradeplane::telemetry
