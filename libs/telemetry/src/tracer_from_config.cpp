#include "tradeplane/telemetry/tracer_from_config.h"

#include <string>
#include <utility>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/telemetry/otlp_http_exporter.h"

#include "absl/status/status.h"

namespace tradeplane::telemetry {
namespace {

// For tracing without a receiver: the spans still carry ids to logs and peers.
class DiscardingSpanExporter final : public SpanExporter {
 public:
  void Export(std::vector<SpanData>& /*batch*/) override {}
};

}  // namespace

absl::StatusOr<std::unique_ptr<Tracer>> MakeTracer(const config::v1::TracingConfig& config,
                                                   std::string_view service_name,
                                                   uint32_t instance) {
  if (!config.enabled()) return std::unique_ptr<Tracer>();
  const std::string& protocol = config.protocol();
  if (!protocol.empty() && protocol != "http" && protocol != "http/protobuf") {
    return absl::InvalidArgumentError(
        StrCat("common.telemetry.tracing.protocol: \"", protocol,
               "\" is not supported: use \"http\" (OTLP/HTTP, the receiver's port 4318)"));
  }
  TracerOptions options;
  options.service_name = std::string(service_name);
  options.sample_ratio = config.sample_ratio();
  if (config.queue_size() > 0) options.queue_size = config.queue_size();

  std::unique_ptr<SpanExporter> exporter;
  if (config.otlp_endpoint().empty()) {
    exporter = std::make_unique<DiscardingSpanExporter>();
  } else {
    OtlpHttpExporterOptions otlp;
    otlp.endpoint = config.otlp_endpoint();
    otlp.resource.service_name = std::string(service_name);
    otlp.resource.service_instance_id = std::to_string(instance);
    absl::StatusOr<std::unique_ptr<OtlpHttpSpanExporter>> otlp_exporter =
        OtlpHttpSpanExporter::Create(std::move(otlp));
    if (!otlp_exporter.ok()) {
      return absl::InvalidArgumentError(StrCat("common.telemetry.tracing.otlp_endpoint: ",
                                               ToStd(otlp_exporter.status().message())));
    }
    exporter = std::move(*otlp_exporter);
  }
  return std::make_unique<Tracer>(std::move(options), std::move(exporter));
}

}  // namespace tradeplane::telemetry
