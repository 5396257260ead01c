// The process's tracer, built from its `common.telemetry.tracing` config
// (tradeplane.config.v1.TracingConfig):
//
//   enabled: false (the default)        no tracer: MakeTracer gives null
//   enabled: true, otlp_endpoint set    spans go to that OTLP receiver over
//                                       OTLP/HTTP (OtlpHttpSpanExporter)
//   enabled: true, no otlp_endpoint     spans are made (trace ids reach logs
//                                       and the bus) but exported nowhere
//
// protocol: "" , "http" or "http/protobuf" (OTLP/HTTP, binary protobuf);
// "grpc" is refused: this build has no OTLP/gRPC exporter (point the
// endpoint at the receiver's OTLP/HTTP port, 4318, and say "http").
// sample_ratio is taken as given (0 traces only spans that end in error);
// queue_size 0 means the tracer's default.
#ifndef TRADEPLANE_TELEMETRY_TRACER_FROM_CONFIG_H_
#define TRADEPLANE_TELEMETRY_TRACER_FROM_CONFIG_H_

#include <cstdint>
#include <memory>
#include <string_view>

#include "tradeplane/config/v1/common.pb.h"
#include "tradeplane/telemetry/tracer.h"

#include "absl/status/statusor.h"

namespace tradeplane::telemetry {

// Null when tracing is disabled. InvalidArgument, naming the key
// (common.telemetry.tracing.<key>), for a protocol or endpoint it cannot use.
absl::StatusOr<std::unique_ptr<Tracer>> MakeTracer(const config::v1::TracingConfig& config,
                                                   std::string_view service_name,
                                                   uint32_t instance);

}  // namespace tradeplane::telemetry

#endif  // TRADEPLANE_TELEMETRY_TRACER_FROM_CONFIG_H_
