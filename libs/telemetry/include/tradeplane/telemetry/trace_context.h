// W3C trace context (https://www.w3.org/TR/trace-context/): the ids that tie
// spans from several processes into one trace.
#ifndef TRADEPLANE_TELEMETRY_TRACE_CONTEXT_H_
#define TRADEPLANE_TELEMETRY_TRACE_CONTEXT_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "tradeplane/common/v1/common.pb.h"

#include "absl/status/statusor.h"

namespace tradeplane::telemetry {

struct SpanContext {
  std::array<uint8_t, 16> trace_id{};
  std::array<uint8_t, 8> span_id{};
  uint8_t flags = 0;  // bit 0: sampled

  bool valid() const;  // non-zero trace and span ids
  bool sampled() const { return (flags & 1) != 0; }
  std::string TraceIdHex() const;
  std::string SpanIdHex() const;

  // "00-<trace id>-<span id>-<flags>"
  std::string ToTraceparent() const;
  static absl::StatusOr<SpanContext> FromTraceparent(std::string_view header);

  void ToProto(common::v1::TraceContext* out) const;
  // An absent or malformed context gives an invalid (all-zero) one.
  static SpanContext FromProto(const common::v1::TraceContext& in);

  friend bool operator==(const SpanContext&, const SpanContext&) = default;
};

// The span the calling thread is working in; logs and new spans read it.
const SpanContext& CurrentSpanContext();

// Makes `context` the thread's current one until the scope ends.
class ScopedTraceContext {
 public:
  explicit ScopedTraceContext(const SpanContext& context);
  ~ScopedTraceContext();
  ScopedTraceContext(const ScopedTraceContext&) = delete;
  ScopedTraceContext& operator=(const ScopedTraceContext&) = delete;

 private:
  SpanContext previous_;
};

// Lower-case hex of bytes.
std::string HexEncode(const uint8_t* data, size_t size);

}  // namespace tradeplane::telemetry

#endif  // TRADEPLANE_TELEMETRY_TRACE_CONTEXT_H_
